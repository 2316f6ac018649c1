"""PostgreSQL: the server writes one batch while Python checks the next.

An import spends about as much CPU in its PostgreSQL backend (the records' INSERT into
three GIN name indexes, the citations and their history rows) as in Python (cells,
checks, search keys), and without this the two take turns: rows/s is 1 / (Python +
server). Here the set-based statements of a batch (COPY into the staging tables, the
INSERT ... SELECTs, ``bulk``) are recorded instead of run, and handed to a thread that
runs them on the same connection, so in the same transaction, while the main thread
goes on to the next batch: rows/s becomes about 1 / max(Python, server).

The rule that keeps it exactly equivalent to running them in turn: **the main thread
never uses the connection while the writer has work.** Every query of the main thread
(Django's cursors, through ``execute_wrapper``: a widget that creates a place, a
savepoint, the next batch's lookups) first hands over what is recorded and waits until
the writer is done with it (``drain``). So statements reach the server in the order the
program issued them, a savepoint never spans a statement of the writer, and every read
sees every write issued before it. The import's own lookups of the next batch are made
at the point where it waits anyway (``run.import_file``), so that the wait overlaps
nothing but the writer's own work.

One exception, asked for by name (``ahead``): the next batch's lookups are made after
this batch's writes are built and recorded but before they are handed over, so that
building them (Python's work: rows in COPY's format, citations) overlaps the writer's
previous batch too. Those reads wait for the batch the writer runs, and go before the
recorded one: the server sees the order it would without a writer (lookups of the next
batch, then this batch's writes), and none of the records read is one the recorded
statements write (a file names each record once). The new records' ids, which the
batch's rows need before they are built, are taken from the sequence at the same point
(``reserve_ids``).

A statement that fails in the writer aborts the transaction; the error is raised in the
main thread at its next query or when the import ends (``close``), as a Django database
error, and the import's ``transaction.atomic`` rolls everything back: all or nothing, as
before. The writer's thread uses the raw connection (``psycopg2`` releases the GIL while
the server works) and none of Django's per-connection state.
"""

from __future__ import annotations

import io
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress

# The foreign keys are checked at the end of each batch, by the writer, while the next
# batch is read (as Django's ``check_constraints`` does), instead of all at COMMIT, after
# the last batch, when nothing else runs: a sixth to a quarter of the server's work for
# an import with citations (two keys a citation). The same checks in the same
# transaction; a broken key fails the import a little sooner.
_CHECK_NOW = [
    ("SET CONSTRAINTS ALL IMMEDIATE", None, None),
    ("SET CONSTRAINTS ALL DEFERRED", None, None),
]

# COPY sends the text in chunks of this many characters (psycopg2's default, 8 kB,
# makes a Python call per chunk in the writer's thread).
_CHUNK = 1 << 20


