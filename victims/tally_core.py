"""Sums over the published victims that the database keeps as victims are written: the
machinery shared by the places' tallies (``victims.tallies``, the map) and the figures'
(``victims.facet_tallies``, the statistics, the home page, the list's filters and counts).

A tally table holds rows of (key columns, sum columns). Triggers on the victims' table
add to it what each statement changed: its rows as they were count -1, as they are +1,
published rows only. Every way victims are written goes through them: a save in the
admin, publishing and withdrawing (``move_to``), merges, the import's COPY and
``UPDATE ... FROM``, ``QuerySet.update``, deletions, raw SQL. Nothing in Python has to
remember a hook.

Why changes and not a recount of the keys touched: a recount in the writing transaction
reads the rows of its snapshot; two transactions writing at once would each recount
without the other's rows, and the later commit would overwrite the earlier's tally (a
lost update), unless each locked the key's row to commit, which makes every save of an
Evin victim wait for an import that holds Evin. A change is exact by construction: the
trigger sees each row as it was and as it is under the row's lock, in the transaction
that changes it, and goes with it if it rolls back.

No key is a single hot row: on PostgreSQL each statement inserts a row of changes per key
it touched and folds into it the rows of that key no other open transaction holds
(``FOR UPDATE SKIP LOCKED``): writers never wait for each other here, and the table
keeps about one row per key (plus one per key and open writer). A reader sums the rows
per key. PostgreSQL runs one trigger per statement over its transition tables (an import
batch is one statement); SQLite, one writer at a time, one per row.
"""

# The SQL here is built from the tallies' constants (table and column names, SQL written
# in their modules), never from a value read from anyone.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections

from archive.core.pagination import token

VICTIMS = "victims_victim"
PUBLISHED = "published"


