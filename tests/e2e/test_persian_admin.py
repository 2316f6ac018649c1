"""The Persian admin in Chromium against a live server: the counts Django's admin scripts
write in the page (the actions bar's "2 of 5 selected") are in the reader's digits, and
the English admin's stay as Django writes them. The people are synthetic (refs
TEST-E2E-FA...)."""

import pytest

from archive.core.groups import RESEARCHER
from tests.e2e.browsing import sign_in
from tests.factories import VictimFactory

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("locale", "before", "after"),
    [
        ("fa-IR", "۰ از ۵ انتخاب شده‌اند", "۲ از ۵ انتخاب شده‌اند"),
        ("en-GB", "0 of 5 selected", "2 of 5 selected"),
    ],
    ids=["persian", "english"],
)
def test_the_actions_bar_counts_the_ticked_rows_in_the_readers_digits(
    new_context, live_server, staff, locale, before, after
):
    for n in range(5):
        VictimFactory(ref=f"TEST-E2E-FA{n}", name_latin=f"Synthetic Countrow {n}",
                      publication_status="draft")  # fmt: skip
    context = new_context(locale=locale)
    page = context.new_page()
    refused = []  # what the Content Security Policy blocked, as the console reports it
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    sign_in(page, live_server.url, staff("e2e-fa-researcher", RESEARCHER))

    page.goto(f"{live_server.url}/admin/victims/victim/")
    counter = page.locator(".actions .action-counter").first
    assert counter.inner_text().strip() == before
    boxes = page.locator("#result_list input.action-select")
    assert boxes.count() == 5
    boxes.nth(0).check()
    boxes.nth(1).check()

    assert counter.inner_text().strip() == after  # Django's actions.js wrote "2 از 5"
    assert refused == []


def test_a_year_typed_with_a_persian_keyboard_is_saved_in_the_admin(
    new_context, live_server, staff
):
    from victims.models import Victim

    victim = VictimFactory(ref="TEST-E2E-FAYEAR", name_latin="Synthetic Yearrow",
                           publication_status="draft", birth_year=None)  # fmt: skip
    page = new_context(locale="fa-IR").new_page()
    sign_in(page, live_server.url, staff("e2e-fa-year", RESEARCHER))
    page.goto(f"{live_server.url}/admin/victims/victim/{victim.pk}/change/")

    # A Persian keyboard types Persian digits; a number box (type="number") dropped them.
    page.locator("input[name=birth_year]").press_sequentially("۱۹۶۱")
    assert page.input_value("input[name=birth_year]") == "۱۹۶۱"
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()

    assert page.locator(".errornote").count() == 0
    assert Victim.objects.get(pk=victim.pk).birth_year == 1961