class Writer:
    """Statements recorded by ``execute`` and ``copy`` (the ``bulk`` functions take a
    Writer where they take a cursor), run in order on ``connection`` (a Django
    connection, PostgreSQL) by a thread, a batch at a time (``submit``)."""

    def __init__(self, connection):
        self.connection = connection
        self.pending: list[tuple[str, object, str | None]] = []
        self.future: Future | None = None
        self.error: BaseException | None = None
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        self.check_early = self._constraints_all_deferred()
        # Seconds the main thread waited for the writer, and the writer's own time
        # (bench/import_profile.py prints them).
        self.waited = 0.0
        self.busy = 0.0
        # New records' ids taken from their table's sequence at a point where the main
        # thread queries anyway (``reserve_ids``), so that writing a batch asks nothing.
        self.ids: dict[str, list[int]] = {}
        self._ahead = False

    # --- Recording (the main thread) --------------------------------------------------

    def execute(self, sql: str, params=None) -> None:
        self.pending.append((sql, params, None))

    def copy(self, sql: str, text: str) -> None:
        """``COPY ... FROM STDIN`` with ``text`` in COPY's text format."""
        self.pending.append((sql, None, text))

    # --- Running ----------------------------------------------------------------------

    def submit(self) -> None:
        """Hands what is recorded to the writer (once it is done with the previous
        batch) and returns at once."""
        self.wait()
        if self.pending:
            if self.check_early:
                self.pending += _CHECK_NOW
            statements, self.pending = self.pending, []
            self.future = self.executor.submit(self._run, self.connection.connection, statements)

    def wait(self) -> None:
        """Until the writer is idle; raises the error of a statement that failed (then
        and at every later call: the transaction is aborted)."""
        if self.future is not None:
            started = time.monotonic()
            future, self.future = self.future, None
            error = future.exception()
            self.waited += time.monotonic() - started
            if error is not None and self.error is None:
                self.error = error
        if self.error is not None:
            # As Django's own cursor would raise it (django.db.IntegrityError, ...).
            with self.connection.wrap_database_errors:
                raise self.error

    def drain(self) -> None:
        """Everything recorded so far run: the connection is the main thread's again."""
        self.submit()
        self.wait()

    def close(self) -> None:
        """At the end of the import: everything run (raises a writer's error)."""
        try:
            self.drain()
        finally:
            self.executor.shutdown(wait=True)

    def abandon(self) -> None:
        """When the import fails: nothing more is sent, the statement in progress ends
        (the transaction is rolled back next), its error is not raised over the one
        that is propagating."""
        self.pending = []
        with suppress(Exception):  # the import's own error is the one to report
            self.wait()
        self.executor.shutdown(wait=True)

    def _constraints_all_deferred(self) -> bool:
        """Whether every deferrable constraint is initially deferred (Django makes its
        foreign keys so), so that ``SET CONSTRAINTS ALL DEFERRED`` restores them all."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM pg_constraint "
                "WHERE condeferrable AND NOT condeferred)"
            )
            return cursor.fetchone()[0]

    def _run(self, raw, statements) -> None:
        started = time.monotonic()
        try:
            with raw.cursor() as cursor:
                for sql, params, text in statements:
                    if text is None:
                        cursor.execute(sql, params)
                    elif hasattr(cursor, "copy_expert"):  # psycopg2
                        cursor.copy_expert(sql, io.StringIO(text), size=_CHUNK)
                    else:  # psycopg 3
                        with cursor.copy(sql) as copy:
                            copy.write(text)
        finally:
            self.busy += time.monotonic() - started

    # --- Ids for new records ------------------------------------------------------------

    def reserve_ids(self, table: str, pk_column: str, count: int) -> None:
        """``count`` ids from ``table``'s sequence for the next batch's new records (those
        left unused are gaps in the sequence, as a rolled-back insert leaves)."""
        from archive.core.importing.staging import new_ids

        with self.connection.cursor() as cursor:
            self.ids[table] = new_ids(cursor, table, pk_column, count) or []

    def take_ids(self, table: str, count: int) -> list[int] | None:
        """``count`` reserved ids (None when fewer are reserved: the caller asks)."""
        pool = self.ids.get(table, [])
        if len(pool) < count:
            return None
        taken, self.ids[table] = pool[:count], pool[count:]
        return taken

    # --- The main thread's queries wait -------------------------------------------------

    def _guard(self, execute, sql, params, many, context):
        if self._ahead:
            self.wait()
        else:
            self.drain()
        return execute(sql, params, many, context)

    @contextmanager
    def ahead(self):
        """Queries that go before what is recorded and not yet handed over: they wait
        for the batch the writer is running, not for the one being prepared. Only for
        reads that no recorded statement changes (the next batch's own records: a file
        names each record once)."""
        self._ahead = True
        try:
            yield self
        finally:
            self._ahead = False

    @contextmanager
    def guarding(self):
        """While the import runs: every query of the main thread on this connection
        waits until the writer has run everything recorded before it."""
        with self.connection.execute_wrapper(self._guard):
            yield self
