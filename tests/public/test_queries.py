"""The number of database queries of a list or detail page does not grow with the rows
it shows: measured with 5 rows, then held to that with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CitationFactory,
    CommissionFactory,
    EventFactory,
    MembershipFactory,
    PerpetratorFactory,
    PlaceFactory,
    PositionFactory,
    SourceFactory,
    StatementFactory,
    VictimFactory,
)


def add_victims(n, **kwargs):
    prison = PlaceFactory()
    for _ in range(n):
        victim = VictimFactory(prison=prison, **kwargs)
        CitationFactory(content_object=victim, claim="fate")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/victims/", "/fa/victims/", "/victims/?fate=executed", "/api/victims/", "/"]
)
def test_victim_lists_run_the_same_queries_for_5_or_50_rows(
    client, db, url, django_assert_max_num_queries
):
    event = EventFactory(slug="e")
    add_victims(5, event=event)
    few = queries(client, url)
    add_victims(45, event=event)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_event_page_queries_do_not_grow_with_its_victims(client, db, django_assert_max_num_queries):
    event = EventFactory(slug="big")
    add_victims(5, event=event)
    few = queries(client, "/events/big/")
    add_victims(45, event=event)
    with django_assert_max_num_queries(few):
        client.get("/events/big/")


def test_perpetrator_page_queries_do_not_grow_with_its_career_and_victims(
    client, db, django_assert_max_num_queries
):
    perpetrator = PerpetratorFactory(ref="TEST-Q")
    commission = CommissionFactory()

    def grow(n):
        for _ in range(n):
            membership = MembershipFactory(perpetrator=perpetrator, commission=CommissionFactory())
            CitationFactory(content_object=membership, source=SourceFactory())
            position = PositionFactory(perpetrator=perpetrator)
            CitationFactory(content_object=position, source=SourceFactory())
            statement = StatementFactory(perpetrator=perpetrator)
            CitationFactory(content_object=statement, source=SourceFactory())
        add_victims(n * 5, commission=commission)

    MembershipFactory(perpetrator=perpetrator, commission=commission, role="prosecutor")
    grow(1)
    few = queries(client, "/perpetrators/TEST-Q/")
    grow(9)
    with django_assert_max_num_queries(few):
        client.get("/perpetrators/TEST-Q/")


def test_victim_page_queries_do_not_grow_with_its_citations(
    client, db, django_assert_max_num_queries
):
    victim = VictimFactory(ref="TEST-C")
    for claim in ("fate", "gender", "death_date", "general", "prison"):
        CitationFactory(content_object=victim, claim=claim)
    few = queries(client, "/victims/TEST-C/")
    for _ in range(10):
        for claim in ("fate", "gender", "death_date", "general", "prison"):
            CitationFactory(content_object=victim, claim=claim)
    with django_assert_max_num_queries(few):
        client.get("/victims/TEST-C/")
