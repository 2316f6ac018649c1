"""The map in Chromium at a phone's width (390 px), in English and in Persian: a marker
is a link that leads to its place's page, and both pages pass axe-core (WCAG 2.0/2.1 A
and AA) and ask nothing of another site."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.test_accessibility import _describe, _violations

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def mapped(transactional_db):
    from archive.core.models import Place
    from tests.factories import CommissionFactory, VictimFactory, cite_place

    city = Place.objects.create(
        kind="city", name_en="Test City", name_fa="شهر آزمایشی", latitude=35.69, longitude=51.39
    )
    prison = Place.objects.create(
        kind="prison", name_en="Test Prison", name_fa="زندان آزمایشی", parent=city,
        latitude=35.79, longitude=51.39,
    )  # fmt: skip
    grave = Place.objects.create(
        kind="mass_grave", name_en="Test Grave", name_fa="گور آزمایشی", parent=city,
        latitude=36.30, longitude=59.60,
    )  # fmt: skip
    source = cite_place(prison, "coordinates", "parent")  # the city's: cited to no source
    cite_place(grave, "coordinates", source=source)
    for n in range(3):
        VictimFactory(name_latin=f"Testname Mapped{n}", prison=prison, burial_place=grave)
    CommissionFactory(name_en="Test commission", place=prison)
    return prison


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_reader_on_a_phone_follows_a_marker_to_its_place(
    new_context, live_server, mapped, language
):
    context = new_context(
        bypass_csp=True,  # axe runs inline; the site's own pages load no script
        viewport={"width": 390, "height": 844},
        locale="fa-IR" if language == "fa" else "en-GB",
    )
    origins = set()
    context.on("request", lambda request: origins.add(urlsplit(request.url).netloc))
    page = context.new_page()
    prefix = "/fa" if language == "fa" else ""
    response = page.goto(f"{live_server.url}{prefix}/map/")
    assert response.status == 200
    svg = page.locator("svg.iran-map")
    assert svg.is_visible()
    # The map fits the phone's width: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"map-{language}-390.png"), full_page=True)
    found = {}
    if violations := _violations(page):
        found[f"{prefix}/map/"] = violations

    marker = page.locator(f'svg.iran-map a[href="{prefix}/places/{mapped.slug}/"]')
    assert marker.count() == 1
    with page.expect_navigation():
        marker.click()
    assert urlsplit(page.url).path == f"{prefix}/places/{mapped.slug}/"
    heading = page.locator("h1").inner_text()
    assert ("زندان آزمایشی" if language == "fa" else "Test Prison") in heading
    assert page.get_by_text("Testname Mapped0").count() >= 1
    page.screenshot(path=str(SHOTS / f"place-{language}-390.png"), full_page=True)
    if violations := _violations(page):
        found[f"{prefix}/places/{mapped.slug}/"] = violations

    report = _describe(found)
    assert not found, f"WCAG 2.0/2.1 A/AA violations:\n{report}"
    assert origins == {urlsplit(live_server.url).netloc}, origins
