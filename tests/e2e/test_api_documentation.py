"""The API's documentation page (/data/api/), in English and in Persian: reachable from
the open-data page, its endpoints listed, nothing fetched from another site, and no
WCAG 2.0/2.1 A or AA violation found by axe-core (bundled)."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.test_accessibility import _describe, _violations

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_api_documentation_reads_in_both_languages(new_context, live_server, seeded, language):
    context = new_context(bypass_csp=True, locale="fa-IR" if language == "fa" else "en-GB")
    origins = set()
    context.on("request", lambda request: origins.add(urlsplit(request.url).netloc))
    page = context.new_page()
    prefix = "/fa" if language == "fa" else ""
    page.goto(f"{live_server.url}{prefix}/data/")
    link = page.locator("a[href$='/data/api/']").first
    with page.expect_navigation():
        link.click()
    assert page.url == f"{live_server.url}{prefix}/data/api/"
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h2 code", has_text="GET /api/victims/{ref}/").count() == 1
    assert page.locator("#schema-VictimDetail code", has_text="citations").count() >= 1
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"api-docs-{language}.png"), full_page=False)
    violations = _violations(page)
    assert not violations, _describe({f"{prefix}/data/api/": violations})
    assert origins == {urlsplit(live_server.url).netloc}
