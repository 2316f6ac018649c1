"""The Persian admin in Chromium against a live server: the numbers Django's admin scripts
write in the page (the actions bar's "2 of 5 selected", a date field's calendar) are in
the reader's digits, and the English admin's stay as Django writes them. The people are
synthetic (refs TEST-E2E-FA...)."""

from datetime import date

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


@pytest.mark.parametrize(
    ("field", "typed", "saved"),
    [
        # A number box (type="number") dropped Persian digits as they were typed.
        ("birth_year", "۱۹۶۱", 1961),
        # Django's date field read ASCII digits only: "یک تاریخ معتبر وارد کنید".
        ("arrest_date", "۱۹۸۸-۰۸-۱۵", date(1988, 8, 15)),
    ],
    ids=["year", "date"],
)
def test_what_a_persian_keyboard_types_is_saved_in_the_admin(
    new_context, live_server, staff, field, typed, saved
):
    from victims.models import Victim

    victim = VictimFactory(ref=f"TEST-E2E-FA-{field}", name_latin="Synthetic Keyboardrow",
                           publication_status="draft", birth_year=None,
                           arrest_date=None)  # fmt: skip
    page = new_context(locale="fa-IR").new_page()
    sign_in(page, live_server.url, staff(f"e2e-fa-{field}", RESEARCHER))
    page.goto(f"{live_server.url}/admin/victims/victim/{victim.pk}/change/")

    page.locator(f"input[name={field}]").press_sequentially(typed)
    assert page.input_value(f"input[name={field}]") == typed
    if field == "arrest_date":
        page.select_option("#id_arrest_date_precision", "day")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()

    assert page.locator(".errornote").count() == 0
    assert getattr(Victim.objects.get(pk=victim.pk), field) == saved


@pytest.mark.parametrize(
    ("locale", "year", "day"),
    [("fa-IR", "۱۹۶۱", "۱۹۸۸-۰۸-۱۵"), ("en-GB", "1961", "1988-08-15")],
    ids=["persian", "english"],
)
def test_a_saved_year_and_date_show_in_the_readers_digits_and_save_back_unchanged(
    new_context, live_server, staff, locale, year, day
):
    from django.contrib.admin.models import LogEntry

    from victims.models import Victim

    victim = VictimFactory(ref="TEST-E2E-FASHOWN", name_latin="Synthetic Shownrow",
                           publication_status="draft", birth_year=1961,
                           arrest_date=date(1988, 8, 15), arrest_date_precision="day")  # fmt: skip
    page = new_context(locale=locale).new_page()
    sign_in(page, live_server.url, staff("e2e-fa-shown", RESEARCHER))
    page.goto(f"{live_server.url}/admin/victims/victim/{victim.pk}/change/")

    # Persian pages wrote the boxes' values as Django does, "1961" and "1988-08-15".
    assert page.input_value("input[name=birth_year]") == year
    assert page.input_value("input[name=arrest_date]") == day
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()

    assert page.locator(".errornote").count() == 0
    saved = Victim.objects.get(pk=victim.pk)
    assert (saved.birth_year, saved.arrest_date) == (1961, date(1988, 8, 15))
    assert LogEntry.objects.get(object_id=str(victim.pk)).change_message == "[]"  # unchanged
    assert page.input_value("input[name=birth_year]") == year


@pytest.mark.parametrize(
    ("locale", "shown", "caption", "days", "day"),
    [
        ("fa-IR", "۱۹۸۸-۰۸-۰۱", "آگوست ۱۹۸۸", ["۱", "۲", "۳"], "۱۵"),
        ("en-GB", "1988-08-01", "August 1988", ["1", "2", "3"], "15"),
    ],
    ids=["persian", "english"],
)
def test_the_date_calendar_shows_the_readers_digits_and_writes_the_date_the_form_reads(
    new_context, live_server, staff, locale, shown, caption, days, day
):
    from victims.models import Victim

    victim = VictimFactory(ref="TEST-E2E-FACAL", name_latin="Synthetic Calendarrow",
                           publication_status="draft", arrest_date=date(1988, 8, 1),
                           arrest_date_precision="day")  # fmt: skip
    page = new_context(locale=locale).new_page()
    refused = []  # what the Content Security Policy blocked, as the console reports it
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    sign_in(page, live_server.url, staff("e2e-fa-calendar", RESEARCHER))
    page.goto(f"{live_server.url}/admin/victims/victim/{victim.pk}/change/")

    # Django's calendar (DateTimeShortcuts), opened beside the date of arrest: August 1988,
    # the month of the date in the box, whichever digits it is written in (it read only
    # ASCII digits, and opened on this month).
    assert page.input_value("#id_arrest_date") == shown
    page.locator("#id_arrest_date ~ .datetimeshortcuts a[id^=calendarlink]").click()
    calendar = page.locator(".calendarbox:visible")
    assert calendar.locator("caption").text_content() == caption  # Persian pages: "آگوست 1988"
    links = calendar.locator("td a")
    assert links.all_inner_texts()[:3] == days  # Persian pages wrote 1, 2, 3
    links.get_by_text(day, exact=True).click()

    # The input holds the date as the form field reads it, whatever digits were shown.
    assert page.input_value("#id_arrest_date") == "1988-08-15"
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    assert page.locator(".errornote").count() == 0
    assert Victim.objects.get(pk=victim.pk).arrest_date == date(1988, 8, 15)
    assert refused == []
