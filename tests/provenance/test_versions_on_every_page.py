"""A source's version is shown wherever the fact is shown with its footnotes: a seat's
role, a post's dates, a commission's place and dates, and a victim's commission and event,
on the public pages (both languages) and in the dossiers."""

import datetime
import re

import pytest

from tests.factories import (
    CitationFactory,
    CommissionFactory,
    EventFactory,
    MembershipFactory,
    PlaceFactory,
    PositionFactory,
    SourceFactory,
    VictimFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def disputed_perpetrator():
    """A synthetic perpetrator whose seat, post and commission each have a fact another
    synthetic source gives differently."""
    tehran = PlaceFactory(name_en="Testcity Tehran", kind="city")
    commission = CommissionFactory(
        place=tehran, start_date=datetime.date(1988, 7, 1), start_date_precision="month"
    )
    membership = MembershipFactory(
        commission=commission, role="prosecutor", perpetrator__ref="TEST-P-VERSIONS"
    )
    position = PositionFactory(
        perpetrator=membership.perpetrator,
        start_date=datetime.date(1985, 1, 1),
        start_date_precision="year",
    )
    other = SourceFactory(title="Synthetic second list")
    CitationFactory(content_object=membership, claim="role", source=other, value="religious_judge")
    CitationFactory(content_object=position, claim="start_date", source=other, value="1987")
    CitationFactory(content_object=commission, claim="place", source=other, value="Testcity Karaj")
    CitationFactory(content_object=commission, claim="start_date", source=other, value="1988-08")
    return membership.perpetrator


def test_the_perpetrator_page_shows_each_other_version_of_seat_post_and_commission(
    client, disputed_perpetrator
):
    text = text_of(client.get("/perpetrators/TEST-P-VERSIONS/"))

    # A seat's role and a post's dates are cited by the seat's or post's general
    # citation (no number of their own); the other source's version still follows.
    assert re.search(r"Role: prosecutor ; religious judge according to \d+", text)
    assert re.search(r"Sat in Testcity Tehran \d+ ; Testcity Karaj according to \d+", text)
    assert re.search(r"commission from July 1988 \d+ ; August 1988 according to \d+", text)
    assert re.search(r"1985 ; 1987 according to \d+", text)


def test_the_persian_perpetrator_page_shows_the_versions_in_persian(client, disputed_perpetrator):
    text = text_of(client.get("/fa/perpetrators/TEST-P-VERSIONS/"))

    assert "به گفتهٔ" in text
    assert "۱۹۸۷" in text  # the other source's year of the post, in Persian digits
    assert "Testcity Karaj" in text


def test_the_perpetrator_dossier_shows_the_seat_and_commission_versions(
    client, disputed_perpetrator
):
    text = text_of(client.get("/perpetrators/TEST-P-VERSIONS/dossier/"))

    assert re.search(r"religious judge according to \d+", text)
    assert re.search(r"1987 according to \d+", text)


def test_the_event_page_shows_the_commission_other_start_date(client, disputed_perpetrator):
    commission = disputed_perpetrator.memberships.get().commission
    commission.event = EventFactory(slug="test-event-versions")
    commission.save()

    text = text_of(client.get("/events/test-event-versions/"))

    assert re.search(r"July 1988 \d+ ; August 1988 according to \d+", text)


def test_the_victim_page_shows_another_source_event_for_the_victim(client):
    event = EventFactory(name_en="Synthetic event one")
    victim = VictimFactory(ref="TEST-V-EVENT-VERSION", event=event)
    CitationFactory(content_object=victim, claim="event", value="Synthetic event two")

    text = text_of(client.get("/victims/TEST-V-EVENT-VERSION/"))

    assert re.search(r"Synthetic event one \d+ ; Synthetic event two according to \d+", text)
