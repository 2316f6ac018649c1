"""An import's rows are checked against the victims' stored linkage keys
(``archive.core.linkage_store``): on PostgreSQL reading only the people a batch's rows may
be, on SQLite every person with their keys as stored. The answers must be exactly those
of every person read and blocked afresh (``Matcher``), and stay so whatever is renamed,
merged or deleted between two imports (issue 26: the check no longer costs the whole
archive)."""

import contextlib
import dataclasses
import gc
import time
from hashlib import sha256

import pytest
from django.db import connection

from archive.core import linkage, linkage_store
from archive.core.linkage import Candidate, Matcher
from archive.core.linkage_store import LinkagePairsIndex, LinkagePairsRehashed
from bench.synthetic import synthetic_people
from tests.dedupe.conftest import import_file, synthetic_file
from tests.factories import EventFactory, VictimFactory
from victims import dedupe as victims_dedupe
from victims.dedupe import archive_matcher, archive_people, refresh_stored_keys
from victims.models import Victim

TABLE = "victims_victim"


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite checks an import against every victim (Matcher): no stored keys")


@pytest.fixture(autouse=True)
def _batches_read_through_the_indexes(monkeypatch):
    """However much of these small archives a batch reads, not everyone at once (the
    first test asks for both); people read fifty a query, as a large archive is."""
    monkeypatch.setattr(linkage_store, "READ_EVERYONE", 100.0)
    monkeypatch.setattr(linkage_store, "LOAD_CHUNK", 50)


def answers(found) -> dict:
    """Each row's matches as a researcher reads them: who, how likely, why."""
    return {
        row: [(m.b.ref, m.score, m.weight, tuple(m.reasons)) for m in matches]
        for row, matches in found.items()
    }


def as_rows(people, prefix="row") -> list[Candidate]:
    """``people`` as an import's new rows would be (no record yet)."""
    return [dataclasses.replace(p, ref=f"{prefix} {i}", pk=0) for i, p in enumerate(people)]


def stored_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, people FROM {TABLE}_linkage_counts WHERE people <> 0")
        return dict(cursor.fetchall())


def assert_counts_kept() -> None:
    """PostgreSQL keeps how many people each block and name holds, by triggers: they must
    agree with the stored rows. (SQLite keeps no counts: it reads everyone.)"""
    if connection.vendor == "postgresql":
        assert stored_counts() == counted_again()


