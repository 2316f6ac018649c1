"""A perpetrator's post "as reported" reads in the page's language."""

import pytest

from tests.factories import PerpetratorFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_a_post_known_only_as_reported_reads_in_persian_on_the_persian_page(client):
    perpetrator = PerpetratorFactory(name_latin="Testname Official")
    PositionFactory(
        perpetrator=perpetrator,
        title_en="Test prosecutor",
        title_fa="دادستان آزمایشی",
        as_of="2020, as a test report says",
        as_of_fa="۲۰۲۰، بنا بر گزارش آزمایشی",
    )

    english = client.get(perpetrator.get_absolute_url())
    persian = client.get("/fa" + perpetrator.get_absolute_url())

    assert english.status_code == 200 and persian.status_code == 200
    assert "2020, as a test report says" in english.content.decode()
    assert "۲۰۲۰، بنا بر گزارش آزمایشی" not in english.content.decode()
    assert "۲۰۲۰، بنا بر گزارش آزمایشی" in persian.content.decode()
    assert "2020, as a test report says" not in persian.content.decode()


def test_a_post_reported_in_english_only_still_shows_on_the_persian_page(client):
    perpetrator = PerpetratorFactory(name_latin="Testname Official Two")
    PositionFactory(perpetrator=perpetrator, title_en="Test judge", as_of="as of 2017")

    persian = client.get("/fa" + perpetrator.get_absolute_url())

    assert persian.status_code == 200
    assert "as of 2017" in persian.content.decode()
