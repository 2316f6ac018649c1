"""The distinct names of a searchable table, with how many people bear each (PostgreSQL):
what the people search probes instead of the people (``archive.core.search``).

People share names: at a million synthetic victims 1,000,000 rows hold some 200,000
distinct ``name_keys`` (own keys and father's), and a common name's bearers filled every
probe's LIMIT with copies of one name, each fetched and scored. The search probes this
table (``<table>_names``: one row per distinct ``name_keys``, its own copies of the name
indexes), scores each name once, and then reads the people of the best few names through
a hash index on the people's ``name_keys``: the probes' cost follows the number of
distinct names, which grows far more slowly than the archive.

Triggers on the people's table keep it: every way people are written goes through them (a
save, an import's COPY and ``UPDATE ... FROM``, ``QuerySet.update``, merges, deletions,
raw SQL; ``TRUNCATE``, as a test's flush does, empties it). As for the tallies
(``victims.tally_core``), a statement adds what it changed to the rows of the names it
touched that no other open transaction holds (``FOR UPDATE SKIP LOCKED``) and makes a row
of its own for the others: writers never wait for each other here, and a name has about
one row (plus one per concurrent writer, folded into one by the next write of the name).
A reader sums a name's rows. A count changes in place (no indexed column changes, the
table keeps room on its pages: HOT updates, no index entry written); a name enters the
name indexes once, when its first bearer is written, and leaves them with its last.

The counts serve the search's stopping rules and tell how many names to read the people
of; they count every bearer, published or not (the search's querysets filter the people
they read).

SQLite keeps searching the people through its FTS5 table: no names table there.
"""

# The SQL here is built from table names given by migrations and this module's constants,
# never from a value read from anyone.
# ruff: noqa: S608

from __future__ import annotations

from archive.core.migration_ops import (
    MERGE_PENDING_FUNCTION,
    NAME_EDITS_FUNCTION,
    NAME_INDEXES,
    NAME_INITIALS_FUNCTION,
    PENDING_LIST_KB,
    NameEditsIndex,
    NameIndexesMergedEachStatement,
    NameInitialsIndex,
    NameSearchIndex,
    TableOperation,
)

# The names table's GIN indexes as ``install_statements`` makes them, each by its suffix
# with its expression; and as they are once migrated (``NameIndexesInOne``: one index of
# these columns).
NAME_INDEX_COLUMNS = {
    "edits": "archive_name_edits(name_keys)",
    "trgm": "name_keys gin_trgm_ops",
    "initials": "archive_name_initials(name_keys)",
}
NAMES_GIN_SUFFIXES = tuple(NAME_INDEX_COLUMNS)
NAMES_GIN_INDEXES = ("search",)
# A GIN index's pending list, merged when each statement ends (``NameIndexesOnNamesOnly``).
PENDING_LISTS = f"WITH (fastupdate = on, gin_pending_list_limit = {PENDING_LIST_KB})"

SUFFIX = "_names"
PUBLISHED = "published"  # PublicationStatus.PUBLISHED's value (migrations import this module)


def names_table(table: str) -> str:
    """The table of distinct names kept for the people's ``table``."""
    return f"{table}{SUFFIX}"


def _changes(rows: str) -> str:
    """SQL: each name of ``rows`` (``name_keys``, ``people``: +1 or -1, ``published``: the
    same for a published row, else 0) with the change in its bearers; names whose changes
    cancel out (a save that kept the name and the status) left out."""
    return (
        "SELECT name_keys, SUM(people)::integer AS people, "
        f"SUM(published)::integer AS published, min(id) AS first FROM ({rows}) r "
        "WHERE name_keys <> '' GROUP BY name_keys HAVING SUM(people) <> 0 OR SUM(published) <> 0"
    )


