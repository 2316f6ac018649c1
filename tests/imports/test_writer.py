"""On PostgreSQL the server writes one batch while the next is checked
(``archive.core.importing.writer``). The import must stay one transaction: a bad row
found after earlier batches went to the server, or a write the server refuses, leaves
nothing written, and the report still names every bad row and column. Synthetic people
only."""

import threading

import pytest
from django.db import DataError, IntegrityError, connection

from archive.core.importing import import_file
from archive.core.importing.writer import Writer
from sources.models import Citation
from tests.factories import SourceFactory
from tests.imports.conftest import write_csv
from tests.imports.test_copy_path import COLUMNS, people
from victims.models import Victim
from victims.resources import VictimResource

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the writer is PostgreSQL's"
)


def nothing_written(source) -> bool:
    return not (
        Victim.objects.filter(ref__startswith="TEST-COPY-").exists()
        or Victim.history.filter(ref__startswith="TEST-COPY-").exists()
        or Citation.objects.filter(source=source).exists()
        or Citation.history.filter(source=source).exists()
    )


def on_row(monkeypatch, ref: str, then) -> None:
    """Calls ``then()`` when the import checks the row of ``ref``."""
    checked = VictimResource.validate_instance

    def spy(self, instance, *args, **kwargs):
        if instance.ref == ref:
            then()
        return checked(self, instance, *args, **kwargs)

    monkeypatch.setattr(VictimResource, "validate_instance", spy)


def test_bad_rows_found_after_earlier_batches_were_written_leave_nothing_written(
    tmp_path, reviewer, monkeypatch
):
    source = SourceFactory(title="Synthetic list")
    rows = people(1, 35)
    rows[25]["death_date"] = "1988-13-45"  # row 27, in the third batch of ten
    rows[33]["birth_year"] = "nineteen-fifty"  # row 35
    path = write_csv(tmp_path / "list.csv", rows, COLUMNS)
    written_before = []
    on_row(
        monkeypatch,
        "TEST-COPY-26",
        lambda: written_before.append(Victim.objects.filter(ref__startswith="TEST-COPY-").count()),
    )

    report = import_file("victims", path, user=reviewer, source=source, batch_size=10)

    # The first two batches were in the database (in the import's transaction) when the
    # bad row was read: a read of the main thread sees every write handed over before it.
    assert written_before == [20]
    assert [(p.where, p.column) for p in report.problems] == [
        ("row 27", "death_date"),
        ("row 35", "birth_year"),
    ]
    assert (report.created, report.citations) == (0, 0)
    assert nothing_written(source)


@postgresql_only
def test_a_write_the_server_refuses_in_a_later_batch_fails_the_import_and_leaves_nothing(
    tmp_path, reviewer, monkeypatch
):
    source = SourceFactory(title="Synthetic list")
    path = write_csv(tmp_path / "list.csv", people(1, 35), COLUMNS)
    handed = []
    submit = Writer.submit

    def refused_second_batch(self):
        if self.pending:
            handed.append(len(self.pending))
            if len(handed) == 2:  # the server refuses a statement of the second batch
                self.execute("SELECT 1 / 0")
        submit(self)

    monkeypatch.setattr(Writer, "submit", refused_second_batch)

    with pytest.raises(DataError):
        import_file("victims", path, user=reviewer, source=source, batch_size=10)

    assert len(handed) >= 2
    assert nothing_written(source)


def first_write_waits_for(monkeypatch, event: threading.Event) -> list[bool]:
    """The writer's first batch waits (10 s at most) for ``event``; the list returned
    says whether it came. Without overlap the main thread would wait for that write
    before it could set the event: the wait ends after its timeout, False."""
    overlapped = []
    run = Writer._run

    def first_write_waits(self, raw, statements):
        if not overlapped:
            overlapped.append(event.wait(timeout=10))
        return run(self, raw, statements)

    monkeypatch.setattr(Writer, "_run", first_write_waits)
    return overlapped


def import_25_people(tmp_path, reviewer):
    """25 synthetic people in batches of 10, cited; what was written is checked."""
    source = SourceFactory(title="Synthetic list")
    path = write_csv(tmp_path / "list.csv", people(1, 25), COLUMNS)

    report = import_file("victims", path, user=reviewer, source=source, batch_size=10)

    assert report.ok, report.problems
    assert report.created == Victim.objects.filter(ref__startswith="TEST-COPY-").count() == 25
    assert Victim.history.filter(ref__startswith="TEST-COPY-").count() == 25
    assert Citation.objects.filter(source=source).count() == report.citations > 0


@postgresql_only
def test_the_next_batch_is_checked_while_the_server_writes_the_previous_one(
    tmp_path, reviewer, monkeypatch
):
    next_batch_checked = threading.Event()
    overlapped = first_write_waits_for(monkeypatch, next_batch_checked)
    on_row(monkeypatch, "TEST-COPY-12", next_batch_checked.set)

    import_25_people(tmp_path, reviewer)

    assert overlapped == [True]


@postgresql_only
def test_a_broken_link_in_a_written_batch_fails_the_import_before_it_commits(
    tmp_path, reviewer, monkeypatch
):
    """The foreign keys are checked as each batch is written (not only at COMMIT, which
    a test's transaction never reaches): a citation to a source that is not there fails
    the import, and nothing is written."""
    source = SourceFactory(title="Synthetic list")
    path = write_csv(tmp_path / "list.csv", people(1, 15), COLUMNS)
    rows = VictimResource.citation_rows

    def cited_to_a_missing_source(self, instances):
        model, shared, cited = rows(self, instances)
        return model, {**shared, "source_id": source.pk + 10_000}, cited

    monkeypatch.setattr(VictimResource, "citation_rows", cited_to_a_missing_source)

    with pytest.raises(IntegrityError):
        import_file("victims", path, user=reviewer, source=source, batch_size=10)

    assert nothing_written(source)
    assert not Citation.objects.filter(source_id=source.pk + 10_000).exists()


@postgresql_only
def test_a_batch_is_prepared_while_the_server_writes_the_previous_one(
    tmp_path, reviewer, monkeypatch
):
    # Building a batch's writes (its rows in COPY's format, its citations) is Python's
    # work too: done while the server writes the batch before, the server does not
    # wait for it.
    from archive.core.importing import run as running

    second_batch_built = threading.Event()
    overlapped = first_write_waits_for(monkeypatch, second_batch_built)
    built = running.create_with_history

    def build(objs, *args, **kwargs):
        if any(obj.ref == "TEST-COPY-12" for obj in objs):
            second_batch_built.set()
        return built(objs, *args, **kwargs)

    monkeypatch.setattr(running, "create_with_history", build)

    import_25_people(tmp_path, reviewer)

    assert overlapped == [True]
