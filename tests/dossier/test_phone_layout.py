"""A dossier read on a phone (390 x 844, Chromium): nothing wider than the screen, each
fact's label above its value, each victim a card with every value named."""

from datetime import date

import pytest

from tests.factories import EventFactory, PlaceFactory, VictimFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    """A page on a phone's screen, 390 x 844."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["", "/fa"])
def test_an_event_dossier_reads_on_a_phone(live_server, phone, lang):
    event = EventFactory()
    evin = PlaceFactory(name_en="Testplace Evin Prison", name_fa="زندان آزمایشی اوین")
    for n in range(3):
        VictimFactory(
            event=event,
            prison=evin,
            father_name="Testfather",
            death_date=date(1988, 8, 10 + n),
            death_date_precision="day",
        )
    phone.goto(f"{live_server.url}{lang}/events/{event.slug}/dossier/")

    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"

    # A fact's label above its value, not squeezed beside it.
    label = phone.locator("dl.facts dt").first.bounding_box()
    value = phone.locator("dl.facts dd").first.bounding_box()
    assert value["y"] >= label["y"] + label["height"] - 1

    # Each victim a card as wide as the screen allows, each value under its name.
    first = phone.locator("table.victim-list tbody tr").first
    assert first.bounding_box()["width"] > 300
    prison = first.locator("td[data-label]").nth(2)
    named = phone.evaluate(
        "td => getComputedStyle(td, '::before').content", prison.element_handle()
    )
    assert "زندان" in named if lang else "Prison" in named
