"""A reader's paths through the public site, in a real browser, without JavaScript."""

import datetime
import re

import pytest

from tests.factories import PlaceFactory, VictimFactory

pytestmark = pytest.mark.e2e

JVMI_REPORT = "https://iran1988.org/new-report-published-1988massacre-iran-evidence-crime-humanity/"


def test_from_home_to_a_perpetrator_to_a_footnote_to_its_source(page, live_server, seeded):
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="Perpetrators", exact=True).first.click()
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Ebrahim Raisi")).click()
    assert page.url.endswith("/perpetrators/P-0001/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ebrahim Raisi")
    page.locator("sup.fn a").first.click()
    assert page.url.endswith("#fn-1")
    footnote = page.locator("#fn-1")
    assert footnote.locator(f'a[href="{JVMI_REPORT}"]').count() == 1
    with page.expect_navigation():
        footnote.locator('a[href^="/sources/"]').click()
    assert re.search(r"/sources/\d+/$", page.url)
    assert "JVMI" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator(f'a[href="{JVMI_REPORT}"]').count() == 1


def test_a_filtered_list_and_its_pages(page, live_server, seeded):
    prison = PlaceFactory(name_en="Browser Test Prison")
    for i in range(55):
        VictimFactory(
            name_latin=f"Browser {i:02d}",
            prison=prison,
            fate="executed",
            death_date=datetime.date(1988, 8, 1),
            death_date_precision="month",
        )
    VictimFactory(name_latin="Browser Elsewhere", fate="disappeared")
    page.goto(live_server.url + "/victims/")
    page.get_by_label("Prison").select_option(label="Browser Test Prison")
    page.get_by_label("Fate").select_option("executed")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert "prison=" in page.url and "fate=executed" in page.url
    assert page.locator(".list-summary").inner_text().startswith("55 records")
    assert page.locator("table.records tbody tr").count() == 50
    assert "Browser Elsewhere" not in page.content()
    # Each click waits for the page it opens to load: the address changes first, and
    # the rows counted before they had arrived were none.
    with page.expect_navigation():
        page.get_by_role("link", name="Next page").click()
    assert "fate=executed" in page.url and "cursor=" in page.url
    rows = page.locator("table.records tbody tr")
    assert rows.count() == 5
    assert rows.first.inner_text().startswith("Browser 50")
    with page.expect_navigation():
        page.get_by_role("link", name="Previous page").click()
    assert page.locator("table.records tbody tr").first.inner_text().startswith("Browser 00")


def test_persian_pages_read_right_to_left(page, live_server, seeded):
    page.goto(live_server.url + "/fa/victims/V-0001/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    assert "۱۳۹۹" in page.locator("dl.facts").inner_text()
    # The layout mirrors: the page's start edge is on the right.
    heading = page.get_by_role("heading", level=1).bounding_box()
    width = page.viewport_size["width"]
    assert heading["x"] + heading["width"] > width / 2
    # The language switch keeps the reader on the same record.
    page.get_by_role("link", name="English").click()
    assert page.url.endswith("/victims/V-0001/")
    assert page.locator("html").get_attribute("dir") == "ltr"