def _fold(names: str, changes: str, *, replanned: bool = True) -> str:
    """PL/pgSQL: adds ``changes`` to ``names``. Of each name's rows that no other open
    transaction holds, the first takes the change (and the others' counts, which leave);
    a name with no such row gets a new one. Rows left at zero bearers go.

    ``replanned``: the statement is planned each time it runs (``EXECUTE``). PL/pgSQL
    otherwise keeps the plan it made at a session's first write, for the table of names
    as it was then: an import into an archive with no names yet planned their lookups as
    scans of an empty table and kept scanning every name for each name of every later
    batch: 100,000 people were 6-7 s a batch by the twentieth batch, and growing (over 5
    minutes, not finished); planned each time, 36 s in all. Planning costs a one-row
    save 0.3 ms of the server's CPU (2.0 -> 2.4 ms)."""
    statement = f"""
        WITH changes AS ({changes}),
        held AS (
            SELECT id, name_keys FROM {names}
            WHERE name_keys IN (SELECT name_keys FROM changes)
            FOR UPDATE SKIP LOCKED),
        kept AS (SELECT name_keys, min(id) AS id FROM held GROUP BY name_keys),
        folded AS (
            DELETE FROM {names} WHERE id IN (SELECT id FROM held EXCEPT SELECT id FROM kept)
            RETURNING name_keys, people, published),
        delta AS (
            SELECT name_keys, SUM(people)::integer AS people,
                SUM(published)::integer AS published
            FROM (SELECT name_keys, people, published FROM changes
                  UNION ALL SELECT * FROM folded) both_
            GROUP BY name_keys),
        updated AS (
            UPDATE {names} n SET people = n.people + delta.people,
                published = n.published + delta.published
            FROM kept JOIN delta USING (name_keys)
            WHERE n.id = kept.id
            RETURNING n.id, n.people, n.published),
        added AS (
            INSERT INTO {names} (name_keys, people, published)
            SELECT name_keys, people, published FROM changes
            WHERE name_keys NOT IN (SELECT name_keys FROM kept) ORDER BY first)
        SELECT coalesce(array_agg(id), '{{}}') FROM updated
        WHERE people = 0 AND published = 0"""
    run = (
        f"EXECUTE $fold${statement}$fold$ INTO emptied;"
        if replanned
        else f"{statement.replace(' FROM updated', ' INTO emptied FROM updated')};"
    )
    return f"""
        {run}
        IF cardinality(emptied) > 0 THEN
            DELETE FROM {names} WHERE id = ANY(emptied);
        END IF;"""


