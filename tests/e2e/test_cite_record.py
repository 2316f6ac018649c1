"""'Cite this record' in a real browser, in English and in Persian: the reader follows
it from a victim's page and downloads the BibTeX file."""

from pathlib import Path

import pytest

from tests.factories import VictimFactory

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.mark.parametrize(
    ("prefix", "title"), [("", "Kamran Zandi (کامران زندی)"), ("/fa", "کامران زندی (Kamran Zandi)")]
)
def test_a_reader_follows_cite_this_record_and_downloads_the_bibtex(
    new_context, live_server, transactional_db, prefix, title
):
    VictimFactory(ref="TEST-E2E-CITE", name_latin="Kamran Zandi", name_fa="کامران زندی")
    page = new_context(accept_downloads=True).new_page()
    page.goto(f"{live_server.url}{prefix}/victims/TEST-E2E-CITE/")
    page.locator("a.cite-link").click()  # "Cite this record", at the top of the page
    assert page.url.endswith("#cite-heading")
    section = page.locator("section.cite-this")
    assert section.locator("a", has_text="BibTeX").is_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"cite-this-record{prefix.replace('/', '-') or '-en'}.png"))
    with page.expect_download() as download_info:
        section.locator("a", has_text="BibTeX").click()
    download = download_info.value
    assert download.suggested_filename == "TEST-E2E-CITE.bib"
    text = Path(download.path()).read_text("utf-8")
    assert text.startswith("@misc{archive1988:TEST-E2E-CITE,")
    assert f"title = {{{{{title}}}}}" in text
    assert f"url = {{{live_server.url}{prefix}/victims/TEST-E2E-CITE/}}" in text
    # The page names the citation for reference managers too.
    meta = page.locator('meta[name="citation_public_url"]').get_attribute("content")
    assert meta == f"{live_server.url}{prefix}/victims/TEST-E2E-CITE/"
