"""Mixed Persian and Latin text on the dossiers: each name, title and phrase laid out in
its own direction, so that its brackets and full stops stay where its author put them.

WeasyPrint, which makes the PDFs, knows ``dir="ltr"`` and ``dir="rtl"`` but not
``dir="auto"``: an isolate without a direction took the page's, and on the Persian PDF
"Head of the Judiciary (Judiciary Chief)" was printed "…(Judiciary" / "(Chief"."""

import re

import pytest

from tests.factories import CitationFactory, PerpetratorFactory, SourceFactory

pytestmark = pytest.mark.django_db

UNDIRECTED_ISOLATE = re.compile(r"<bdi(?![^>]*\sdir=\"(?:ltr|rtl)\")[^>]*>")


@pytest.mark.parametrize(
    "url",
    [
        "/fa/perpetrators/P-0001/dossier/",
        "/fa/perpetrators/P-0003/dossier/",
        "/fa/events/1988-massacre/dossier/",
        "/perpetrators/P-0001/dossier/",
        "/events/1988-massacre/dossier/",
    ],
)
def test_every_isolate_on_a_dossier_says_its_direction(seed, anonymous, url):
    html = anonymous.get(url).content.decode()
    assert "<bdi" in html
    assert not UNDIRECTED_ISOLATE.search(html)


def test_an_english_post_on_a_persian_dossier_is_laid_out_left_to_right(seed, anonymous):
    html = anonymous.get("/fa/perpetrators/P-0001/dossier/").content.decode()
    assert '<bdi dir="ltr" lang="en">Head of the Judiciary (Judiciary Chief)</bdi>' in html
    # The Persian post, in the page's own direction, needs no isolate.
    assert "رئیس قوه قضاییه<sup" in html


def test_english_source_titles_and_publishers_on_a_persian_dossier_are_isolated(anonymous):
    perpetrator = PerpetratorFactory(name_fa="نام آزمایشی")
    source = SourceFactory(title="Testtitle report (2017).", publisher="U.S. Testpublisher")
    CitationFactory(content_object=perpetrator, source=source)
    html = anonymous.get(f"/fa/perpetrators/{perpetrator.ref}/dossier/").content.decode()
    assert '<bdi dir="ltr" lang="en">Testtitle report (2017).</bdi>' in html
    assert '<bdi dir="ltr" lang="en">U.S. Testpublisher</bdi>' in html


def test_a_persian_name_on_an_english_dossier_is_laid_out_right_to_left(anonymous):
    perpetrator = PerpetratorFactory(name_latin="", name_fa="نام آزمایشی (مستعار)")
    html = anonymous.get(f"/perpetrators/{perpetrator.ref}/dossier/").content.decode()
    assert '<bdi dir="rtl" lang="fa">نام آزمایشی (مستعار)</bdi>' in html


def test_a_persian_date_keeps_the_gregorian_and_its_brackets_in_one_run(seed, anonymous):
    html = anonymous.get("/fa/perpetrators/P-0003/dossier/").content.decode()
    assert '<span class="gregorian">(۲۵ ژوئیه ۲۰۱۹)</span>' in html
