"""PostgreSQL: which people a write has touched since the stored linkage keys were last
brought up to date, so that ``linkage_store.refresh`` looks at those people alone instead
of comparing every person with their stored row.

At a million people that comparison (a full join of the people and the store, each
person's fingerprint worked out again) took 1.4-2.1 s whatever had changed, before every
import and before every preview of an import in the admin, twice for each file a
researcher sends there (docs/benchmarks.md, issue 26).

- ``<table>_linkage_changes`` holds the id of every person inserted, updated or deleted,
  written by statement triggers on the people's table: whatever wrote them (a save, an
  import's COPY, a merge, ``QuerySet.update``, raw SQL), as the full comparison caught.
  It is a log, not a set: a person saved twice is there twice, and the refresh reads
  each once. It has no unique key on purpose: a writer never waits for a refresh that has
  taken the same id.
- ``<table>_linkage_state`` holds the version of the key-making code the store was last
  fully compared under. The log is complete only from that pass on, for that code: with
  no state, another version, or a log longer than ``FULL_PASS_FROM``, the refresh compares
  everyone (as before) and then writes the state. A ``TRUNCATE`` of the people (which
  fires no row or statement trigger of ``DELETE``) drops the state.

A refresh takes the log (``take``) inside the transaction that writes the keys: if it
fails, the log is as it was. On SQLite nothing of this: an embedded archive is small, and
every person is compared.
"""

# The SQL here is built from table names given by migrations, never from a value read
# from anyone.
# ruff: noqa: S608

from __future__ import annotations

import zlib

from archive.core.migration_ops import TableOperation

# A log longer than this is not read person by person: comparing everyone costs about as
# much (1.4-2.1 s at a million people; the log's people are read through the primary
# key, about 10 µs each).
FULL_PASS_FROM = 100_000


def log_table(table: str) -> str:
    return f"{table}_linkage_changes"


def state_table(table: str) -> str:
    return f"{table}_linkage_state"


def install_statements(table: str) -> list[str]:
    """The log and the state, and the triggers on ``table`` that write them. A trigger
    with transition tables may serve one event only, hence three (and a fourth for
    ``TRUNCATE``). An update logs the ids before and after, once each (a primary key may
    change); not by an anti-join of the two transition tables, which have no statistics:
    a nested loop, 130 ms more for an update of 2,000 victims."""
    log, state = log_table(table), state_table(table)
    return [
        f"CREATE TABLE IF NOT EXISTS {log} (id bigint NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {state} (one boolean PRIMARY KEY DEFAULT true "
        "CHECK (one), version text NOT NULL)",
        f"""CREATE OR REPLACE FUNCTION {log}_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO {log} (id) SELECT id FROM new_rows;
          ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO {log} (id) SELECT id FROM old_rows;
          ELSE
            INSERT INTO {log} (id) SELECT id FROM new_rows UNION SELECT id FROM old_rows;
          END IF;
          RETURN NULL;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION {log}_lost() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM {state};
          RETURN NULL;
        END $$""",
        f"CREATE TRIGGER {log}_inserted AFTER INSERT ON {table} REFERENCING NEW TABLE AS "
        f"new_rows FOR EACH STATEMENT EXECUTE FUNCTION {log}_write()",
        f"CREATE TRIGGER {log}_updated AFTER UPDATE ON {table} REFERENCING OLD TABLE AS "
        f"old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {log}_write()",
        f"CREATE TRIGGER {log}_deleted AFTER DELETE ON {table} REFERENCING OLD TABLE AS "
        f"old_rows FOR EACH STATEMENT EXECUTE FUNCTION {log}_write()",
        f"CREATE TRIGGER {log}_truncated AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {log}_lost()",
    ]


def drop_statements(table: str) -> list[str]:
    log = log_table(table)
    events = ("inserted", "updated", "deleted", "truncated")
    return [
        *(f"DROP TRIGGER IF EXISTS {log}_{event} ON {table}" for event in events),
        f"DROP FUNCTION IF EXISTS {log}_write(), {log}_lost()",
        f"DROP TABLE IF EXISTS {log}, {state_table(table)}",
    ]


class LinkageChangeLog(TableOperation):
    """PostgreSQL only: the log of the people written and the state of the store, with
    the triggers on ``table`` that keep them. Nothing on SQLite. The state starts empty:
    the first refresh after ``migrate`` compares everyone, as every refresh did before."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            for sql in install_statements(self.table):
                schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            for sql in drop_statements(self.table):
                schema_editor.execute(sql)

    def describe(self):
        return f"The log of the people of {self.table} written since their keys were made"


def is_complete(cursor, table: str, version: str) -> bool:
    """Whether the log holds every person written since the store was last compared with
    everyone under this ``version`` of the code, and is short enough to be read alone.
    False where there is no log (SQLite, or a table without one)."""
    if cursor.db.vendor != "postgresql":
        return False
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [state_table(table)])
    if not cursor.fetchone()[0]:
        return False
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {state_table(table)} WHERE version = %s), "
        f"(SELECT count(*) FROM (SELECT 1 FROM {log_table(table)} LIMIT %s) logged)",
        [version, FULL_PASS_FROM + 1],
    )
    complete, logged = cursor.fetchone()
    return complete and logged <= FULL_PASS_FROM


def restart(cursor, table: str) -> None:
    """Before everyone is compared: the state dropped (a pass that stops half-way leaves
    the next to compare everyone again) and the log emptied (everyone logged so far is
    among those compared; whoever is written from now on is logged again)."""
    if cursor.db.vendor != "postgresql":
        return
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [state_table(table)])
    if cursor.fetchone()[0]:
        cursor.execute(f"DELETE FROM {state_table(table)}")
        cursor.execute(f"DELETE FROM {log_table(table)}")


def complete(cursor, table: str, version: str) -> None:
    """After everyone was compared under ``version``: the log is complete from here on."""
    if cursor.db.vendor != "postgresql":
        return
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [state_table(table)])
    if cursor.fetchone()[0]:
        cursor.execute(
            f"INSERT INTO {state_table(table)} (version) VALUES (%s) "
            "ON CONFLICT (one) DO UPDATE SET version = EXCLUDED.version",
            [version],
        )


def take(cursor, table: str) -> list[int]:
    """The ids in the log, each once, the log emptied (in the caller's transaction).

    Refreshes of one table take it one at a time, each until its transaction ends: a
    refresh holds the store's rows and counts it writes until it commits, and two
    writing their chunks at once could each come to wait for the other (a deadlock)."""
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(table.encode()) & 0x7FFFFFFF])
    cursor.execute(
        f"WITH logged AS (DELETE FROM {log_table(table)} RETURNING id) "
        "SELECT DISTINCT id FROM logged ORDER BY id"
    )
    return [pk for (pk,) in cursor.fetchall()]


def log_again(cursor, table: str, ids: list[int]) -> None:
    """The ids a refresh took and did not reach (its deadline came): back in the log."""
    if ids:
        cursor.execute(
            f"INSERT INTO {log_table(table)} (id) SELECT unnest(%s::bigint[])", [list(ids)]
        )
