"""On PostgreSQL an import goes through COPY into a staging table, then into the tables
with set-based SQL (``archive.core.importing.staging``). It must write exactly what the
multi-row INSERT path writes (records, search keys, history rows, citations and their
versions), write nothing when a row is bad, and leave the name indexes as it found them.
Synthetic people only."""

import pytest
from django.db import connection, transaction

from archive.core.importing import import_file, staging
from archive.core.search_names import NAMES_GIN_INDEXES
from sources.models import Citation
from tests.factories import PlaceFactory, SourceFactory
from tests.imports.conftest import write_csv
from victims.models import Victim

pytestmark = pytest.mark.django_db

COLUMNS = ["ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year",
           "prison", "fate", "death_date", "biography", "publication_status"]  # fmt: skip


def people(start: int, count: int, *, death: str = "1988-08", name: str = "Testname"):
    return [
        {"ref": f"TEST-COPY-{i}", "name_latin": f"{name} Copypour{i}",
         "name_fa": "علی تستی" if i % 2 else "", "aliases": "Tab\there | Back\\slash",
         "father_name": "Hassan" if i % 3 else "", "gender": "male" if i % 2 else "female",
         "birth_year": str(1950 + i % 20), "prison": "Test Copy Prison" if i % 2 else "",
         "fate": "executed", "death_date": death, "biography": "Line one\nline two",
         "publication_status": "published" if i % 2 else "draft"}
        for i in range(start, start + count)
    ]  # fmt: skip


def snapshot() -> dict:
    """What the tables hold of the test's people, without ids and timestamps (two runs
    of the same files get other ids and another "now")."""
    skip = {"id", "created_at", "updated_at", "published_at", "history_id", "history_date"}
    victims = Victim.objects.filter(ref__startswith="TEST-COPY-")
    refs = dict(victims.values_list("pk", "ref"))
    record_fields = [f.attname for f in Victim._meta.concrete_fields if f.attname not in skip]
    historical = Victim.history.model
    history_fields = [f.attname for f in historical._meta.concrete_fields if f.attname not in skip]
    cited = Citation.objects.filter(victim__ref__startswith="TEST-COPY-")
    citation_fields = ["source_id", "claim", "locator", "quote", "confidence", "value"]
    citation_history = Citation.history.filter(object_id__in=list(refs))
    return {
        "records": sorted(victims.values_list(*record_fields)),
        "history": sorted(
            Victim.history.filter(ref__startswith="TEST-COPY-").values_list(*history_fields)
        ),
        "citations": sorted(
            (refs[oid], *rest) for oid, *rest in cited.values_list("object_id", *citation_fields)
        ),
        "citation_history": sorted(
            (refs[oid], *rest)
            for oid, *rest in citation_history.values_list(
                "object_id",
                *citation_fields,
                "history_type",
                "history_change_reason",
                "history_user_id",
            )
        ),
    }


def counts(report) -> tuple:
    return (report.created, report.updated, report.unchanged, report.citations,
            report.versions, tuple(report.warnings))  # fmt: skip


def run_imports(tmp_path, reviewer, first, second):
    """A first list creating people, a second one changing some (other dates: versions)
    and adding others, then the second again with --update (the source preferred)."""
    one = write_csv(tmp_path / "first.csv", people(1, 30), COLUMNS)
    two = write_csv(
        tmp_path / "second.csv",
        people(20, 20, death="1988-09", name="Othername"),
        COLUMNS,
    )
    reports = [
        import_file("victims", one, user=reviewer, source=first, batch_size=7),
        import_file("victims", two, user=reviewer, source=second, batch_size=7),
        import_file("victims", two, user=reviewer, source=second, prefer_source=True),
    ]
    assert all(r.ok for r in reports), [r.problems for r in reports]
    return reports


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_the_copy_path_writes_what_the_multi_row_insert_path_writes(
    tmp_path, reviewer, monkeypatch
):
    first = SourceFactory(title="First synthetic list")
    second = SourceFactory(title="Second synthetic list")
    PlaceFactory(name_en="Test Copy Prison")  # known to both runs: the same id
    copied = []
    real_stage = staging.stage
    monkeypatch.setattr(
        staging, "stage", lambda *a, **k: copied.append(a[2]) or real_stage(*a, **k)
    )
    with transaction.atomic():
        by_copy = [counts(r) for r in run_imports(tmp_path, reviewer, first, second)]
        written_by_copy = snapshot()
        transaction.set_rollback(True)
    assert {"victims_victim", "sources_citation"} <= set(copied)

    def cannot(rows):
        raise staging.CannotCopy("the test's choice")

    monkeypatch.setattr(staging, "copy_text", cannot)
    by_insert = [counts(r) for r in run_imports(tmp_path, reviewer, first, second)]
    written_by_insert = snapshot()

    assert by_copy == by_insert
    assert by_copy[2][1] > 0  # the last run changed records (UPDATE ... FROM the staging)
    assert written_by_copy["records"] and written_by_copy["citation_history"]
    assert any(row[-4] for row in written_by_copy["citations"])  # versions (value) written
    for part in written_by_insert:
        for a, b in zip(written_by_copy[part], written_by_insert[part], strict=True):
            assert a == b, (part, [(x, y) for x, y in zip(a, b, strict=True) if x != y])


