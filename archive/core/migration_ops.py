"""A migration operation for the people-search index, which each database builds its
own way: PostgreSQL a GIN trigram index on the keys, SQLite an FTS5 trigram table kept
in step by triggers (Django has no API for either)."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat


def sqlite_fts_statements(table: str, column: str = "name_keys") -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        f"{column}, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
    ]


def sqlite_fts_missing_triggers(cursor, table: str) -> bool:
    cursor.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name=%s", [table]
    )
    return cursor.fetchone()[0] < 3


def ensure_sqlite_fts(connection, table: str, column: str = "name_keys") -> None:
    """(Re)create the FTS table and its triggers; rebuild the index when the triggers had
    gone (SQLite drops them when Django remakes a table to alter it)."""
    with connection.cursor() as cursor:
        rebuild = sqlite_fts_missing_triggers(cursor, table)
        for sql in sqlite_fts_statements(table, column):
            cursor.execute(sql)
        if rebuild:
            cursor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


class NameSearchIndex(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = False

    def __init__(self, table: str, column: str = "name_keys"):
        self.table = table
        self.column = column

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        connection = schema_editor.connection
        if connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_keys_trgm ON {self.table} "
                f"USING gin ({self.column} gin_trgm_ops)"
            )
        elif connection.vendor == "sqlite":
            for sql in sqlite_fts_statements(self.table, self.column):
                schema_editor.execute(sql)
            schema_editor.execute(
                f"INSERT INTO {self.table}_fts({self.table}_fts) VALUES ('rebuild')"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        connection = schema_editor.connection
        if connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {self.table}_keys_trgm")
        elif connection.vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.table}_fts_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {self.table}_fts")

    def describe(self):
        return f"Name search index on {self.table}.{self.column}"

    def deconstruct(self):
        return (self.__class__.__name__, [self.table], {"column": self.column})


class TableOperation(migrations.operations.base.Operation):
    """An operation on one table's indexes that changes nothing in Django's model state."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, table: str):
        self.table = table

    def state_forwards(self, app_label, state):
        pass

    def deconstruct(self):
        return (self.__class__.__name__, [self.table], {})


