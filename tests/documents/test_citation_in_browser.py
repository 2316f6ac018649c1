"""In Chromium: a reader follows a citation's "p. 2" from a record page to the page image
with the quoted passage marked, in English and in Persian, with JavaScript off."""

from pathlib import Path

import pytest

from sources.documents import add_document
from tests.documents.conftest import PHRASE, upload
from tests.factories import CitationFactory, SourceFactory, VictimFactory

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.mark.parametrize("prefix", ["", "/fa"])
def test_a_reader_follows_p_2_to_the_page_with_the_quote_marked(
    browser, live_server, transactional_db, settings, tmp_path, known_pdf, prefix
):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    source = SourceFactory(title="Synthetic NGO report (test data)")
    add_document(source=source, fileobj=upload(known_pdf))
    victim = VictimFactory(name_latin="Synthetic Person (test)")
    CitationFactory(content_object=victim, source=source, locator="p. 2", quote=PHRASE)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1000, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{prefix}{victim.get_absolute_url()}")
        page.locator("a.locator", has_text="p. 2").click()
        page.wait_for_load_state()
        assert "/pages/2/" in page.url
        highlight = page.locator("svg rect.highlight").first
        box = highlight.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 5
        # The mark lets the words show through (an opaque box would hide them).
        assert float(highlight.evaluate("r => getComputedStyle(r).fillOpacity")) < 0.7
        # The page image is loaded and the mark stands over it.
        image = page.locator("svg").bounding_box()
        assert image and image["y"] <= box["y"] <= image["y"] + image["height"]
        assert page.locator("html").get_attribute("dir") == ("rtl" if prefix else "ltr")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"document-page{prefix.replace('/', '-') or '-en'}.png"))
    finally:
        context.close()
