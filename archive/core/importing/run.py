"""The commands' bulk import: every row read and checked through the resource, written
in batches with their history, atomically, with a report of every bad row. On
PostgreSQL the server writes each batch while the next is checked (``writer``)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone

from archive.core.collector import FrozenHeap
from archive.core.importing.bulk import (
    BATCH_SIZE,
    _reset_sequence,
    create_rows_with_history,
    create_with_history,
    update_with_history,
)
from archive.core.importing.citing import (
    add_version_names,
    citation_objects,
    prefetch_version_names,
)
from archive.core.importing.readers import open_table
from archive.core.importing.report import FileProblem, ImportReport, Problem, messages_of
from archive.core.importing.resource import get_resource_class
from archive.core.importing.writer import Writer
from archive.core.models import history_user
from archive.core.versions import data_changed

# --- Progress ------------------------------------------------------------------------------


class Progress:
    """Rows done and rows per second on one terminal line (stderr), twice a second."""

    def __init__(self, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, rows: int, *, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not final and now - self.last < 0.5:
            return
        self.last = now
        rate = rows / (now - self.start) if now > self.start else 0
        end = "\n" if final else ""
        self.stream.write(f"\r{rows:,} rows done, {rate:,.0f} rows/s   {end}")
        self.stream.flush()


# --- The command's bulk import -----------------------------------------------------------


def _matched_rows(
    resource, report: ImportReport, new_rows: list, to_create: list, on_match: str, read: float
):
    """The rows to create, once those that may be records already in the archive are
    reported (and, with ``on_match="skip"``, left out). ``read``: how far through its
    file the import is (``Table.share_read``)."""
    if not new_rows:
        return to_create
    found = resource.possible_matches(new_rows, read=read)
    report.matches.extend(found)
    if on_match != "skip" or not found:
        return to_create
    skip = {id(instance) for where, instance in new_rows if where in {m.where for m in found}}
    report.skipped += len(skip)
    return [instance for instance in to_create if id(instance) not in skip]


def _batches(rows: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in rows:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_file(
    name: str,
    path: str | Path,
    *,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    source=None,
    prefer_source: bool = False,
    on_match: str = "report",
) -> ImportReport:
    """Import one file of ``name`` records (``"victims"``) in one transaction.

    ``source``: every filled cell of a citable fact is cited to it, "row N" as locator;
    a value differing from an existing record's is kept as the source's version unless
    ``prefer_source`` (``archive.core.importing.citing``).

    ``on_match``: a new row that is probably a record already in the archive
    (``resource.possible_matches``) is listed in the report ("report") or also left out
    ("skip"); nothing is ever merged.

    Raises ``FileProblem`` when the file cannot be read at all; otherwise returns a report
    whose ``problems`` name every bad row (and then nothing was written).
    """
    resource_class = get_resource_class(name)
    path = Path(path)
    started = time.monotonic()
    resource = resource_class(
        user=user, file_name=path.name, source=source, prefer_source=prefer_source
    )
    refused = resource_class.import_refused(resource.acting_user) or resource.source_refused()
    if refused:
        raise FileProblem(str(refused))
    table = open_table(path)
    report = ImportReport(name=resource.noun, file_name=path.name, dry_run=dry_run)

    known = {c.column_name for c in resource.fields.values()}
    if len(set(table.columns)) != len([c for c in table.columns if c]):
        twice = sorted({c for c in table.columns if c and table.columns.count(c) > 1})
        raise FileProblem(f"{path.name}: the column(s) {', '.join(twice)} appear twice.")
    missing = resource.missing_columns(table.columns)
    if missing:
        raise FileProblem(f"{path.name}: {resource.missing_message(missing)}")
    for column in table.columns:
        if column and column not in known:
            report.warnings.append(
                f"column '{column}' is not one of this kind's columns and was ignored "
                f"(known: {', '.join(resource.column_names())})"
            )
    import_fields = [f for f in resource.get_import_fields() if f.column_name in table.columns]
    model = resource._meta.model
    db = router.db_for_write(model)
    seen: dict[str, int] = {}
    now = timezone.now()
    account = history_user(user)
    update_fields = sorted(
        {
            name
            for f in import_fields
            # A column may set more than its field (a hearing's body: a commission or a court).
            for name in (f.attribute, f"{f.attribute}_precision", *getattr(f, "also_sets", ()))
            if any(mf.name == name for mf in model._meta.concrete_fields)
        }
        | {
            n
            for n in ("name_keys", "updated_at", "published_at")
            if any(mf.name == n for mf in model._meta.concrete_fields)
        }
    )

    resource.prepare_possible_matches()
    # PostgreSQL: the server writes a batch while the next is checked (``writer``).
    writer = Writer(connections[db]) if connections[db].vendor == "postgresql" else None
    batches = _batches(table.rows, batch_size)
    with (
        FrozenHeap(),
        transaction.atomic(using=db),
        writer.guarding() if writer else nullcontext(),
    ):
        # The multi-row INSERTs send no signals: cached public pages learn of the import
        # when it commits (nothing, if it rolls back).
        data_changed(db)
        try:
            _import_batches(
                resource, report, batches, writer, db=db, seen=seen, now=now, account=account,
                import_fields=import_fields, update_fields=update_fields, model=model,
                on_match=on_match, progress=progress, share_read=table.share_read,
            )  # fmt: skip
            if writer:
                writer.close()  # every write run (a failed one raises here at the latest)
        except BaseException:
            if writer:
                writer.abandon()
            raise
        if report.rows == 0:
            raise FileProblem(f"{path.name} has a header but no records.")
        if report.problems or dry_run:
            transaction.set_rollback(True, using=db)
        elif resource.key_column == "id":
            _reset_sequence(model, db)
    if progress:
        progress.update(report.rows, final=True)
    if report.ok and not dry_run and (report.created or report.updated):
        # The duplicate check's keys of what was written, made now, while the importer
        # waits. Left to the next check, a large import's were all behind at the admin's
        # next preview, which makes them 10 s at a time and asks to send the file again
        # (after a million rows: some fifty times).
        began = time.monotonic()
        resource.prepare_possible_matches()
        report.keys_seconds = time.monotonic() - began
    report.new_references = list(resource.new_references)
    report.warnings.extend(resource.import_warnings)
    if not report.ok:
        report.created = report.updated = report.unchanged = 0
        report.citations = report.versions = 0
    report.seconds = time.monotonic() - started
    return report


def _lookups(resource, batch: list | None, writer=None):
    """A batch of rows with their keys and the records they name (``None`` at the end).
    With a ``writer``: ids for the batch's new records are taken from the sequence now,
    so that writing the batch asks the server nothing (``Writer.reserve_ids``)."""
    if batch is None:
        return None
    keys = [resource.row_key(row) for _where, row in batch]
    existing = resource.existing([k for k in keys if k])
    prefetch_version_names(existing.values())
    if writer is not None and resource.key_column != "id":
        meta = resource._meta.model._meta
        writer.reserve_ids(meta.db_table, meta.pk.column, len(batch) - len(existing))
    return batch, keys, existing


def _import_batches(
    resource, report, batches, writer, *, db, seen, now, account, import_fields,
    update_fields, model, on_match, progress, share_read,
) -> None:  # fmt: skip
    """Every batch checked, then written (or, with a ``writer``, handed to it)."""
    upcoming = _lookups(resource, next(batches, None), writer)
    while upcoming is not None:
        batch, keys, existing = upcoming
        to_create, to_update, to_cite = [], [], []
        new_rows = []  # (where, instance) of the rows that create a record
        for (where, row), key in zip(batch, keys, strict=True):
            report.rows += 1
            if "__error__" in row:
                report.add_problem(Problem(where, "", row["__error__"]))
                continue
            if key:
                if key in seen:
                    first = f"{where.split()[0]} {seen[key]}"
                    report.add_problem(
                        Problem(
                            where,
                            resource.key_column,
                            f"'{key}' is also the {resource.key_column} of {first}; "
                            f"each record may appear once in a file",
                        )
                    )
                    continue
                # The number alone: a million keys must not hold a million labels too.
                seen[key] = int(where.split()[-1])
            instance = existing.get(key)
            new = instance is None
            if new:
                instance = resource.init_instance(row)
            before = None if new else [f.export(instance) for f in import_fields]
            resource.after_init_instance(instance, new, row)
            try:
                errors = {}
                try:
                    resource.import_instance(instance, row, where=where)
                except ValidationError as exc:
                    errors = exc.update_error_dict(errors)
                resource.validate_instance(instance, errors)
            except ValidationError as exc:
                for problem in messages_of(exc, resource, where):
                    report.add_problem(problem)
                continue
            if report.problems:
                continue  # keep checking rows; nothing more will be written
            if not new and before == [f.export(instance) for f in import_fields]:
                report.unchanged += 1
                to_cite.append(instance)
                continue
            add_version_names(instance, resource.source)
            resource.prepare_instance(instance)
            if new:
                to_create.append(instance)
                new_rows.append((where, instance))
            else:
                if hasattr(instance, "updated_at"):
                    instance.updated_at = now
                to_update.append(instance)
        if not report.problems:
            to_create = _matched_rows(resource, report, new_rows, to_create, on_match, share_read())
        if not report.problems:
            # With a writer, recorded (and built in Python) while the server still
            # writes the previous batch.
            _write_batch(
                resource, report, writer, to_create, to_update, to_cite, db=db,
                account=account, now=now, model=model, update_fields=update_fields,
            )  # fmt: skip
        # The next batch's rows and the records they name, read now: with a writer,
        # this query waits for the previous batch's writes (the main thread never
        # uses the connection while the writer does) and goes before this batch's,
        # which are handed over next and overlap the checks of the next batch. The
        # server sees the same order as without a writer: a file names each record
        # once, so none of them is one this batch writes.
        with writer.ahead() if writer else nullcontext():
            upcoming = _lookups(resource, next(batches, None), writer)
        if writer:
            writer.submit()
        if progress:
            progress.update(report.rows)


def _write_batch(
    resource, report, writer, to_create, to_update, to_cite, *, db, account, now, model,
    update_fields,
) -> None:  # fmt: skip
    """A checked batch's records, their history, citations and versions written (with
    a ``writer``: recorded, then handed to it)."""
    reason = resource.change_reason()
    saved = [*to_create, *to_update, *to_cite]
    if to_create:
        create_with_history(
            to_create, model, db=db, user=account, reason=reason, when=now, writer=writer
        )
    if to_update:
        update_with_history(
            to_update, model, update_fields, db=db, user=account, reason=reason, when=now,
            writer=writer,
        )  # fmt: skip
    # A query from here on (a hook's, an existing record's citations) first waits for
    # what the writer was given: the order of reads and writes is the same as without.
    resource.after_bulk_write(to_create, to_update)
    # Before the new citations are written: they must not be demoted too.
    demoted = resource.demoted_citations(saved)
    citations, shared, cited = resource.citation_rows(saved)
    if cited and not create_rows_with_history(
        citations, shared, resource.VARYING, cited, db=db, user=account, reason=reason,
        when=now, writer=writer,
    ):  # fmt: skip
        create_with_history(
            citation_objects(citations, shared, cited), citations, db=db, user=account,
            reason=reason, when=now, writer=writer,
        )  # fmt: skip
    report.citations += len(cited)
    report.versions += sum(1 for row in cited if row[-1])
    if demoted:
        update_with_history(
            demoted, type(demoted[0]), ["value"], db=db, user=account, reason=reason,
            when=now, writer=writer,
        )  # fmt: skip
    report.created += len(to_create)
    report.updated += len(to_update)


def refresh_planner_statistics(model, *, using: str = "default") -> None:
    """After an import of ``model``'s records on PostgreSQL (the command's, the admin's),
    refresh the planner's statistics of its table: until autovacuum comes to it, the lists
    and the search are planned for the table as it was (after 30,000 victims imported
    into a new archive, a search cost 126-136 ms of the server's CPU without it, 4.8 ms
    with it: docs/benchmarks.md). An ``ANALYZE``
    reads a sample of at most 30,000 rows, whatever the table's size. Not a VACUUM any
    more: the names tables' indexes merge their pending lists as each statement ends
    (``search_names``), and the people have no GIN index left to fold."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return  # a caller's transaction (a test's) would hold the statistics back
    with connection.cursor() as cursor:
        # The table's name comes from the model's metadata, never from a file. A
        # record's citations need none: they are read through their index whatever the
        # statistics say (checked with none).
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