class GinExpressionIndex(TableOperation):
    """PostgreSQL only: a GIN index named ``<table>_<suffix>`` on ``expression``, after
    the statements of ``setup`` (the functions it calls). Nothing on SQLite, whose FTS5
    table serves every probe."""

    suffix = ""
    expression = ""
    options = ""
    setup: tuple[str, ...] = ()
    label = ""
    # The index this one takes the place of (its operation's class): dropped once this
    # one is built, built again by its own operation when this one is unapplied.
    replaces: type["GinExpressionIndex"] | None = None

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            for sql in self.setup:
                schema_editor.execute(sql)
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_{self.suffix} ON {self.table} "
                f"USING gin ({self.expression}){self.options}"
            )
            if self.replaces is not None:
                schema_editor.execute(f"DROP INDEX IF EXISTS {self.table}_{self.replaces.suffix}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            if self.replaces is not None:
                self.replaces(self.table).database_forwards(
                    app_label, schema_editor, from_state, to_state
                )
            schema_editor.execute(f"DROP INDEX IF EXISTS {self.table}_{self.suffix}")

    def describe(self):
        return f"{self.label} on {self.table}"


class NameTokenIndex(GinExpressionIndex):
    """A GIN index on a person's own key tokens (``name_keys`` up to the father's keys,
    split on spaces), which ``archive.core.search`` asks for whole tokens. A common name's
    trigrams have posting lists of hundreds of thousands of rows at a million people;
    its token has one list, of that name's bearers."""

    suffix = "keys_tokens"
    expression = "string_to_array(split_part(name_keys, ' | ', 1), ' ')"
    label = "Name token index"


def add_father_keys(model):
    """A RunPython body: rows keyed before the father's keys were stored after `` | ``
    get them, one UPDATE per distinct father's name (few, and the keys of a name are
    the same wherever it appears)."""
    from archive.core import names

    def forwards(apps, schema_editor):
        Model = apps.get_model(*model.split("."))
        stale = Model.objects.exclude(father_name="").exclude(name_keys__contains="|")
        fathers = stale.values_list("father_name", flat=True).distinct().order_by()
        for father in list(fathers):
            keys = names.name_keys(father)
            if keys:
                rows = stale.filter(father_name=father)
                rows.update(name_keys=Concat("name_keys", Value(f" | {keys}")))

    return forwards


class NameIndexesWithoutPendingList(TableOperation):
    """PostgreSQL only: the name indexes take new rows straight into their trees
    (``fastupdate = off``) instead of a pending list that every search has to read
    through. After 5,000 rows imported into a million, a probe of a misspelling's 263
    one-letter variants scanned the list once per variant: 108-130 ms instead of 7;
    autovacuum, which empties the list, comes only after 20 % of the table is new.
    Measured on the same import: 1.20 s without the list, 1.23 s with it. Later
    migrations turn the list back on, merged at the end of every statement
    (``NameIndexesMergedEachStatement``)."""

    INDEXES = ("keys_tokens", "keys_trgm")

    def _set(self, schema_editor, option: str) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for suffix in self.INDEXES:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {self.table}_{suffix} {option}")

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._set(schema_editor, "SET (fastupdate = off)")
        if schema_editor.connection.vendor == "postgresql":
            # Turning the option off keeps what the list already holds: merge it now.
            for suffix in self.INDEXES:
                schema_editor.execute(
                    f"SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
                    f"WHERE c.relname = '{self.table}_{suffix}' AND c.relkind = 'i'"
                )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._set(schema_editor, "RESET (fastupdate)")

    def describe(self):
        return f"Name indexes on {self.table} without a pending list"


# Every pair of a person's own key tokens as "<first letter of one>.<other>" (m.hsine for
# Mohammad Hosseini): what "M. Hosseini" asks for, as one entry of a GIN index.
NAME_INITIALS_FUNCTION = """
CREATE OR REPLACE FUNCTION archive_name_initials(keys text) RETURNS text[]
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$
  SELECT coalesce(array_agg(DISTINCT left(a, 1) || '.' || b), '{}')
  FROM unnest(string_to_array(split_part(keys, ' | ', 1), ' ')) AS a,
       unnest(string_to_array(split_part(keys, ' | ', 1), ' ')) AS b
  WHERE a <> '' AND a <> b AND length(b) >= 3
$$
"""


class NameInitialsIndex(GinExpressionIndex):
    """A GIN index on ``archive_name_initials(name_keys)``, which ``archive.core.search`` asks
    for a name given with an initial. Without it "M. Hosseini" read the 41,000
    Hosseinis at a million people and tested each for a key starting with M: 5 ms
    median, 20 ms at the 95th percentile, 70 ms at worst ("Z. Hosseini" finds few);
    through it 1.2, 1.9 and 8 ms. No pending list (see ``NameIndexesWithoutPendingList``)."""

    suffix = "keys_initials"
    expression = "archive_name_initials(name_keys)"
    options = " WITH (fastupdate = off)"
    setup = (NAME_INITIALS_FUNCTION,)
    label = "Name initials index"


# A person's own keys, and after "~" each one-letter deletion of every own key of 4 to 8
# letters (``archive.core.search.stored_edits`` says the same in Python; a test holds
# them equal). A misspelt query key is then looked up by its own few deletions
# (``archive.core.search.edit_terms``) instead of its ~260 one-letter variants.
NAME_EDITS_FUNCTION = """
CREATE OR REPLACE FUNCTION archive_name_edits(keys text) RETURNS text[]
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$
  SELECT array_cat(
    string_to_array(split_part(keys, ' | ', 1), ' '),
    ARRAY(
      SELECT '~' || left(k, i - 1) || substr(k, i + 1)
      FROM unnest(string_to_array(split_part(keys, ' | ', 1), ' ')) AS k,
           generate_series(1, length(k)) AS i
      WHERE length(k) BETWEEN 4 AND 8
    )
  )
$$
"""


class NameEditsIndex(GinExpressionIndex):
    """A GIN index on ``archive_name_edits(name_keys)``: the person's own key tokens
    (what ``NameTokenIndex`` held, which it replaces: one index, not two, for a new row
    to enter) and the one-letter deletions of each key of 4 to 8 letters, marked "~".
    ``archive.core.search`` asks it for whole tokens and for the keys one letter from a
    query key. No pending list (see ``NameIndexesWithoutPendingList``)."""

    suffix = "keys_edits"
    expression = "archive_name_edits(name_keys)"
    options = " WITH (fastupdate = off)"
    setup = (NAME_EDITS_FUNCTION,)
    label = "Name edits index (replacing the name token index)"
    replaces = NameTokenIndex

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, from_state, to_state)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER INDEX {self.table}_{NameTokenIndex.suffix} SET (fastupdate = off)"
            )


