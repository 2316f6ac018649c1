"""The log of the victims written since their linkage keys were made (PostgreSQL): a
refresh after a few writes looks at those people alone, whatever wrote them, and never
leaves one behind (``archive.core.linkage_log``); and the clustered facts counted beside
the store, as a scan of every victim counts them (``archive.core.linkage_facts``)."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.core import linkage_facts, linkage_store
from archive.core.linkage import Candidate
from tests.factories import EventFactory, PlaceFactory, VictimFactory
from victims.dedupe import archive_matcher
from victims.models import Victim

TABLE = "victims_victim"


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps no log: every refresh compares everyone")


def refresh(**options) -> tuple[int, list[str]]:
    """People made, and the statements the refresh sent."""
    with CaptureQueriesContext(connection) as queries:
        made = linkage_store.refresh(connection, Victim, **options)
    return made, [q["sql"] for q in queries.captured_queries]


def compared_everyone(statements: list[str]) -> bool:
    return any("FULL JOIN" in sql for sql in statements)


def stored_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {TABLE}_linkage")
        return {pk for (pk,) in cursor.fetchall()}


def found_for(name: str, father: str = "Ahmad", year: int = 1958) -> list[str]:
    row = Candidate(ref="row 2", name_latin=name, father_name=father, birth_year=year)
    return [m.b.ref for m in archive_matcher().matches([row]).get("row 2", [])]


def test_the_first_refresh_compares_everyone_and_the_next_reads_only_whom_a_save_touched(
    postgres,
):
    kamali = VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958)
    VictimFactory.create_batch(4)
    made, statements = refresh()
    assert made == 5 and compared_everyone(statements)

    kamali.name_latin = "Hamid Sotoudeh"
    kamali.save()
    made, statements = refresh()

    assert made == 1 and not compared_everyone(statements)
    assert found_for("Hamid Sotoudeh") == [kamali.ref]
    assert found_for("Parviz Kamali") == []
    # Nothing written since: nothing read, nobody compared.
    assert refresh()[0] == 0


def test_writes_that_send_no_signal_are_logged_as_a_save_is(postgres):
    kept = VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958)
    merged = VictimFactory(name_latin="Parviz Kamaly", father_name="Ahmad", birth_year=1958)
    renamed = VictimFactory(name_latin="Nasrin Tabrizi", father_name="Ahmad", birth_year=1958)
    gone = VictimFactory(
        name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958, publication_status="draft"
    )
    refresh()

    Victim.objects.filter(pk=merged.pk).update(merged_into=kept)  # a merge: QuerySet.update
    Victim.objects.filter(pk=gone.pk).delete()
    with connection.cursor() as cursor:  # raw SQL, as a maintainer's fix might be
        cursor.execute(
            f"UPDATE {TABLE} SET name_latin = 'Parviz Kamali' WHERE id = %s", [renamed.pk]
        )
    added = Victim.objects.bulk_create(  # an insert without signals
        [VictimFactory.build(name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958)]
    )[0]

    made, statements = refresh()

    assert not compared_everyone(statements)
    assert made == 2  # renamed, added; the merged and the deleted lose their rows
    assert stored_ids() == {kept.pk, renamed.pk, added.pk}
    assert sorted(found_for("Parviz Kamali")) == sorted([kept.ref, renamed.ref, added.ref])


def test_a_refresh_that_fails_leaves_the_people_it_took_for_the_next(postgres, monkeypatch):
    person = VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958)
    refresh()
    Victim.objects.filter(pk=person.pk).update(name_latin="Hamid Sotoudeh")

    def broken(rows):
        raise RuntimeError("the key maker failed")

    with monkeypatch.context() as patch:
        patch.setattr(linkage_store, "_stored_rows", broken)
        with pytest.raises(RuntimeError):
            refresh()

    made, statements = refresh()
    assert made == 1 and not compared_everyone(statements)
    assert found_for("Hamid Sotoudeh") == [person.ref]


def test_a_refresh_stopped_at_its_deadline_makes_the_rest_next_time(postgres):
    people = VictimFactory.create_batch(3)
    refresh()
    for i, person in enumerate(people):
        Victim.objects.filter(pk=person.pk).update(name_latin=f"Hamid Sotoudeh{'i' * i}")

    with pytest.raises(linkage_store.KeysBehind) as behind:
        refresh(until=time.monotonic() - 1)
    assert behind.value.remaining == 3

    made, statements = refresh()
    assert made == 3 and not compared_everyone(statements)
    assert refresh()[0] == 0


def test_new_code_compares_everyone_again(postgres, monkeypatch):
    VictimFactory.create_batch(3)
    refresh()
    monkeypatch.setattr(linkage_store, "keys_version", lambda: "a-new-version")

    made, statements = refresh()

    assert made == 3 and compared_everyone(statements)
    assert refresh()[0] == 0


def test_after_the_people_are_truncated_everyone_is_compared_and_no_row_of_theirs_is_kept(
    postgres,
):
    VictimFactory.create_batch(3)
    refresh()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's inserts checked first
        cursor.execute(f"TRUNCATE {TABLE} CASCADE")  # fires no trigger of DELETE
    newcomer = VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958)

    made, statements = refresh()

    assert made == 1 and compared_everyone(statements)
    assert stored_ids() == {newcomer.pk}


# --- The clustered facts counted beside the store (``archive.core.linkage_facts``) -----


def fact_groups(*, kept: bool, monkeypatch) -> list:
    """What the check weighs the clustered facts by (``StoredMatcher._fact_groups``): the
    counts kept beside the store, or a scan of the victims, as a comparable list."""
    matcher = archive_matcher()
    with monkeypatch.context() as patch:
        if not kept:
            patch.setattr(linkage_facts, "groups", lambda *args: None)
        groups, events = matcher._fact_groups(*linkage_store._fact_columns(Victim))
    return sorted((repr(person), count) for person, count in groups), events


def varied_victims() -> list[Victim]:
    evin, gohardasht = PlaceFactory(), PlaceFactory()
    massacre, protests = EventFactory(), EventFactory()
    return [
        VictimFactory(event=massacre, prison=evin, birth_year=1958, occupation="teacher",
                      death_date=datetime.date(1988, 8, 1), death_date_precision="day"),
        VictimFactory(event=massacre, prison=evin, birth_year=1960, fate="executed",
                      arrest_date=datetime.date(1981, 6, 1), arrest_date_precision="month"),
        VictimFactory(event=massacre, prison=gohardasht, birth_year=1958, religion="Baha'i"),
        VictimFactory(event=protests, fate="killed", birth_place=evin, civil_status="married"),
        VictimFactory(event=None, prison=None, ethnicity="Kurdish"),
    ]  # fmt: skip


def test_the_kept_counts_are_of_the_facts_the_check_weighs(postgres):
    event, sets = linkage_store._fact_columns(Victim)
    with connection.cursor() as cursor:
        kept = linkage_facts.groups(cursor, TABLE, event, [c for group in sets for c in group])
    assert kept is not None  # the migration's columns are CLUSTERED_FIELDS's


@pytest.mark.parametrize("listed_up_to", [100_000, 1], ids=["named", "written-all"])
def test_the_facts_counted_beside_the_store_are_what_a_scan_of_the_victims_counts(
    postgres, monkeypatch, listed_up_to
):
    monkeypatch.setattr(linkage_facts, "LISTED_UP_TO", listed_up_to)
    people = varied_victims()
    scanned = fact_groups(kept=False, monkeypatch=monkeypatch)
    assert fact_groups(kept=True, monkeypatch=monkeypatch) == scanned
    assert len(scanned[0]) > 10

    # Writes of every kind, then what a check reads again.
    a, b, c, d, e = people
    a.prison = None
    a.save()
    Victim.objects.filter(pk=b.pk).update(fate="disappeared", birth_year=1961)
    Victim.objects.filter(pk=c.pk).update(merged_into=a)
    Victim.objects.filter(pk=d.pk).update(publication_status="draft")
    Victim.objects.get(pk=d.pk).delete()
    Victim.objects.bulk_create([VictimFactory.build(event=e.event, ethnicity="Kurdish")])

    again = fact_groups(kept=False, monkeypatch=monkeypatch)
    assert again != scanned
    assert fact_groups(kept=True, monkeypatch=monkeypatch) == again


def test_a_check_does_not_group_every_victim_by_their_facts(postgres):
    varied_victims()
    linkage_store.refresh(connection, Victim)
    with CaptureQueriesContext(connection) as queries:
        archive_matcher(fresh=True)
    assert not any("GROUPING SETS" in q["sql"] for q in queries.captured_queries)


def test_two_refreshes_at_once_make_each_victims_keys_once_between_them(transactional_db):
    # Two imports starting together (the command and an admin preview) each refresh: the
    # log is taken by one at a time, so no victim is made twice or left behind.
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps no log: every refresh compares everyone")
    import threading

    from django.db import connections

    people = VictimFactory.create_batch(30)
    linkage_store.refresh(connection, Victim)
    for i, person in enumerate(people):
        Victim.objects.filter(pk=person.pk).update(name_latin=f"Hamid Sotoudeh{'i' * (i % 5)}")
    made, failed = [], []
    start = threading.Barrier(2)

    def refresh_in_a_thread():
        try:
            start.wait()
            made.append(linkage_store.refresh(connections["default"], Victim, chunk=4))
        except Exception as exc:  # reported by the assertion below
            failed.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh_in_a_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failed == []
    assert sorted(made) == [0, 30]
    assert linkage_store.refresh(connection, Victim) == 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}_linkage")
        assert cursor.fetchone()[0] == 30