def counted_again() -> dict[str, int]:
    """The counts worked out afresh from the stored rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k, count(*) FROM {TABLE}_linkage r, unnest(r.blocks || r.joined || "
            "CASE WHEN r.father IS NULL THEN '{}'::text[] ELSE ARRAY['f:' || r.father] END) k "
            "GROUP BY k"
        )
        return dict(cursor.fetchall())


@pytest.mark.parametrize(
    "read_everyone, everyone_read",
    [(100.0, False), (0.0, True)],
    ids=["batches read through the indexes", "everyone read after the first batch"],
)
def test_rows_get_the_same_matches_from_the_stored_keys_as_from_every_person(
    postgres, reviewer, tmp_path, monkeypatch, read_everyone, everyone_read
):
    monkeypatch.setattr(linkage_store, "READ_EVERYONE", read_everyone)
    # Small caps, so that many blocks are over theirs and read by the father's name.
    monkeypatch.setattr(linkage, "SINGLE_BLOCK_CAP", 4)
    monkeypatch.setattr(linkage, "PAIR_BLOCK_CAP", 8)
    synthetic_file(tmp_path / "archive.csv", 400, rate=0.05, seed=5)
    import_file(tmp_path / "archive.csv", reviewer)
    everyone = archive_people()
    # Rows: people of the archive entered again, and people of another synthetic list.
    strangers = [
        Candidate(ref=f"stranger {i}", name_latin=r["name_latin"], name_fa=r["name_fa"],
                  aliases=tuple(r["aliases"]), father_name=r["father_name"],
                  birth_year=r["birth_year"], gender=r["gender"], fate=r["fate"])
        for i, r in enumerate(synthetic_people(150, seed=6))
    ]  # fmt: skip
    rows = as_rows(everyone[::7]) + strangers

    expected = Matcher(archive_people()).matches(rows)
    stored = archive_matcher()
    found = {}
    for start in range(0, len(rows), 40):  # batch after batch, as an import asks
        found.update(stored.matches(rows[start : start + 40]))

    assert type(stored).__name__ == "StoredMatcher"
    assert (stored.everyone is not None) == everyone_read
    assert sum(len(m) for m in expected.values()) > len(everyone[::7])  # namesakes too
    assert answers(found) == answers(expected)


def test_a_block_over_its_cap_stays_closed_to_a_row_without_a_fathers_name(postgres, monkeypatch):
    # Ten Mohammad Hosseinis are over both caps. The row with a father's name brings five
    # of them into the batch; the row without one must meet none of them, as it would
    # meet none among every person.
    monkeypatch.setattr(linkage, "SINGLE_BLOCK_CAP", 4)
    monkeypatch.setattr(linkage, "PAIR_BLOCK_CAP", 8)
    for i in range(10):
        VictimFactory(name_latin="Mohammad Hosseini", father_name=("Ali", "Reza")[i % 2],
                      birth_year=1950 + i)  # fmt: skip
    with_father = Candidate(ref="row 2", name_latin="Mohammad Hosseini", father_name="Ali")
    without = Candidate(ref="row 3", name_latin="Mohammad Hosseini")

    rows = [with_father, without]

    # Every pair compared is shown (threshold 0): ten namesakes make any one unlikely.
    found = archive_matcher().matches(rows, threshold=0)

    assert len(found["row 2"]) == 5
    assert "row 3" not in found
    assert answers(found) == answers(Matcher(archive_people()).matches(rows, threshold=0))


def test_rows_sharing_a_fathers_name_and_facts_are_read_together_and_each_gets_its_matches(
    postgres, monkeypatch
):
    # Two rows with the same father's name and facts, under different blocks over their
    # caps, are read as one line (``StoredMatcher.matches``): each must still be offered
    # its own namesakes, and only them, as among every person.
    monkeypatch.setattr(linkage, "SINGLE_BLOCK_CAP", 2)
    monkeypatch.setattr(linkage, "PAIR_BLOCK_CAP", 2)
    for name in ("Mohammad Hosseini", "Ali Karimi"):
        for i in range(4):
            VictimFactory(name_latin=name, father_name=("Ahmad", "Reza")[i % 2])
    rows = [
        Candidate(ref="row 2", name_latin="Mohammad Hosseini", father_name="Ahmad"),
        Candidate(ref="row 3", name_latin="Ali Karimi", father_name="Ahmad"),
    ]

    found = archive_matcher().matches(rows, threshold=0)

    assert len(found["row 2"]) == len(found["row 3"]) == 2
    assert answers(found) == answers(Matcher(archive_people()).matches(rows, threshold=0))


@pytest.mark.parametrize(
    "values", [["plain"], ['a "quoted" key', "back\\slash", "{,}"], ["=سعید"], []]
)
def test_blocks_go_to_postgresql_as_they_are_whatever_they_hold(postgres, values):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [linkage_store._array_literal(values)])
        assert cursor.fetchone()[0] == values


def test_namesakes_told_apart_by_gender_event_or_birth_year_are_left_out_as_matcher_does(
    postgres,
):
    event, other_event = EventFactory.create_batch(2)
    same = {"name_latin": "Parviz Kamali", "father_name": "Ahmad"}
    compared = [
        VictimFactory(**same, gender="male", event=event, birth_year=1956),  # two years
        VictimFactory(**same, gender="male", event=event, birth_year=None),  # not known
        VictimFactory(**same, gender="", event=None, birth_year=1960),  # not known, 2 years
    ]
    VictimFactory(**same, gender="male", event=event, birth_year=1955)  # three years
    VictimFactory(**same, gender="female", event=event, birth_year=1958)
    VictimFactory(**same, gender="male", event=other_event, birth_year=1958)
    row = Candidate(ref="row 2", **same, gender="male", event=event.pk, birth_year=1958)

    found = archive_matcher().matches([row], threshold=0)

    assert {m.b.ref for m in found["row 2"]} == {v.ref for v in compared}
    assert answers(found) == answers(Matcher(archive_people()).matches([row], threshold=0))


@pytest.fixture
def namesakes_told_apart(postgres):
    """Twelve people, ten of them the row's namesakes of the other gender, and the row
    (synthetic): the person it may be, and the row."""
    for year in range(1950, 1960):
        VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", gender="female",
                      birth_year=year)  # fmt: skip
    him = VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", gender="male",
                        birth_year=1958)  # fmt: skip
    VictimFactory(name_latin="Nasrin Tabrizi", father_name="Karim", birth_year=1962)
    row = Candidate(ref="row 2", name_latin="Parviz Kamali", father_name="Ahmad",
                    gender="male", birth_year=1958)  # fmt: skip
    return him, row


def test_a_batch_whose_namesakes_are_all_told_apart_does_not_read_the_whole_archive(
    namesakes_told_apart, monkeypatch
):
    # Ten of the twelve people share the row's name but not its gender: their blocks hold
    # most of the archive, yet none of them can be the row. Everyone is read at once only
    # once the candidates found, not the blocks' sizes, pass the bar (at a million, a
    # file of 2,000 rows read everyone, 4.9 GB, where 139,000 people were enough).
    monkeypatch.setattr(linkage_store, "READ_EVERYONE", 0.5)
    him, row = namesakes_told_apart
    stored = archive_matcher()

    found = stored.matches([row], threshold=0)

    assert stored.everyone is None
    assert [m.b.ref for m in found["row 2"]] == [him.ref]
    assert answers(found) == answers(Matcher(archive_people()).matches([row], threshold=0))


@pytest.mark.parametrize(
    "read, everyone_read",
    [(1.0, False), (0.25, False), (0.1, True)],
    ids=["the whole file", "a quarter of a file", "a tenth of a file"],
)
def test_a_batch_that_projects_past_the_bar_over_its_file_reads_everyone_at_once(
    namesakes_told_apart, monkeypatch, read, everyone_read
):
    # The bar: 6 of the 12 people. The row finds one candidate (its namesakes are told
    # apart by gender): one a tenth of the way through a file projects to 10 by its
    # end, past the bar; a quarter of the way, to 4.
    monkeypatch.setattr(linkage_store, "READ_EVERYONE", 0.5)
    him, row = namesakes_told_apart
    stored = archive_matcher()

    found = stored.matches([row], threshold=0, read=read)

    assert (stored.everyone is not None) == everyone_read
    assert [m.b.ref for m in found["row 2"]] == [him.ref]
    assert answers(found) == answers(Matcher(archive_people()).matches([row], threshold=0))


@pytest.mark.parametrize("father", ["mhmd", '"quoted"', "back\\slash", "سعید"])
def test_a_stored_persons_pairs_meet_every_pair_of_their_block_and_fathers_name(postgres, father):
    # ``archive_linkage_pairs`` is how a block over its cap is read where it meets a
    # father's name: a pair the person holds must always be found (one that two pairs
    # share by chance only brings one more candidate, whom the matcher never compares).
    blocks, fathers = ["1:ahmde", "2:ahmde|mhmd", "1:کمالی"], [father, "rza"]
    held = [(b, f) for b in blocks for f in fathers]
    others = [("1:ahmde", "hsn"), ("1:rzie", father), ("2:mhmd|ahmde", "rza")]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT archive_linkage_pairs(%s, %s) && archive_linkage_pairs(ARRAY[b], ARRAY[f]) "
            "FROM unnest(%s::text[], %s::text[]) AS p(b, f)",
            [blocks, fathers, [b for b, _ in held + others], [f for _, f in held + others]],
        )
        met = [found for (found,) in cursor.fetchall()]

    assert met == [True] * len(held) + [False] * len(others)


def test_a_pair_is_numbered_by_the_first_32_bits_of_its_sha256_as_any_server_numbers_it(
    postgres,
):
    # Not md5, which a server in FIPS mode refuses (and ``migrate`` with it).
    blocks, fathers = ["1:ahmde", "1:کمالی"], ["mhmd", "سعید"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT archive_linkage_pairs(%s, %s)", [blocks, fathers])
        (numbers,) = cursor.fetchone()

    digests = (sha256(f"{b}\x1f{f}".encode()).digest() for b in blocks for f in fathers)
    assert sorted(numbers) == sorted(int.from_bytes(d[:4], "big", signed=True) for d in digests)


def test_an_index_of_md5_pairs_is_numbered_again_and_a_persons_pair_finds_them(postgres):
    # As a database that ran ``victims.0028`` with md5 before ``victims.0029``.
    kamali = VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958)
    refresh_stored_keys()
    store = linkage_store.store_table(TABLE)
    md5 = linkage_store.PAIRS_FUNCTION.replace(
        "encode(sha256(convert_to(b || chr(31) || f, 'UTF8')),\n"
        "                                           'hex')",
        "md5(b || chr(31) || f)",
    )
    assert "md5" in md5
    with connection.schema_editor() as editor:
        # (``victims.0034`` has since dropped this index for the one with the facts.)
        LinkagePairsIndex(store).database_forwards("victims", editor, None, None)
        editor.execute(md5)  # the index numbered by md5, as 0028 made it
        editor.execute(f"REINDEX INDEX {store}_pairs")
        LinkagePairsRehashed(store).database_forwards("victims", editor, None, None)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # through the index
        cursor.execute(
            f"SELECT s.id FROM {store} s WHERE archive_linkage_pairs(s.blocks, s.father_blocks)"
            " && archive_linkage_pairs(ARRAY[s.blocks[1]], ARRAY[s.father_blocks[1]])"
        )
        found = [pk for (pk,) in cursor.fetchall()]
    assert found == [kamali.pk]


def test_a_person_renamed_after_their_keys_were_made_is_found_under_the_new_name(db):
    kamali = VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958)
    VictimFactory(name_latin="Nasrin Tabrizi", father_name="Karim", birth_year=1962)
    refresh_stored_keys()
    # A write that sends no signal, as an import's UPDATE does.
    Victim.objects.filter(pk=kamali.pk).update(name_latin="Hamid Sotoudeh")
    new_name = Candidate(ref="row 2", name_latin="Hamid Sotoudeh", father_name="Ahmad",
                         birth_year=1958)  # fmt: skip
    old_name = Candidate(ref="row 3", name_latin="Parviz Kamali", father_name="Ahmad",
                         birth_year=1958)  # fmt: skip

    found = archive_matcher().matches([new_name, old_name])

    assert [m.b.ref for m in found["row 2"]] == [kamali.ref]
    assert "row 3" not in found
    assert_counts_kept()


def test_a_person_merged_or_deleted_is_no_longer_proposed(db):
    kept = VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958)
    merged = VictimFactory(name_latin="Parviz Kamaly", father_name="Ahmad", birth_year=1958)
    gone = VictimFactory(
        name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958, publication_status="draft"
    )
    row = Candidate(ref="row 2", name_latin="Parviz Kamali", father_name="Ahmad",
                    birth_year=1958)  # fmt: skip
    assert {m.b.ref for m in archive_matcher().matches([row])["row 2"]} == {
        kept.ref, merged.ref, gone.ref,
    }  # fmt: skip

    Victim.objects.filter(pk=merged.pk).update(merged_into=kept)
    Victim.objects.filter(pk=gone.pk).delete()

    assert [m.b.ref for m in archive_matcher().matches([row])["row 2"]] == [kept.ref]
    assert_counts_kept()


def test_keys_are_made_once_and_again_only_for_a_new_name_or_new_code(db, monkeypatch):
    people = VictimFactory.create_batch(5)
    assert linkage_store.refresh(connection, Victim) == 5
    assert linkage_store.refresh(connection, Victim) == 0

    Victim.objects.filter(pk=people[0].pk).update(aliases="Another Name")
    assert linkage_store.refresh(connection, Victim) == 1

    monkeypatch.setattr(linkage_store, "keys_version", lambda: "a-new-version")
    assert linkage_store.refresh(connection, Victim) == 5
    assert_counts_kept()


def stored_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {linkage_store.STORED} FROM {TABLE}_linkage ORDER BY id")
        return cursor.fetchall()


def test_keys_made_in_processes_are_those_made_in_one(db, monkeypatch):
    VictimFactory.create_batch(40)
    monkeypatch.setattr(linkage_store, "PARALLEL_FROM", 10)
    pooled = []
    real = linkage_store._key_makers

    @contextlib.contextmanager
    def watched(*args):
        with real(*args) as makers:
            pooled.append(makers is not None)
            yield makers

    monkeypatch.setattr(linkage_store, "_key_makers", watched)
    assert linkage_store.refresh(connection, Victim, chunk=7, processes=2) == 40
    in_processes = stored_rows()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}_linkage")
    # The store emptied behind its back: no write to the people logged that, so everyone
    # is compared again.
    assert linkage_store.refresh(connection, Victim, chunk=7, processes=1, everyone=True) == 40

    assert pooled == [True, False]
    assert len(in_processes) == 40 and stored_rows() == in_processes
    assert_counts_kept()


def test_a_request_never_makes_keys_in_processes(db, monkeypatch):
    VictimFactory.create_batch(12)
    monkeypatch.setattr(linkage_store, "PARALLEL_FROM", 10)
    started = []
    monkeypatch.setattr(
        linkage_store.concurrent.futures, "ProcessPoolExecutor",
        lambda *a, **k: started.append(a) or pytest.fail("a pool was started"),
    )  # fmt: skip
    assert linkage_store.refresh(connection, Victim, until=time.monotonic() + 60, processes=2) == 12
    assert started == []


def test_an_import_leaves_no_keys_behind_for_the_next_check(db, reviewer, tmp_path):
    VictimFactory.create_batch(2)
    refresh_stored_keys()
    path = tmp_path / "list.csv"
    path.write_text(
        "ref,name_latin,father_name,birth_year,fate\n"
        "SYN-0101,Parviz Kamali,Ahmad,1958,executed\n"
        "SYN-0102,Nasrin Tabrizi,Karim,1962,executed\n"
        "SYN-0103,Behrouz Azadi,,1960,executed\n",
        encoding="utf-8",
    )
    from archive.core.importing.run import import_file as run_import

    report = run_import("victims", path, user=reviewer)

    assert report.ok and report.created == 3
    # The admin's next preview finds nobody whose keys are still to be made.
    assert linkage_store.refresh(connection, Victim) == 0
    assert {row[0] for row in stored_rows()} >= set(
        Victim.objects.filter(ref__startswith="SYN-01").values_list("pk", flat=True)
    )


def test_an_import_reports_a_row_that_is_a_victim_already_in_the_archive(db, reviewer, tmp_path):
    VictimFactory(ref="SYN-0001", name_latin="Parviz Kamali", father_name="Ahmad",
                  birth_year=1958)  # fmt: skip
    path = tmp_path / "list.csv"
    path.write_text(
        "ref,name_latin,father_name,birth_year,fate\n"
        "SYN-0002,Parviz Kamaly,Ahmad,1958,executed\n"
        "SYN-0003,Nasrin Tabrizi,Karim,1962,executed\n",
        encoding="utf-8",
    )
    from archive.core.importing.run import import_file as run_import

    report = run_import("victims", path, user=reviewer, dry_run=True)

    assert [(m.where, m.ref) for m in report.matches] == [("row 2", "SYN-0001")]


def test_the_keys_a_dry_run_made_are_kept_for_the_next_import(transactional_db, reviewer, tmp_path):
    VictimFactory.create_batch(3)
    path = tmp_path / "list.csv"
    path.write_text("ref,name_latin,fate\nSYN-0009,Parviz Kamali,executed\n", encoding="utf-8")
    from archive.core.importing.run import import_file as run_import

    report = run_import("victims", path, user=reviewer, dry_run=True)

    # The dry run rolled its transaction back; the keys were made before it, and stay.
    assert report.created == 1 and not Victim.objects.filter(ref="SYN-0009").exists()
    assert linkage_store.refresh(connection, Victim) == 0


def test_on_sqlite_every_person_is_read_with_their_keys_as_stored_and_matched_alike(
    db, reviewer, tmp_path, monkeypatch
):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL reads a batch's candidates (the tests above)")
    monkeypatch.setattr(linkage, "SINGLE_BLOCK_CAP", 4)
    monkeypatch.setattr(linkage, "PAIR_BLOCK_CAP", 8)
    synthetic_file(tmp_path / "archive.csv", 200, rate=0.05, seed=5)
    import_file(tmp_path / "archive.csv", reviewer)
    everyone = archive_people()
    rows = as_rows(everyone[::7])
    expected = Matcher(archive_people()).matches(rows)
    refresh_stored_keys()
    made = []

    def counted(person, real=linkage.block_keys):
        made.append(person)
        return real(person)

    with monkeypatch.context() as patched:
        patched.setattr(linkage, "block_keys", counted)
        patched.setattr(linkage_store, "block_keys", counted)
        stored = archive_matcher()
    found = stored.matches(rows)

    assert stored.everyone is not None and not made  # read as stored, not made again
    assert sum(len(m) for m in expected.values()) > len(rows)  # namesakes too
    assert answers(found) == answers(expected)


@pytest.mark.django_db
def test_people_read_as_a_run_of_ids_are_those_asked_and_no_others():
    people = [VictimFactory(name_latin=f"Synthetic Person {i}") for i in range(6)]
    matcher = archive_matcher()
    asked = sorted(p.pk for p in people[:5] if p is not people[2])  # a dense run, one left out
    read = matcher.load(asked)
    assert sorted(person.pk for person in read) == asked
    scattered = [people[0].pk, people[5].pk]
    assert sorted(person.pk for person in matcher.load(scattered)) == scattered


def test_everyone_read_at_once_is_read_without_a_pass_of_the_garbage_collector(db, monkeypatch):
    # Reading the million people of a check made 7 million objects, none of them garbage;
    # the collector's passes over them as they came were a third of the read
    # (``collector_paused``). SQLite reads everyone when the check begins; PostgreSQL
    # here at the first batch (the bar at nothing).
    monkeypatch.setattr(linkage_store, "READ_EVERYONE", 0.0)
    him = VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958)
    VictimFactory(name_latin="Nasrin Tabrizi", father_name="Karim", birth_year=1962)
    row = Candidate(ref="row 2", name_latin="Parviz Kamali", father_name="Ahmad",
                    birth_year=1958)  # fmt: skip
    passes, reads = [], []
    loader = victims_dedupe.load_candidates

    def reading(queryset):
        # Each read of people, with the collector asked to pass at every allocation.
        before = len(passes)
        people = loader(queryset)
        reads.append(len(passes) - before)
        return people

    def record(phase, info):
        if phase == "start":
            passes.append(info["generation"])

    monkeypatch.setattr(victims_dedupe, "load_candidates", reading)
    threshold = gc.get_threshold()
    gc.callbacks.append(record)
    gc.set_threshold(1)
    try:
        matcher = archive_matcher()
        found = matcher.matches([row])
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(record)

    assert matcher.everyone is not None
    assert [m.b.ref for m in found["row 2"]] == [him.ref]
    assert reads and reads == [0] * len(reads)
    assert gc.isenabled()


def test_rows_are_compared_without_a_pass_of_the_garbage_collector(db, monkeypatch):
    # Comparing makes objects that live on (the names' caches, the blocks filed by
    # facts) and almost no garbage in cycles: the collector's passes were a quarter of
    # the check at a million people (``linkage_store._compare``). Both ways: everyone read
    # (SQLite), a batch's candidates through the indexes (PostgreSQL).
    him = VictimFactory(name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958)
    VictimFactory.create_batch(20, name_latin="Ali Rezaei")
    rows = [
        Candidate(ref="row 2", name_latin="Parviz Kamali", father_name="Ahmad", birth_year=1958),
        Candidate(ref="row 3", name_latin="Ali Rezaei", father_name="Kazem", birth_year=1952),
    ]
    comparing, passes = [], []
    compare_rows = Matcher.matches

    def watched(self, *args, **kwargs):
        # The passes counted are those made while the rows are compared.
        comparing.append(True)
        try:
            return compare_rows(self, *args, **kwargs)
        finally:
            comparing.clear()

    def record(phase, info):
        if phase == "start" and comparing:
            passes.append(info["generation"])

    matcher = archive_matcher()
    monkeypatch.setattr(Matcher, "matches", watched)
    threshold = gc.get_threshold()
    gc.callbacks.append(record)
    gc.set_threshold(1)
    try:
        found = matcher.matches(rows)
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(record)

    assert [m.b.ref for m in found["row 2"]] == [him.ref]
    assert passes == []
    assert gc.isenabled()


def test_a_batchs_candidates_are_read_without_jit_compiling_the_statement(
    namesakes_told_apart,
):
    # At a million, the planner's estimates of a batch's lines put the statement past
    # ``jit_above_cost``: compiling it was a third of a 100-row batch of the admin's
    # preview (160-200 ms). What the server's JIT setting is as the statement runs:
    seen = []

    def jit_as_run(execute, sql, params, many, context):
        if sql.startswith("SELECT s.id FROM unnest"):
            cursor = context["cursor"]
            cursor.execute("SHOW jit")
            seen.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    him, row = namesakes_told_apart
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        before = cursor.fetchone()[0]
    with connection.execute_wrapper(jit_as_run):
        found = archive_matcher().matches([row], threshold=0)

    assert seen == ["off"]
    assert [m.b.ref for m in found["row 2"]] == [him.ref]
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == before  # put back for what follows


# A row that knows its gender, event and year of birth (male, event 7, 1959), and stored
# people sharing its pair: whether the index of pairs with facts offers each.
FACTS_OFFERED = [
    (("male", 7, 1959), True),  # the same
    (("male", 7, 1957), True),  # two years before, in its span (1955-1959)
    (("male", 7, 1961), True),  # two years after, in the next span (1960-1964)
    (("", None, 0), True),  # nothing known
    (("", 7, 1959), True),
    (("male", None, 1959), True),
    (("male", 7, None), True),
    (("female", 7, 1959), False),
    (("male", 8, 1959), False),
    # Three years apart, in a span the row asks for: read, and left out by ``VETOED``.
    (("male", 7, 1956), True),
    (("male", 7, 1954), False),  # in neither span
    (("male", 7, 1965), False),
]


@pytest.mark.parametrize(("stored", "offered"), FACTS_OFFERED)
def test_a_row_knowing_its_facts_is_offered_only_the_namesakes_they_do_not_part_it_from(
    postgres, stored, offered
):
    # ``archive_linkage_sought`` against ``archive_linkage_fact_pairs``: what the index
    # gives a line, before the rows are read. A person the facts part from the row is
    # never read; one they do not is always offered (``VETOED`` and ``Matcher`` decide).
    blocks, fathers = ["2:ahmde|kmali"], ["ahmd"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT archive_linkage_fact_pairs(%s, %s, %s, %s, %s) "
            "&& archive_linkage_sought(%s, %s, 'male', 7, 1959)",
            [blocks, fathers, *stored, blocks, fathers],
        )
        assert cursor.fetchone()[0] is offered


@pytest.mark.parametrize("row", [("", 7, 1959), ("male", None, 1959), ("male", 7, 0)])
def test_a_row_not_knowing_one_of_its_facts_is_offered_everyone_of_its_pair(postgres, row):
    blocks, fathers = ["2:ahmde|kmali"], ["ahmd"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT archive_linkage_fact_pairs(%s, %s, s.gender, s.event, s.birth_year) "
            "&& archive_linkage_sought(%s, %s, %s, %s, %s), "
            "archive_linkage_fact_pairs(%s, %s, s.gender, s.event, s.birth_year) "
            "&& archive_linkage_sought(%s, %s, 'male', 7, 1959) "
            "FROM (VALUES ('female', 8::bigint, 1930)) AS s(gender, event, birth_year)",
            [blocks, fathers, blocks, fathers, *row, blocks, fathers, blocks, fathers],
        )
        # Read, and left to ``VETOED``; a row knowing all three is not offered her.
        assert cursor.fetchone() == (True, False)


def test_namesakes_over_a_cap_are_read_through_the_pairs_with_facts_and_found_as_matcher_does(
    postgres, monkeypatch
):
    monkeypatch.setattr(linkage, "PAIR_BLOCK_CAP", 2)
    monkeypatch.setattr(linkage, "SINGLE_BLOCK_CAP", 2)
    event, other_event = EventFactory.create_batch(2)
    same = {"name_latin": "Parviz Kamali", "father_name": "Ahmad"}
    offered = [
        VictimFactory(**same, gender="male", event=event, birth_year=1957),
        VictimFactory(**same, gender="male", event=event, birth_year=1961),
        VictimFactory(**same, gender="", event=None, birth_year=None),
    ]
    VictimFactory(**same, gender="male", event=event, birth_year=1956)
    VictimFactory(**same, gender="female", event=event, birth_year=1959)
    VictimFactory(**same, gender="male", event=other_event, birth_year=1959)
    row = Candidate(ref="row 2", **same, gender="male", event=event.pk, birth_year=1959)
    plans = []

    def explained(execute, sql, params, many, context):
        if sql.startswith("SELECT s.id FROM unnest"):
            context["cursor"].execute("EXPLAIN " + sql, params)
            plans.append("\n".join(line for (line,) in context["cursor"].fetchall()))
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table, read as a large one
    with connection.execute_wrapper(explained):
        found = archive_matcher().matches([row], threshold=0)

    assert {m.b.ref for m in found["row 2"]} == {v.ref for v in offered}
    assert answers(found) == answers(Matcher(archive_people()).matches([row], threshold=0))
    assert f"{TABLE}_linkage_fact_pairs" in plans[0]
