"""Statistics: counts by year, prison, province, fate and event, drawn as SVG with the
same figures in a table, computed once and recomputed when a victim changes."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EventFactory, VictimFactory


def test_stats_count_by_year_prison_province_fate_and_event(client, places):
    event = EventFactory(name_en="Test massacre")
    for _ in range(3):
        VictimFactory(prison=places["prison"], death_date=datetime.date(1988, 8, 1),
                      death_date_precision="month", event=event)  # fmt: skip
    VictimFactory(prison=places["other"], fate="disappeared")
    html = client.get("/stats/").content.decode()
    assert html.count("<svg") == 5
    assert '<th scope="row"><bdi dir="auto">1988</bdi></th><td class="number">3</td>' in html
    assert '<bdi dir="auto">Test Province</bdi></th><td class="number">3</td>' in html
    assert '<bdi dir="auto">Test massacre</bdi></th><td class="number">3</td>' in html
    assert '<bdi dir="auto">forcibly disappeared</bdi></th><td class="number">1</td>' in html


def test_persian_stats_use_persian_digits_and_mirror_the_charts(client, places):
    VictimFactory(prison=places["prison"], death_date=datetime.date(1988, 8, 1))
    html = client.get("/fa/stats/").content.decode()
    assert "۱۹۸۸" in html
    assert 'direction="rtl"' in html


def test_stats_are_computed_once_and_again_after_a_victim_changes(client, places):
    victim = VictimFactory(prison=places["prison"])
    client.get("/stats/")
    with CaptureQueriesContext(connection) as cached:
        client.get("/stats/")
    assert not any("GROUP BY" in q["sql"] for q in cached.captured_queries)
    victim.fate = "disappeared"
    victim.save()
    with CaptureQueriesContext(connection) as fresh:
        html = client.get("/stats/").content.decode()
    assert any("GROUP BY" in q["sql"] for q in fresh.captured_queries)
    assert '<bdi dir="auto">forcibly disappeared</bdi></th><td class="number">1</td>' in html
