"""The main public pages, in English and in Persian, checked with axe-core (bundled in
tests/e2e/vendor, never fetched) against WCAG 2.0 and 2.1, levels A and AA. A failure
lists each violation's rule, impact and the elements to fix, page by page.

The same pass checks that no page asks for anything from another site."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archive.core.groups import RESEARCHER
from tests.e2e.browsing import sign_in
from tests.factories import VictimFactory

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PAGES = [
    ("home", "/"),
    ("victim list", "/victims/"),
    ("search results", "/victims/?q=Alireza%20Avaei"),
    ("victim", "/victims/V-0001/"),
    ("perpetrator list", "/perpetrators/"),
    ("perpetrator", "/perpetrators/P-0001/"),
    ("source list", "/sources/"),
    ("source", "/sources/2/"),
    ("events", "/events/"),
    ("event", "/events/1988-massacre/"),
    ("statistics", "/stats/"),
    ("about", "/about/"),
    ("open data", "/data/"),
    ("submission form", "/submit/"),
    ("receipt look-up", "/submit/receipt/"),
]


def _violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }""",
        WCAG_AA,
    )
    return result


def _describe(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            targets = ", ".join(v["targets"][:5]) + (" …" if len(v["targets"]) > 5 else "")
            lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']} — at {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_main_pages_have_no_wcag_a_or_aa_violations(new_context, live_server, seeded, language):
    # The pages' Content-Security-Policy allows no inline script (script-src 'self'), and
    # add_script_tag puts axe's code inline in the page: this context alone, which only
    # measures, lets it run. The site's own scripts are loaded as they always are.
    context = new_context(bypass_csp=True, locale="fa-IR" if language == "fa" else "en-GB")
    origins = set()
    context.on("request", lambda request: origins.add(urlsplit(request.url).netloc))
    page = context.new_page()
    prefix = "/fa" if language == "fa" else ""
    found = {}
    for name, path in PAGES:
        url = live_server.url + prefix + path
        response = page.goto(url)
        assert response.status == 200, f"{name}: {url} answered {response.status}"
        if violations := _violations(page):
            found[f"{name} ({prefix}{path})"] = violations

    # The form, sent empty, comes back with its errors: those must be accessible too.
    page.goto(f"{live_server.url}{prefix}/submit/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#form-errors").count() == 1
    if violations := _violations(page):
        found[f"submission form with errors ({prefix}/submit/)"] = violations

    # The staff's sign-in page speaks the browser's language.
    page.goto(live_server.url + "/admin/login/")
    assert page.locator("html").get_attribute("lang") == language
    if violations := _violations(page):
        found["staff sign-in (/admin/login/)"] = violations

    report = _describe(found)
    print(report)
    assert not found, f"WCAG 2.0/2.1 A/AA violations in {language}:\n{report}"
    assert origins == {urlsplit(live_server.url).netloc}, origins


# The researchers' own pages, signed in.
STAFF_PAGES = [
    ("victims in the admin", "/admin/victims/victim/"),
    ("every change", "/admin/changes/"),
    ("data quality", "/admin/data-quality/"),
]


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_researchers_pages_have_no_wcag_a_or_aa_violations(
    new_context, live_server, staff, language
):
    victim = VictimFactory(
        ref="TEST-E2E-AXE", name_latin="Synthetic Axerow", publication_status="draft"
    )
    context = new_context(bypass_csp=True, locale="fa-IR" if language == "fa" else "en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, staff(f"e2e-axe-{language}", RESEARCHER))
    found = {}
    # A record's own page: its autocompletes and its inlines' fields, which Django leaves
    # unnamed (static/js/admin-labels.js names them), a citation's row added as well.
    record = ("a victim in the admin", f"/admin/victims/victim/{victim.pk}/change/")
    for name, path in [*STAFF_PAGES, record]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        assert page.locator("html").get_attribute("lang") == language
        if (name, path) == record:
            page.wait_for_load_state("load")
            page.locator("#sources-citation-content_type-object_id-group .add-row a").click()
        if violations := _violations(page):
            found[f"{name} ({path})"] = violations

    report = _describe(found)
    assert not found, f"WCAG 2.0/2.1 A/AA violations in {language}:\n{report}"