def _events(table: str) -> dict[str, tuple[str, str]]:
    published = f"(publication_status = '{PUBLISHED}')::integer"
    new = f"SELECT name_keys, 1 AS people, {published} AS published, id FROM new_rows"
    old = f"SELECT name_keys, -1 AS people, -{published} AS published, id FROM old_rows"
    return {
        "insert": (new, "NEW TABLE AS new_rows"),
        "update": (f"{old} UNION ALL {new}", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        "delete": (old, "OLD TABLE AS old_rows"),
    }


def fold_functions(table: str, *, replanned: bool = True) -> list[str]:
    """The trigger functions that keep ``table``'s names, one per event (``_events``)."""
    names = names_table(table)
    return [
        f"CREATE OR REPLACE FUNCTION {names}_{event}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"DECLARE emptied bigint[]; BEGIN {_fold(names, _changes(rows), replanned=replanned)} "
        "RETURN NULL; END $$"
        for event, (rows, _) in _events(table).items()
    ]


def install_statements(table: str) -> list[str]:
    """The table of names, its indexes, and the triggers on ``table`` that keep it."""
    names = names_table(table)
    statements = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        NAME_EDITS_FUNCTION,
        NAME_INITIALS_FUNCTION,
        # Room on every page for a count's new version beside the old (a HOT update).
        f"CREATE TABLE IF NOT EXISTS {names} (id bigserial PRIMARY KEY, "
        "name_keys text NOT NULL, people integer NOT NULL, published integer NOT NULL) "
        "WITH (fillfactor = 50)",
        f"CREATE INDEX IF NOT EXISTS {names}_keys ON {names} USING hash (name_keys)",
        # Written once a name (no pending list for the searches to read through).
        *(
            f"CREATE INDEX IF NOT EXISTS {names}_{suffix} ON {names} "
            f"USING gin ({column}) WITH (fastupdate = off)"
            for suffix, column in NAME_INDEX_COLUMNS.items()
        ),
        # The people of a name, for the search's last step (equality only: a hash index
        # is a quarter of a B-tree's size here, and takes keys of any length).
        f"CREATE INDEX IF NOT EXISTS {table}_name_hash ON {table} USING hash (name_keys)",
    ]
    for (event, (_, referencing)), function_sql in zip(
        _events(table).items(), fold_functions(table), strict=True
    ):
        function = f"{names}_{event}"
        statements += [
            function_sql,
            f"DROP TRIGGER IF EXISTS {function} ON {table}",
            f"CREATE TRIGGER {function} AFTER {event.upper()} ON {table} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    # TRUNCATE fires no row or statement trigger of the events above (a test's flush).
    statements += [
        f"CREATE OR REPLACE FUNCTION {names}_truncate() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN DELETE FROM {names}; RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS {names}_truncate ON {table}",
        f"CREATE TRIGGER {names}_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {names}_truncate()",
    ]
    return statements


def uninstall_statements(table: str) -> list[str]:
    names = names_table(table)
    out = []
    for event in (*_events(table), "truncate"):
        out += [
            f"DROP TRIGGER IF EXISTS {names}_{event} ON {table}",
            f"DROP FUNCTION IF EXISTS {names}_{event}()",
        ]
    return [*out, f"DROP INDEX IF EXISTS {table}_name_hash", f"DROP TABLE IF EXISTS {names}"]


def recount_sql(table: str) -> str:
    """One statement: every name counted anew from the people (the migration's first
    fill, and a repair). Rows another transaction adds meanwhile stay, uncounted here."""
    names = names_table(table)
    return (
        f"WITH gone AS (DELETE FROM {names} RETURNING 1) "
        f"INSERT INTO {names} (name_keys, people, published) "
        f"SELECT name_keys, count(*), count(*) FILTER (WHERE publication_status = "
        f"'{PUBLISHED}') FROM {table} WHERE name_keys <> '' GROUP BY name_keys "
        # Names numbered in the order of their first bearers, as the triggers number
        # them: the search orders names of equal score so (``Progress.ranked_names``).
        "ORDER BY min(id)"
    )


def recount(connection, table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(recount_sql(table))


def kept_differences(connection, table: str) -> dict[str, tuple[tuple, tuple]]:
    """Names whose kept counts are not what a count of the people gives: name_keys ->
    ((people, published) kept, (people, published) counted). Empty when the table is
    exact (a pass over every person: for tests and checks, never for a page)."""
    names = names_table(table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(k.name_keys, c.name_keys), k.people, k.published, c.people, "
            f"c.published FROM "
            f"(SELECT name_keys, SUM(people) AS people, SUM(published) AS published "
            f" FROM {names} GROUP BY name_keys HAVING SUM(people) <> 0 OR SUM(published) <> 0) k "
            f"FULL JOIN (SELECT name_keys, count(*) AS people, count(*) FILTER (WHERE "
            f" publication_status = '{PUBLISHED}') AS published FROM {table} "
            f" WHERE name_keys <> '' GROUP BY name_keys) c ON k.name_keys = c.name_keys "
            f"WHERE k.people IS DISTINCT FROM c.people "
            f"OR k.published IS DISTINCT FROM c.published"
        )
        return {
            name: ((people, published), (counted, counted_published))
            for name, people, published, counted, counted_published in cursor.fetchall()
        }


class SearchNamesTable(TableOperation):
    """PostgreSQL only: the table of distinct names the people search probes (see the
    module), its triggers, and its first fill from the rows already there. Nothing on
    SQLite."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in install_statements(self.table):
            schema_editor.execute(sql)
        schema_editor.execute(recount_sql(self.table))
        schema_editor.execute(f"ANALYZE {names_table(self.table)}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in uninstall_statements(self.table):
            schema_editor.execute(sql)

    def describe(self):
        return f"Distinct names of {self.table} for the people search"


class NamesFoldedWithFreshPlans(TableOperation):
    """PostgreSQL only: the triggers that keep the names plan their statement each time
    (``_fold``'s ``replanned``), not once a session for the table as it was then."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            for sql in fold_functions(self.table, replanned=True):
                schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            for sql in fold_functions(self.table, replanned=False):
                schema_editor.execute(sql)

    def describe(self):
        return f"Names of {self.table} folded with a plan made for each statement"


class NameIndexesOnNamesOnly(TableOperation):
    """PostgreSQL only: once the search probes the names (``SearchNamesTable``), the name
    indexes are the names table's alone.

    - The people's own three GIN name indexes go: no search reads them any more, and they
      were most of the server's work for each new person (an import's INSERT of 10,000
      victims: 8.2-9.6 s with them, 3.3 s without).
    - The names table's three take a statement's new names through their pending list,
      merged when the statement ends (``archive_merge_pending_lists``, as
      ``migration_ops.NameIndexesMergedEachStatement`` did for the people's): each new
      name entered them one tree descent at a time, which an import of new people pays
      for every row. No list outlives the statement that wrote it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        names = names_table(self.table)
        schema_editor.execute(MERGE_PENDING_FUNCTION)
        for suffix in NAMES_GIN_SUFFIXES:
            schema_editor.execute(
                f"ALTER INDEX {names}_{suffix} SET (fastupdate = on, "
                f"gin_pending_list_limit = {PENDING_LIST_KB})"
            )
        schema_editor.execute(
            f"CREATE TRIGGER {names}_lists_merged AFTER INSERT OR UPDATE ON {names} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION archive_merge_pending_lists()"
        )
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {self.table}_name_lists_merged ON {self.table}"
        )
        for suffix in NAME_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {self.table}_{suffix}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        names = names_table(self.table)
        for operation in (
            NameSearchIndex(self.table),
            NameEditsIndex(self.table),
            NameInitialsIndex(self.table),
            NameIndexesMergedEachStatement(self.table),
        ):
            operation.database_forwards(app_label, schema_editor, from_state, to_state)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {names}_lists_merged ON {names}")
        for suffix in NAMES_GIN_SUFFIXES:
            index = f"{names}_{suffix}"
            schema_editor.execute(
                f"ALTER INDEX {index} SET (fastupdate = off); "
                f"ALTER INDEX {index} RESET (gin_pending_list_limit); "
                f"SELECT gin_clean_pending_list('{index}'::regclass)"
            )

    def describe(self):
        return f"Name indexes of {self.table} kept on its names table only"


class NameIndexesInOne(TableOperation):
    """PostgreSQL only: the names table's three GIN indexes (keys and their one-letter
    deletions, trigrams, "<initial>.<key>" pairs) become one GIN index of three columns,
    ``<names>_search``.

    A probe asks for two of them at once: a guess at a spelling beside names spelt right
    (``'ade' <% name_keys`` and the names holding "tlb", ``search.probes``), a name with an
    initial beside a family name ("M. Hosseini"). Two indexes were two scans ANDed, each
    read whole: every entry of the guess's trigrams, 410,265 for "ade" at a million
    people (46 ms), to keep those of 1,205 names; 18,086 Hosseinis to keep the 5,375
    names fitting the initial (4.8 ms). In one index GIN walks the shortest list and
    looks the others up only at its entries: a guess 2 ms where it took 9-12, every one
    within its budget; "M. Hosseini" 2.2 ms. A probe of one column reads what its own
    index gave (GIN keeps each column's entries apart), and the one index holds the
    three's entries: 177 MB against 89 + 45 + 66 at a million people."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        names = names_table(self.table)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {names}_search ON {names} USING gin "
            f"({', '.join(NAME_INDEX_COLUMNS.values())}) {PENDING_LISTS}"
        )
        for suffix in NAME_INDEX_COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {names}_{suffix}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        names = names_table(self.table)
        for suffix, column in NAME_INDEX_COLUMNS.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {names}_{suffix} ON {names} "
                f"USING gin ({column}) {PENDING_LISTS}"
            )
        schema_editor.execute(f"DROP INDEX IF EXISTS {names}_search")

    def describe(self):
        return f"The name indexes of {self.table}'s names in one"
