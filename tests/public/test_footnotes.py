"""Footnotes as the statement's own: numbers in order of first appearance, one per
source with its locators joined, each linking to the source's page and its URL."""

import datetime
import re

import pytest

from tests.factories import CitationFactory, SourceFactory, VictimFactory

JVMI_REPORT = "https://iran1988.org/new-report-published-1988massacre-iran-evidence-crime-humanity/"
MOSALAS_INTERVIEW = "https://youtu.be/uAo6w1QOFqw"


def footnote_items(html):
    section = html.split('id="footnotes-label"', 1)[1]
    return re.findall(r'<li id="fn-(\d+)" value="\d+">(.*?)</li>', section, re.S)


def test_the_raisi_page_cites_the_jvmi_report(client, seed):
    html = client.get("/perpetrators/P-0001/").content.decode()
    assert f'href="{JVMI_REPORT}"' in html
    # Attributed, never bare: "identified as a member … by JVMI (2017)¹".
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "Identified as a member of the Death Commissions of 1988 by JVMI (2017)1" in text


def test_the_pour_mohammadi_page_cites_the_2019_interview(client, seed):
    html = client.get("/perpetrators/P-0003/").content.decode()
    assert f'href="{MOSALAS_INTERVIEW}"' in html
    assert "Public statements" in html


def test_each_footnote_links_to_the_source_page_and_to_its_url(client, seed):
    html = client.get("/perpetrators/P-0001/").content.decode()
    items = dict(footnote_items(html))
    assert 'href="/sources/2/"' in items["1"]  # the biography cites JVMI first
    assert JVMI_REPORT in items["1"]


def test_footnotes_are_numbered_in_order_of_first_appearance_with_locators_joined(client, db):
    later = SourceFactory(title="Cited second")
    first = SourceFactory(title="Cited first")
    victim = VictimFactory(
        ref="TEST-FN",
        death_date=datetime.date(1988, 8, 1),
        death_date_precision="month",
        gender="male",
        cited=False,
    )
    # Entered in the other order: numbering follows the page, not the database.
    CitationFactory(content_object=victim, source=later, claim="death_date", locator="p. 4")
    CitationFactory(content_object=victim, source=first, claim="gender", locator="p. 1")
    CitationFactory(content_object=victim, source=first, claim="death_date", locator="p. 7")
    html = client.get("/victims/TEST-FN/").content.decode()
    items = footnote_items(html)
    assert [n for n, _ in items] == ["1", "2"]
    assert "Cited first" in items[0][1] and "p. 1; p. 7" in items[0][1]
    assert "Cited second" in items[1][1] and "p. 4" in items[1][1]
    # The date of death carries both numbers, sorted.
    death = html.split("Date of death</dt>", 1)[1].split("</dd>", 1)[0]
    assert re.findall(r'href="#fn-(\d)"', death) == ["1", "2"]


def test_a_private_source_shows_only_as_private_testimony(client, db):
    private = SourceFactory(
        title="Testimony of the sister",
        author="Her name",
        url="https://example.org/private",
        is_private=True,
        received_date=datetime.date(2023, 1, 9),
    )
    victim = VictimFactory(ref="TEST-PRIV", fate="executed")
    CitationFactory(content_object=victim, source=private, claim="fate", quote="her words")
    html = client.get("/victims/TEST-PRIV/").content.decode()
    assert "Private testimony, received 2023-01-09" in html
    for secret in ("Testimony of the sister", "Her name", "example.org/private", "her words"):
        assert secret not in html
    assert f"/sources/{private.pk}/" not in html


def test_a_marker_to_no_public_citation_is_dropped_not_shown_broken(client, db):
    VictimFactory(ref="TEST-MARK", biography="Said so [src:99999].")
    html = client.get("/victims/TEST-MARK/").content.decode()
    assert "Said so." in html
    assert "[src:" not in html


def test_where_sources_disagree_each_version_is_shown_with_its_footnote(client, db):
    one, two = SourceFactory(title="One"), SourceFactory(title="Two")
    victim = VictimFactory(
        ref="TEST-DIS", death_date=datetime.date(1988, 8, 1), death_date_precision="month"
    )
    CitationFactory(content_object=victim, source=one, claim="death_date", quote="in August")
    CitationFactory(content_object=victim, source=two, claim="death_date", quote="in September")
    html = client.get("/victims/TEST-DIS/").content.decode()
    assert "What each source says" in html
    assert "in August" in html and "in September" in html


def test_a_persian_page_numbers_its_notes_in_persian_digits(client, db):
    victim = VictimFactory(ref="TEST-FA-NOTES")
    for _ in range(2):
        CitationFactory(content_object=victim, source=SourceFactory(), claim="general")
    html = client.get("/fa/victims/TEST-FA-NOTES/").content.decode()
    superscripts = re.findall(r'<sup class="fn">(.*?)</sup>', html, re.S)
    assert superscripts, "the page cites its sources"
    assert all(not re.search(r">[0-9]+<", s) for s in superscripts)
    assert '<a href="#fn-1" aria-describedby="footnotes-label">۱</a>' in html
    english = client.get("/victims/TEST-FA-NOTES/").content.decode()
    assert '<a href="#fn-1" aria-describedby="footnotes-label">1</a>' in english


def test_an_alias_in_latin_letters_is_isolated_on_a_persian_page(client, seed):
    html = client.get("/fa/perpetrators/P-0001/").content.decode()
    assert re.search(r'<dd><bdi dir="auto">Ebrahim Raeisi · Ebrahim Raissi</bdi>', html)


FOOTNOTED = ["/victims/V-0001/", "/perpetrators/P-0001/", "/perpetrators/P-0003/",
             "/events/1988-massacre/"]  # fmt: skip


def test_every_footnote_marker_is_described_by_a_heading_on_its_page(client, seed):
    for path in FOOTNOTED + ["/fa" + p for p in FOOTNOTED]:
        html = client.get(path).content.decode()
        described = set(re.findall(r'aria-describedby="([^"]+)"', html))
        assert described, path
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        for value in described:
            assert set(value.split()) <= ids, (path, value)


# What only a browser can measure.


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "path", ["/perpetrators/P-0001/", "/fa/perpetrators/P-0001/", "/perpetrators/P-0003/"]
)
def test_a_footnote_marker_is_at_least_24_pixels_square_to_tap(browser, live_server, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + path)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    boxes = [a.bounding_box() for a in page.locator("sup.fn a:visible").all()]
    context.close()
    assert boxes
    small = [b for b in boxes if b["width"] < 24 or b["height"] < 24]
    assert small == []
    overlapping = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x"] < b["x"] + b["width"] - 0.5
        and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5
        and b["y"] < a["y"] + a["height"] - 0.5
    ]
    assert overlapping == []  # one tap, one footnote


def test_an_english_biography_on_a_persian_page_is_marked_as_english(client, seed):
    html = client.get("/fa/perpetrators/P-0003/").content.decode()
    assert '<div dir="auto" lang="en"><p>Described by the NGOs' in html
    # The post "as reported" has its Persian words now, marked as Persian.
    assert re.search(r'<bdi dir="auto" lang="fa">ژوئیه ۲۰۱۹، بنا بر بیانیه', html)
