"""PostgreSQL: how many people hold each value of each clustered fact (prison, fate, year
of birth, day of death, ...) within their event, kept beside the linkage store, so that an
import's check reads a few hundred counts instead of grouping every person.

At a million people that grouping (one ``GROUPING SETS`` scan of the people's table) took
1.6-2.1 s before every import and every preview of one in the admin (docs/benchmarks.md,
issue 26). Here:

- ``<table>_linkage_facts``: each person who may be matched (not merged), with their event
  and clustered facts as the people's table has them. Only ``linkage_store.refresh``
  writes it (``sync``), for the people the change log names (``linkage_log``) or, when
  it compares everyone, for all; so a researcher's save never waits on its counts, even
  while an import's long transaction is open.
- ``<table>_linkage_fact_groups``: the rows the scan gave, ``GROUPING(...)`` and count,
  kept by statement triggers on the facts table (what left a group counted out, what
  entered it in, netted), one row per group (a unique index with ``NULLS NOT DISTINCT``:
  a fact not known is a group too, as in the scan).

The columns are those the migration named. ``groups`` reads the kept counts only while the
table's columns are the code's (``fields``); otherwise it answers None and the caller
scans, as before.
"""

# The SQL here is built from table and column names given by migrations and the models,
# never from a value read from anyone.
# ruff: noqa: S608

from __future__ import annotations

from archive.core.migration_ops import TableOperation

# Up to how many people ``sync`` names in its statements; more are written all at once.
LISTED_UP_TO = 100_000
# The people an import's rows are checked against (not merged into another record): the
# store's, the facts' and the scan's alike (``linkage_store`` reads it from here).
LIVE = "merged_into_id IS NULL"


def facts_table(table: str) -> str:
    return f"{table}_linkage_facts"


def groups_table(table: str) -> str:
    return f"{table}_linkage_fact_groups"


def grouping_sql(event: str, sets: list[list[str]]) -> tuple[str, str]:
    """(the grouped columns, the ``GROUPING SETS`` clause) of the scan and of the counts
    alike: each set is the event with one fact's columns; the first set the event alone."""
    columns = [c for group in sets for c in group]
    clause = ", ".join("(" + ", ".join([event, *group]) + ")" for group in ([], *sets))
    return ", ".join(columns), f"GROUPING SETS ({clause})"


def install_statements(table: str, event: str, sets: list[list[str]]) -> list[str]:
    facts, groups = facts_table(table), groups_table(table)
    columns, grouping = grouping_sql(event, sets)
    counted = f"{event}, {columns}, GROUPING({columns})"
    count = (
        f"INSERT INTO {groups} ({event}, {columns}, grouping, people) "
        f"SELECT {counted}, sum(n) FROM ({{rows}}) r GROUP BY {grouping} HAVING sum(n) <> 0 "
        f"ORDER BY {counted} "
        f"ON CONFLICT ({event}, {columns}, grouping) "
        f"DO UPDATE SET people = {groups}.people + EXCLUDED.people;"
    )
    new = f"SELECT {event}, {columns}, 1 AS n FROM new_rows"
    old = f"SELECT {event}, {columns}, -1 AS n FROM old_rows"
    return [
        f"CREATE TABLE IF NOT EXISTS {facts} AS SELECT id, {event}, {columns} FROM {table} "
        "WITH NO DATA",
        f"ALTER TABLE {facts} ADD PRIMARY KEY (id)",
        f"CREATE TABLE IF NOT EXISTS {groups} AS SELECT {event}, {columns}, "
        f"0::integer AS grouping, 0::bigint AS people FROM {table} WITH NO DATA",
        f"CREATE UNIQUE INDEX IF NOT EXISTS {groups}_key ON {groups} "
        f"({event}, {columns}, grouping) NULLS NOT DISTINCT",
        f"""CREATE OR REPLACE FUNCTION {groups}_count() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            {count.format(rows=new)}
          ELSIF TG_OP = 'DELETE' THEN
            {count.format(rows=old)}
          ELSE
            {count.format(rows=old + " UNION ALL " + new)}
          END IF;
          RETURN NULL;
        END $$""",
        f"CREATE TRIGGER {groups}_inserted AFTER INSERT ON {facts} REFERENCING NEW TABLE AS "
        f"new_rows FOR EACH STATEMENT EXECUTE FUNCTION {groups}_count()",
        f"CREATE TRIGGER {groups}_updated AFTER UPDATE ON {facts} REFERENCING OLD TABLE AS "
        f"old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {groups}_count()",
        f"CREATE TRIGGER {groups}_deleted AFTER DELETE ON {facts} REFERENCING OLD TABLE AS "
        f"old_rows FOR EACH STATEMENT EXECUTE FUNCTION {groups}_count()",
        # Filled at once: the people as they are when ``migrate`` runs.
        f"INSERT INTO {facts} SELECT id, {event}, {columns} FROM {table} WHERE {LIVE}",
    ]