@dataclass(frozen=True)
class TallyTable:
    """One kept tally: its table, key and sum columns, the victims' columns it reads, and
    its SQL:

    - ``per_key(rows, vendor)``: from ``rows`` (``sign`` and ``columns``), each key with
      the sums its rows add, keys whose changes cancel out left out;
    - ``sqlite_apply(row, sign, vendor)``: the statements adding ``sign`` for one victim
      ``row`` (NEW or OLD) to its keys' rows, for SQLite's row triggers."""

    table: str
    keys: tuple[str, ...]
    sums: tuple[str, ...]
    columns: tuple[str, ...]
    per_key: Callable[[str, str], str]
    sqlite_apply: Callable[[str, int, str], list[str]]

    # --- SQL ------------------------------------------------------------------------

    def rows(self, table: str, sign: int) -> str:
        return (
            f"SELECT {sign} AS sign, {', '.join(self.columns)} FROM {table} "
            f"WHERE publication_status = '{PUBLISHED}'"
        )

    def fold(self, changes: str) -> str:
        """PostgreSQL: one statement that adds ``changes`` (per-key sums) to the table:
        the rows of those keys that no other open transaction holds are taken out and
        put back summed with the changes, as one row per key (none where all is zero)."""
        keys, sums = ", ".join(self.keys), self.sums
        nonzero = " OR ".join(f"SUM({s}) <> 0" for s in sums)
        return f"""
            WITH changes AS ({changes}),
            taken AS (
                DELETE FROM {self.table} WHERE id IN (
                    SELECT id FROM {self.table}
                    WHERE ({keys}) IN (SELECT {keys} FROM changes)
                    FOR UPDATE SKIP LOCKED)
                RETURNING {keys}, {", ".join(sums)})
            INSERT INTO {self.table} ({keys}, {", ".join(sums)})
            SELECT {keys}, {", ".join(f"SUM({s})" for s in sums)}
            FROM (SELECT * FROM changes UNION ALL SELECT * FROM taken) AS both_
            GROUP BY {keys}
            HAVING {nonzero}"""

    def fresh_count_sql(self, vendor: str) -> str:
        """SQL: every key's sums counted from the published victims."""
        return self.per_key(self.rows(VICTIMS, 1), vendor)

    # --- PostgreSQL: one trigger per statement, over its transition tables ----------

    def _pg_events(self) -> dict[str, tuple[str, str]]:
        return {
            "insert": (self.rows("new_rows", 1), "NEW TABLE AS new_rows"),
            "update": (
                f"{self.rows('old_rows', -1)} UNION ALL {self.rows('new_rows', 1)}",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            ),
            "delete": (self.rows("old_rows", -1), "OLD TABLE AS old_rows"),
        }

    def postgresql_install(self) -> list[str]:
        statements = []
        for event, (rows, referencing) in self._pg_events().items():
            function = f"{self.table}_{event}"
            statements += [
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
                f"AS $$ BEGIN {self.fold(self.per_key(rows, 'postgresql'))}; RETURN NULL; END $$",
                f"DROP TRIGGER IF EXISTS {function} ON {VICTIMS}",
                f"CREATE TRIGGER {function} AFTER {event.upper()} ON {VICTIMS} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            ]
        return statements

    def postgresql_uninstall(self) -> list[str]:
        out = []
        for event in self._pg_events():
            out += [
                f"DROP TRIGGER IF EXISTS {self.table}_{event} ON {VICTIMS}",
                f"DROP FUNCTION IF EXISTS {self.table}_{event}()",
            ]
        return out

    # --- SQLite: one trigger per row (one writer at a time: no one else holds a row) --

    def _sqlite_triggers(self) -> dict[str, tuple[str, str, list[str]]]:
        watched = [c for c in self.columns if c != "publication_status"]
        # An update moves a tally only when it changes the status or a column read.
        moved = " OR ".join(
            f"NEW.{column} IS NOT OLD.{column}" for column in ("publication_status", *watched)
        )
        update = f"AFTER UPDATE OF publication_status, {', '.join(watched)} ON {VICTIMS}"
        apply = self.sqlite_apply
        return {
            f"{self.table}_insert": (
                f"AFTER INSERT ON {VICTIMS}",
                f"NEW.publication_status = '{PUBLISHED}'",
                apply("NEW", 1, "sqlite"),
            ),
            f"{self.table}_delete": (
                f"AFTER DELETE ON {VICTIMS}",
                f"OLD.publication_status = '{PUBLISHED}'",
                apply("OLD", -1, "sqlite"),
            ),
            f"{self.table}_update_old": (
                update,
                f"OLD.publication_status = '{PUBLISHED}' AND ({moved})",
                apply("OLD", -1, "sqlite"),
            ),
            f"{self.table}_update_new": (
                update,
                f"NEW.publication_status = '{PUBLISHED}' AND ({moved})",
                apply("NEW", 1, "sqlite"),
            ),
        }

    def sqlite_install(self) -> list[str]:
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name} {event} FOR EACH ROW WHEN {condition} BEGIN "
            + "; ".join(body)
            + "; END"
            for name, (event, condition, body) in self._sqlite_triggers().items()
        ]

    def sqlite_uninstall(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {name}" for name in self._sqlite_triggers()]

    # --- Installing, counting anew ----------------------------------------------------

    def install(self, connection) -> None:
        """The triggers, on ``connection``'s database (PostgreSQL or SQLite)."""
        pg = connection.vendor == "postgresql"
        statements = self.postgresql_install() if pg else self.sqlite_install()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def uninstall(self, connection) -> None:
        pg = connection.vendor == "postgresql"
        statements = self.postgresql_uninstall() if pg else self.sqlite_uninstall()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def installed(self, connection) -> bool:
        """Whether every trigger is there."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass "
                    "AND tgname LIKE %s",
                    [VICTIMS, f"{self.table}%"],
                )
                return cursor.fetchone()[0] == len(self._pg_events())
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "AND name LIKE %s",
                [VICTIMS, f"{self.table}%"],
            )
            return cursor.fetchone()[0] == len(self._sqlite_triggers())

    def ensure(self, using: str = "default") -> None:
        """After every ``migrate`` (and ``flush``): the triggers are put back where they
        had gone (SQLite drops a table's triggers when Django remakes the table to alter
        it) and the tallies counted anew then. On SQLite they are always counted anew:
        ``flush`` empties the tables one by one with DELETE, which fires the triggers, in
        no set order (the tallies' table emptied before the victims' would be left below
        zero)."""
        connection = connections[using]
        if connection.vendor not in ("postgresql", "sqlite"):
            return
        tables = set(connection.introspection.table_names())
        if self.table not in tables or VICTIMS not in tables:
            return  # migrated to before this tally
        missing = not self.installed(connection)
        if missing:
            self.install(connection)
        if missing or connection.vendor == "sqlite":
            self.recount(using)

    def recount(self, using: str = "default") -> None:
        """Counts every key anew from the published victims, in one statement: the rows
        another transaction adds meanwhile (not in this statement's snapshot) stay, and
        are not counted twice."""
        connection = connections[using]
        fresh = self.fresh_count_sql(connection.vendor)
        columns = ", ".join((*self.keys, *self.sums))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"WITH gone AS (DELETE FROM {self.table} RETURNING 1) "
                    f"INSERT INTO {self.table} ({columns}) {fresh}"
                )
            else:  # one writer: the two statements see the same rows
                cursor.execute(f"DELETE FROM {self.table}")
                cursor.execute(f"INSERT INTO {self.table} ({columns}) {fresh}")

    def counted(self, using: str = "default") -> list[tuple]:
        """Every key's sums counted now from the published victims (a pass over them
        all: for checks, never for a page)."""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.fresh_count_sql(connection.vendor))
            return cursor.fetchall()

    def digest(self, using: str | None = None) -> str:
        """A token that changes whenever a kept sum changes (and only then: how the sums
        are split over rows does not count): what a page showing only these sums is
        keyed on. One query over the table."""
        keys = ", ".join(self.keys)
        sums = ", ".join(f"SUM({s})" for s in self.sums)
        with connections[using or "default"].cursor() as cursor:
            cursor.execute(f"SELECT {keys}, {sums} FROM {self.table} GROUP BY {keys}")
            rows = sorted(row for row in cursor.fetchall() if any(row[len(self.keys) :]))
        return token(rows)


def differences(kept: dict, fresh: dict) -> dict:
    """The keys whose kept value is not what a fresh count gives: key -> (kept,
    counted). Empty when the tallies are exact."""
    return {
        key: (kept.get(key), fresh.get(key))
        for key in set(kept) | set(fresh)
        if kept.get(key) != fresh.get(key)
    }
