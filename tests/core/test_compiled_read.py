"""``CompiledRead``: a queryset's SQL compiled once, sent with each new value; and
``for_this_version``: what is kept per data version in a worker."""

import re

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from archive.core.compiled import CompiledRead
from archive.core.models import Place
from archive.core.versions import REQUEST_VERSION, for_this_version
from tests.factories import PlaceFactory, VictimFactory
from victims.models import Victim

# No version's reads kept by an earlier test in this process (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("nothing_kept")


def test_a_compiled_read_gives_what_its_queryset_gives_for_each_value(db):
    VictimFactory(ref="TEST-1", name_latin="Synthetic One")
    VictimFactory(ref="TEST-2", name_latin="Synthetic Two")
    VictimFactory(ref="TEST-3", name_latin="Synthetic Three", publication_status="draft")
    read = CompiledRead(
        Victim,
        lambda ref: Victim.objects.published().annotate(doubled=models.F("id") * 2).filter(ref=ref),
    )
    for ref in ("TEST-1", "TEST-2", "TEST-3", "TEST-none", "' OR 1=1 --"):
        expected = list(read.build(ref))
        found = read.all(ref)
        assert [(v.pk, v.name_latin) for v in found] == [(v.pk, v.name_latin) for v in expected]
        assert [v.doubled for v in found] == [v.pk * 2 for v in expected]
    assert [v.name_latin for v in read.all("TEST-2")] == ["Synthetic Two"]


def test_a_compiled_read_refuses_relations_followed_and_a_value_not_in_its_sql(db):
    joined = CompiledRead(
        Victim, lambda ref: Victim.objects.select_related("prison").filter(ref=ref)
    )
    with pytest.raises(ValueError, match="select_related"):
        joined.all("TEST-1")
    constant = CompiledRead(Victim, lambda ref: Victim.objects.filter(ref="TEST-1"))
    with pytest.raises(ValueError, match="one parameter"):
        constant.all("TEST-1")


def test_what_is_kept_for_a_version_is_computed_again_when_the_version_moves(db):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    token = REQUEST_VERSION.set("v1")
    try:
        assert for_this_version("test-kept", compute) == 1
        assert for_this_version("test-kept", compute) == 1
        REQUEST_VERSION.set("v2")
        assert for_this_version("test-kept", compute) == 2
    finally:
        REQUEST_VERSION.reset(token)
    # Outside a request that read a version: computed each time.
    assert for_this_version("test-kept", compute) == 3
    assert for_this_version("test-kept", compute) == 4


def test_places_kept_for_one_version_are_not_served_for_the_next(db):
    place = PlaceFactory(name_en="Synthetic Before")
    VictimFactory(ref="TEST-P", prison=place)
    token = REQUEST_VERSION.set("v1")
    try:
        assert Victim.for_page("TEST-P").prison.name_en == "Synthetic Before"
        place.name_en = "Synthetic After"
        place.save()
        REQUEST_VERSION.set("v2")
        assert Victim.for_page("TEST-P").prison.name_en == "Synthetic After"
    finally:
        REQUEST_VERSION.reset(token)


def test_a_place_is_read_once_per_version_whichever_pages_name_it(db):
    prison = PlaceFactory()
    VictimFactory(ref="TEST-X", prison=prison)
    VictimFactory(ref="TEST-Y", prison=prison, death_place=PlaceFactory())
    token = REQUEST_VERSION.set("v1")
    try:
        with CaptureQueriesContext(connection) as first:
            Victim.for_page("TEST-X")
        with CaptureQueriesContext(connection) as second:
            victim = Victim.for_page("TEST-Y")
    finally:
        REQUEST_VERSION.reset(token)
    places = connection.ops.quote_name(Place._meta.db_table)

    def place_reads(captured):
        return [q["sql"] for q in captured if f"FROM {places}" in q["sql"]]

    assert len(place_reads(first)) == 1
    # Only the place of death, which no page named before, is read.
    (read,) = place_reads(second)
    asked = re.search(r"IN \(([^)]*)\)", read).group(1)
    assert {int(pk) for pk in asked.split(",")} == {victim.death_place_id}
    assert victim.prison.pk == prison.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
@pytest.mark.django_db(transaction=True)  # outside a transaction, as a page reads
def test_a_read_whose_prepared_statement_the_server_lost_is_made_plainly():
    VictimFactory(ref="TEST-Q", name_latin="Synthetic Prepared")
    read = CompiledRead(Victim, lambda ref: Victim.objects.published().filter(ref=ref))
    assert [v.name_latin for v in read.all("TEST-Q")] == ["Synthetic Prepared"]
    with connection.connection.cursor() as cursor:  # as a pooler handing another backend
        cursor.execute("DEALLOCATE ALL")
    assert [v.name_latin for v in read.all("TEST-Q")] == ["Synthetic Prepared"]
    assert [v.name_latin for v in read.all("TEST-Q")] == ["Synthetic Prepared"]