class LinkageFacts(TableOperation):
    """PostgreSQL only: the people's clustered facts beside the linkage store and their
    counts kept by triggers, filled from ``table`` as it is. ``event``: its event column;
    ``sets``: the columns of each fact, as ``CLUSTERED_FIELDS`` had them. Nothing on
    SQLite, which reads every person for a check."""

    def __init__(self, table: str, event: str, sets: list[list[str]]):
        super().__init__(table)
        self.event, self.sets = event, [list(group) for group in sets]

    def deconstruct(self):
        return (self.__class__.__name__, [self.table, self.event, self.sets], {})

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            for sql in install_statements(self.table, self.event, self.sets):
                schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            groups = groups_table(self.table)
            schema_editor.execute(f"DROP TABLE IF EXISTS {facts_table(self.table)}, {groups}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {groups}_count()")

    def describe(self):
        return f"The clustered facts of {self.table}'s people, counted, beside the linkage store"


def _kept(cursor, table: str) -> list[str] | None:
    """The facts table's columns after the id, or None where there is none."""
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [facts_table(table)])
    if not cursor.fetchone()[0]:
        return None
    cursor.execute(f"SELECT * FROM {facts_table(table)} LIMIT 0")
    return [column.name for column in cursor.description][1:]


def sync(cursor, table: str, event: str, columns: list[str], ids: list[int] | None) -> None:
    """The facts table made to agree with the people's table, for ``ids`` (None: for
    everyone): the rows of people gone or merged deleted, the others written where they
    differ (a row written unchanged would count its groups out and in again)."""
    if ids == [] or cursor.db.vendor != "postgresql" or _kept(cursor, table) != [event, *columns]:
        return  # (no one written since the last refresh: nothing to ask)
    facts = facts_table(table)
    listed = [event, *columns]
    if ids is None:
        # Everyone: those whose row differs, found in one join (an upsert of every row,
        # each then found unchanged, took 3.5 s at a million; the join about a second).
        cursor.execute(
            f"SELECT coalesce(v.id, f.id) FROM (SELECT * FROM {table} WHERE {LIVE}) v "
            f"FULL JOIN {facts} f ON f.id = v.id WHERE v.id IS NULL OR f.id IS NULL OR "
            f"({', '.join(f'v.{c}' for c in listed)}) IS DISTINCT FROM "
            f"({', '.join(f'f.{c}' for c in listed)})"
        )
        differ = [pk for (pk,) in cursor.fetchall()]
        if not differ:
            return
        # Many (the first pass after a bulk load): written all, not listed.
        ids = differ if len(differ) <= LISTED_UP_TO else None
    only = " AND {}.id = ANY(%s::bigint[])" if ids is not None else ""
    params = [ids] if ids is not None else []
    cursor.execute(
        f"DELETE FROM {facts} f WHERE NOT EXISTS (SELECT 1 FROM {table} v "
        f"WHERE v.id = f.id AND v.{LIVE}){only.format('f')}",
        params,
    )
    changed = ", ".join(f"{c} = EXCLUDED.{c}" for c in listed)
    before = ", ".join(f"{facts}.{c}" for c in listed)
    after = ", ".join(f"EXCLUDED.{c}" for c in listed)
    # In the order of the ids: two refreshes lock the rows they write in one order.
    cursor.execute(
        f"INSERT INTO {facts} (id, {', '.join(listed)}) "
        f"SELECT v.id, {', '.join(f'v.{c}' for c in listed)} FROM {table} v "
        f"WHERE v.{LIVE}{only.format('v')} ORDER BY v.id "
        f"ON CONFLICT (id) DO UPDATE SET {changed} WHERE ({before}) IS DISTINCT FROM ({after})",
        params,
    )


def groups(cursor, table: str, event: str, columns: list[str]) -> list[tuple] | None:
    """The rows of the ``GROUPING SETS`` scan (event, the columns, GROUPING, people) as
    the counts keep them; None where they are not kept for these columns."""
    if _kept(cursor, table) != [event, *columns]:
        return None
    cursor.execute(
        f"SELECT {event}, {', '.join(columns)}, grouping, people FROM {groups_table(table)} "
        "WHERE people <> 0"
    )
    return cursor.fetchall()