# A statement's new index entries, merged into the name indexes at the statement's end:
# the indexes take each write through their pending list (``fastupdate = on``), where
# the entries of a whole batch are sorted and entered key by key, instead of one tree
# descent per entry (~50 entries a person across the three indexes), and the list is
# emptied before the statement ends, so that no search has a list to read through.
# Every GIN index of the trigger's table is merged (found in the catalogue, so that an
# index dropped, renamed or rebuilt by hand can neither break every write nor be missed).
# SECURITY DEFINER: ``gin_clean_pending_list`` asks for the index's owner, and the
# site's role may only have the right to write rows.
MERGE_PENDING_FUNCTION = """
CREATE OR REPLACE FUNCTION archive_merge_pending_lists() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  index_oid oid;
BEGIN
  FOR index_oid IN
    SELECT i.indexrelid FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am a ON a.oid = c.relam
    WHERE i.indrelid = TG_RELID AND a.amname = 'gin' AND i.indisvalid
  LOOP
    PERFORM gin_clean_pending_list(index_oid::regclass);
  END LOOP;
  RETURN NULL;
END
$$
"""

NAME_INDEXES = ("keys_edits", "keys_initials", "keys_trgm")
# The most a pending list holds in the middle of a statement (a search running meanwhile
# reads through it): in kB. Bulk entry is about as cheap with 256 kB as with 4 MB.
PENDING_LIST_KB = 256


class NameIndexesMergedEachStatement(TableOperation):
    """PostgreSQL only: the name indexes take a statement's rows through their pending
    list, merged when the statement ends (a trigger, ``MERGE_PENDING_FUNCTION``).

    Without a pending list (``NameIndexesWithoutPendingList``) each new row entered its
    ~50 index entries one tree descent at a time: 0.45-0.6 ms of the server's CPU a row
    for an import, most of what it spent on a victim. Through the list, merged in bulk,
    0.2-0.35 ms (docs/benchmarks.md). A list left standing is what made searches slow
    (every search reads through it until autovacuum merges it); here none outlives the
    statement that wrote it, and in the middle of one it holds at most
    ``PENDING_LIST_KB``."""

    def _indexes(self):
        return [f"{self.table}_{suffix}" for suffix in NAME_INDEXES]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(MERGE_PENDING_FUNCTION)
        for index in self._indexes():
            schema_editor.execute(
                f"ALTER INDEX {index} SET (fastupdate = on, "
                f"gin_pending_list_limit = {PENDING_LIST_KB})"
            )
        schema_editor.execute(
            f"CREATE TRIGGER {self.table}_name_lists_merged AFTER INSERT OR UPDATE "
            f"ON {self.table} FOR EACH STATEMENT EXECUTE FUNCTION archive_merge_pending_lists()"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {self.table}_name_lists_merged ON {self.table}"
        )
        for index in self._indexes():
            schema_editor.execute(
                f"ALTER INDEX {index} SET (fastupdate = off); "
                f"ALTER INDEX {index} RESET (gin_pending_list_limit); "
                f"SELECT gin_clean_pending_list('{index}'::regclass)"
            )

    def describe(self):
        return f"Name indexes on {self.table} merged at the end of each statement"
