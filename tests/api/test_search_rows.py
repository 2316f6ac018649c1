"""A search's rows in the API (issue 26, searches near the price of an empty request): what
is worked out once per process (a row's age, its dates, the names of the places it links,
the public search's SQL) gives every person their own, as the list and the record do,
and only published people."""

import datetime

import pytest

from archive.api.views import VICTIM_VALUES, victim_row
from archive.core.models import Place
from archive.core.search.statements import candidates_sql
from tests.factories import PlaceFactory, VictimFactory
from victims.models import Victim
from victims.serializers import VictimLinks

pytestmark = pytest.mark.django_db

SEARCHED = {"name_latin": "Parvaneh Shahbazi", "name_fa": "پروانه شهبازی"}


def _search(client, q, **filters):
    response = client.get("/api/victims/", {"q": q, **filters})
    assert response.status_code == 200
    return response.json()


def _browsed(client) -> dict[str, dict]:
    return {row["ref"]: row for row in client.get("/api/victims/").json()["results"]}


def test_a_search_gives_each_person_as_the_list_gives_them_with_score_last(client):
    prison = PlaceFactory(kind=Place.Kind.PRISON, name_en="Test Prison", name_fa="زندان آزمایشی")
    city = PlaceFactory(kind=Place.Kind.CITY, name_en="Test City", name_fa="")
    death = datetime.date(1988, 8, 19)
    people = [
        VictimFactory(**SEARCHED, birth_year=1960, death_date=death, prison=prison),
        VictimFactory(
            **SEARCHED,
            birth_year=1970,
            death_date=death,
            prison=prison,
            death_place=city,
            arrest_date=datetime.date(1987, 3, 1),
            arrest_date_precision="month",
        ),
        VictimFactory(
            **SEARCHED,
            birth_year=None,
            death_date=datetime.date(1988, 1, 1),
            death_date_precision="year",
        ),
    ]
    found = _search(client, "Parvaneh Shahbazi")["results"]
    browsed = _browsed(client)
    assert {row["ref"] for row in found} == {person.ref for person in people}
    for row in found:
        *fields, score, exact = row
        assert (score, exact) == ("score", "exact")
        assert {name: row[name] for name in fields} == browsed[row["ref"]]
        assert list(browsed[row["ref"]]) == fields  # the same fields, in the same order
    by_ref = {row["ref"]: row for row in found}
    # Each their own age, dates and places, though the page worked each out once.
    assert by_ref[people[0].ref]["age_at_death"] == {"min": 27, "max": 28}
    assert by_ref[people[1].ref]["age_at_death"] == {"min": 17, "max": 18}
    assert by_ref[people[2].ref]["age_at_death"] is None
    assert by_ref[people[1].ref]["arrest_date"] == "1987-03"
    assert by_ref[people[0].ref]["arrest_date"] is None
    assert by_ref[people[2].ref]["death_date"] == "1988"
    assert by_ref[people[1].ref]["death_place"] == {"name_en": "Test City", "name_fa": ""}
    assert by_ref[people[0].ref]["death_place"] is None
    for person in people[:2]:
        assert by_ref[person.ref]["prison"] == {
            "name_en": "Test Prison",
            "name_fa": "زندان آزمایشی",
        }


def test_two_records_naming_one_prison_do_not_share_what_they_show_of_it(db):
    prison = PlaceFactory(kind=Place.Kind.PRISON, name_en="Test Prison", name_fa="")
    VictimFactory(**SEARCHED, prison=prison)
    VictimFactory(**SEARCHED, prison=prison)
    links = VictimLinks()
    rows = list(Victim.objects.order_by("pk").values(*VICTIM_VALUES))
    first, second = (victim_row(row, None, links) for row in rows)
    first["prison"]["name_en"] = "changed by one caller"
    assert second["prison"]["name_en"] == "Test Prison"
    assert victim_row(rows[0], None, links)["prison"]["name_en"] == "Test Prison"


def test_a_draft_namesake_is_never_found_nor_counted_however_often_one_searches(client):
    published = VictimFactory(**SEARCHED)
    VictimFactory(**SEARCHED, publication_status="draft")
    VictimFactory(**SEARCHED, publication_status="in_review")
    for _ in range(2):  # the second search reads through the SQL the first one kept
        data = _search(client, "Parvaneh Shahbazi")
        assert [row["ref"] for row in data["results"]] == [published.ref]
        assert data["count"] == 1


def test_a_filtered_search_after_a_plain_one_keeps_its_filter(client):
    executed = VictimFactory(**SEARCHED, fate="executed")
    VictimFactory(**SEARCHED, fate="disappeared")
    assert _search(client, "Parvaneh Shahbazi")["count"] == 2
    data = _search(client, "Parvaneh Shahbazi", fate="executed")
    assert [row["ref"] for row in data["results"]] == [executed.ref]
    assert data["count"] == 1


def test_the_public_search_sql_kept_is_what_the_queryset_compiles_to():
    published = Victim.objects.published()
    kept = candidates_sql(published)
    assert candidates_sql(Victim.objects.published()) == kept
    compiled = published.order_by().values_list("pk", "name_keys").query.sql_with_params()
    assert kept == compiled
    # Any other queryset is compiled as it is: its filters are its own.
    for other in (
        Victim.objects.all(),
        Victim.objects.published().filter(fate="executed"),
        Victim.objects.published().exclude(fate="executed"),
        Victim.objects.published().filter(prison__name_en="x"),
        Victim.objects.filter(publication_status="draft"),
    ):
        expected = other.order_by().values_list("pk", "name_keys").query.sql_with_params()
        assert candidates_sql(other) == expected
        assert candidates_sql(other) != kept
    assert candidates_sql(Victim.objects.published().none()) == (None, ())