def test_a_bad_row_at_the_end_of_a_long_file_leaves_nothing_written(tmp_path, reviewer):
    source = SourceFactory(title="Synthetic list")
    rows = people(1, 25)
    rows[-1]["birth_year"] = "nineteen-fifty"
    path = write_csv(tmp_path / "list.csv", rows, COLUMNS)

    report = import_file("victims", path, user=reviewer, source=source, batch_size=10)

    assert [(p.where, p.column) for p in report.problems] == [("row 26", "birth_year")]
    assert not Victim.objects.filter(ref__startswith="TEST-COPY-").exists()
    assert not Victim.history.filter(ref__startswith="TEST-COPY-").exists()
    assert not Citation.objects.filter(source=source).exists()


def test_people_imported_in_bulk_are_found_by_name_and_the_indexes_keep_their_settings(
    tmp_path, reviewer
):
    source = SourceFactory(title="Synthetic list")
    path = write_csv(tmp_path / "list.csv", people(1, 12), COLUMNS)

    assert import_file("victims", path, user=reviewer, source=source, batch_size=5).ok

    found = Victim.objects.published().search("Testname Copypour7")
    assert "TEST-COPY-7" in [v.ref for v in found[:5]]
    if connection.vendor == "postgresql":
        # The name indexes are the names table's (``search_names``).
        indexes = [f"victims_victim_names_{s}" for s in NAMES_GIN_INDEXES]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [indexes]
            )
            options = dict(cursor.fetchall())
            assert len(options) == len(NAMES_GIN_INDEXES)
            assert all("fastupdate=on" in (o or []) for o in options.values()), options
            # ... and nothing the import wrote is left in their pending lists.
            cursor.execute(
                "SELECT sum(gin_clean_pending_list(oid)) FROM pg_class WHERE relname = ANY(%s)",
                [indexes],
            )
            assert cursor.fetchone()[0] == 0


def _indexed_columns(table: str) -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {tuple(c["columns"]) for c in found.values() if c["index"] or c["primary_key"]}


def test_the_rows_an_import_writes_to_the_histories_enter_only_indexes_something_reads():
    # Every imported victim writes a history row and every filled cell a citation and
    # its history row: an index nobody reads is written that many times. The histories
    # are read by record, by date and by who (the change log, a record's history, a
    # merge's undo); citations by record and by source.
    assert _indexed_columns(Victim.history.model._meta.db_table) == {
        ("history_id",),
        ("id",),
        ("history_date",),
        ("history_user_id",),
    }
    assert _indexed_columns(Citation.history.model._meta.db_table) == {
        ("history_id",),
        ("id",),
        ("history_date",),
        ("history_user_id",),
    }
    citation = _indexed_columns(Citation._meta.db_table)
    assert ("content_type_id", "object_id") in citation
    # By source, with the record each supports (a source's count of those citing it
    # reads the index alone): the source alone would be a second index of the same.
    assert ("source_id", "content_type_id", "object_id") in citation
    assert ("source_id",) not in citation
    assert ("content_type_id",) not in citation


def test_an_imported_victim_enters_no_index_that_another_already_gives():
    # The lists' indexes begin with the publication status: an index of the status alone
    # repeats them. Nothing asks a status, a gender or a fate with LIKE: PostgreSQL's
    # pattern copy of their indexes was written for every row and read by nothing.
    victims = _indexed_columns(Victim._meta.db_table)
    assert ("publication_status",) not in victims
    assert ("publication_status", "death_date") in victims
    assert ("gender",) in victims and ("fate",) in victims  # the admin's filters
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s "
                "AND indexdef LIKE '%%pattern_ops%%'",
                [Victim._meta.db_table],
            )
            assert [name for (name,) in cursor.fetchall()] == ["victims_victim_ref_5fe8f396_like"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the checks are PostgreSQL's")
def test_the_database_checks_what_a_citation_cites_but_not_again_who_wrote_each_history_row():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [["sources_citation", "sources_historicalcitation", "victims_historicalvictim"]],
        )
        checked = set(cursor.fetchall())
    assert checked == {
        ("sources_citation", "sources_source"),
        ("sources_citation", "sources_document"),
    }


def test_a_deleted_account_leaves_the_history_it_wrote_without_a_name(tmp_path, reviewer):
    # The history's link to who made a change is no longer a database constraint: Django
    # empties it when the account goes, as before.
    from django.contrib.auth.models import User

    account = User.objects.create_user("test-leaving-reviewer")
    account.groups.set(reviewer.groups.all())
    source = SourceFactory(publication_status="published")
    path = write_csv(tmp_path / "leaving.csv", people(1, 2), COLUMNS)
    report = import_file("victims", path, user=account, source=source)
    assert report.ok, report.problems
    victim = Victim.objects.get(ref="TEST-COPY-1")
    assert victim.history.get().history_user == account
    account.delete()
    assert victim.history.get().history_user is None
    cited = Citation.history.filter(object_id=victim.pk)
    assert cited.exists() and not cited.exclude(history_user=None).exists()
