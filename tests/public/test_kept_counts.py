"""The figures a reader sees (the statistics, the home page's count, the list's count and
its filters' choices) come from counts the database keeps as victims are written
(``victims.facet_tallies``): each publication, withdrawal, change, merge, bulk write and
deletion shows exactly on the next page, and the ages kept are the ages the filter finds."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.core.ages import AGE_GROUPS
from tests.factories import EventFactory, VictimFactory, cite_facts
from victims import facet_tallies
from victims.models import Victim
from victims.services import merge_victims

pytestmark = pytest.mark.django_db


def api_count(query: str = "") -> int:
    return Client().get(f"/api/victims/{query}").json()["count"]


def exact():
    """The kept counts are what a fresh count of the published victims gives."""
    assert facet_tallies.differences() == {}
    return True


def stat_row(html: str, label: str) -> int | None:
    found = re.search(
        rf'<bdi dir="auto">{re.escape(label)}</bdi></th><td class="number">([\d,]+)</td>', html
    )
    return int(found.group(1).replace(",", "")) if found else None


def test_every_kind_of_write_shows_exactly_on_the_next_pages(places, reviewer):
    event = EventFactory(name_en="Test killings")
    people = [
        VictimFactory(fate="executed", event=event, occupation="teacher",
                      death_date=datetime.date(1988, 8, 20), death_date_precision="day")
        for _ in range(3)
    ]  # fmt: skip
    draft = VictimFactory(fate="disappeared", occupation="student", publication_status="draft")
    assert exact()
    assert api_count() == 3
    assert api_count("?fate=executed") == 3
    assert api_count("?occupation=teacher") == 3
    html = Client().get("/stats/").content.decode()
    assert stat_row(html, "Test killings") == 3
    assert stat_row(html, "1988") == 3

    # A draft's values are neither counted nor offered as a choice until it is published.
    assert 'value="student"' not in Client().get("/victims/").content.decode()
    cite_facts(draft)
    draft.publish(user=reviewer)
    assert api_count() == 4
    assert api_count("?fate=disappeared") == 1
    assert 'value="student"' in Client().get("/victims/").content.decode()
    assert exact()

    # A change of fact moves the person from one count to the other.
    people[0].fate = "died_in_custody"
    people[0].death_date = datetime.date(1989, 1, 5)
    people[0].save()
    assert api_count("?fate=executed") == 2
    assert api_count("?year=1989") == 1
    assert stat_row(Client().get("/stats/").content.decode(), "1989") == 1
    assert exact()

    # Withdrawn: out of every count at once.
    people[1].withdraw(user=reviewer, reason="checked: entered twice")
    assert api_count() == 3
    assert api_count(f"?event={event.slug}") == 2
    assert exact()

    # A merge leaves one person counted.
    merge_victims(keep=people[0], other=people[2], user=reviewer)
    assert api_count() == 2
    assert exact()

    # Statements that write many rows at once (the import's UPDATE ... FROM, the admin's
    # actions: no model signal), and deletions.
    Victim.objects.filter(pk=draft.pk).update(occupation="farmer", birth_year=1960)
    assert facet_tallies.facet_counts("occupation")["farmer"] == 1
    assert exact()
    Victim.objects.filter(pk=draft.pk).update(publication_status="withdrawn")
    assert "farmer" not in facet_tallies.facet_counts("occupation")
    assert exact()
    Victim.objects.filter(pk=draft.pk).delete()
    assert exact()
    people[0].withdraw(user=reviewer, reason="checked: not a victim of these events")
    assert api_count() == 0
    assert exact()


def test_the_ages_kept_are_the_ages_the_filter_finds(reviewer):
    """Born 1960: died 20 August 1988 (27 or 28), on 31 December 1988 to the day (28),
    in 1988 known to the year only (27 or 28), in the year of birth (0), and one whose
    range crosses a group's boundary; each age group's count from the kept counts is the
    number of people the filter lists."""
    deaths = [
        (1960, datetime.date(1988, 8, 20), "day"),
        (1960, datetime.date(1988, 12, 31), "day"),
        (1960, datetime.date(1988, 12, 31), "year"),
        (1960, datetime.date(1988, 1, 1), "year"),
        (1988, datetime.date(1988, 6, 1), "month"),
        (1963, datetime.date(1988, 3, 1), "day"),
        (1940, datetime.date(2019, 11, 16), "day"),
        (None, datetime.date(2019, 11, 16), "day"),
    ]
    for born, died, precision in deaths:
        VictimFactory(birth_year=born, death_date=died, death_date_precision=precision)
    assert exact()
    for group in AGE_GROUPS:
        listed = Victim.objects.published().in_age_group(group).count()
        assert api_count(f"?age={group.key}") == listed, group.key
    assert sum(facet_tallies.facet_counts("age").values()) == 7


def test_a_list_with_two_filters_is_counted_and_counts_what_it_lists(places):
    VictimFactory(fate="executed", prison=places["prison"])
    VictimFactory(fate="executed", prison=places["other"])
    VictimFactory(fate="disappeared", prison=places["prison"])
    assert api_count(f"?prison={places['prison'].pk}") == 2
    assert api_count(f"?fate=executed&prison={places['prison'].pk}") == 1
    html = Client().get(f"/victims/?fate=executed&prison={places['prison'].pk}").content
    assert b"1 record" in html


def test_the_home_page_counts_the_published_victims(reviewer):
    VictimFactory.create_batch(2)
    VictimFactory(publication_status="draft")
    assert re.search(r">\s*2\s*<", Client().get("/").content.decode())
    assert facet_tallies.published_count() == 2


def test_the_whole_list_is_counted_without_a_pass_over_the_victims():
    VictimFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        html = Client().get("/victims/").content.decode()
    assert "3 records" in html
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if "victims_victim" in sql], counts


def test_an_events_count_follows_a_withdrawal_at_once(reviewer):
    event = EventFactory(name_en="Test killings", slug="test-killings")
    people = VictimFactory.create_batch(3, event=event)
    assert "3 victim records" in Client().get("/events/").content.decode()
    assert "3 published victim records" in Client().get("/events/test-killings/").content.decode()
    people[0].withdraw(user=reviewer, reason="checked: another event")
    assert "2 victim records" in Client().get("/events/").content.decode()
    assert "2 published victim records" in Client().get("/events/test-killings/").content.decode()


def test_the_counts_token_moves_with_a_count_and_not_with_how_its_rows_are_split():
    from victims.models import FacetTally

    victim = VictimFactory(fate="executed")
    before = facet_tallies.FACET_TALLIES.digest()
    # PostgreSQL may keep a count over several rows (one per open writer): same count.
    row = FacetTally.objects.filter(facet="fate", value="executed").first()
    FacetTally.objects.filter(pk=row.pk).update(n=row.n - 1)
    FacetTally.objects.create(facet="fate", value="executed", n=1)
    assert facet_tallies.FACET_TALLIES.digest() == before

    victim.biography = "Synthetic, edited."
    victim.save()
    assert facet_tallies.FACET_TALLIES.digest() == before
    victim.fate = "died_in_custody"
    victim.save()
    assert facet_tallies.FACET_TALLIES.digest() != before
