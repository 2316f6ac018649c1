"""PostgreSQL: the linkage keys of a table of people, kept beside it, so that an import's
duplicate check reads the people its rows may be instead of every person.

``archive.core.linkage.Matcher`` reads every person of the archive once per import,
works out their blocks and joined names, and counts how common each name, prison and day
is. At a million people that was 130 s and 4 GB for a file of 100 rows, most of it
working out the same keys again (docs/benchmarks.md, eleventh session). Here:

- ``<table>_linkage`` holds, per person who may be matched (not merged into another
  record), the blocks it is filed under, its joined names, its father's name as counted
  and the blocks of it, and the three facts that tell namesakes apart before they are
  read (gender, event, year of birth), with GIN indexes on the blocks;
  ``<table>_linkage_counts`` how many people each block, name and father's name holds,
  kept by triggers: which people share a block with a batch's rows, and how many bear a
  name, are index reads.
- Each row remembers what it was made from (``fingerprint``: the names, those facts and
  the version of the key-making code). ``refresh`` makes the rows of people added,
  renamed or made matchable since, and drops those of people deleted or merged, whatever
  wrote them (a save, an import's COPY, a merge, raw SQL): keys are pure functions of the
  names, so a row whose fingerprint agrees is right. An import refreshes before its
  transaction opens; the keys of what it writes are made at the next import's check.
- ``StoredMatcher`` answers as ``Matcher`` over every person would, exactly (tests compare
  the two): a batch's candidates are read per (row, block) through the index, a block
  over its cap where it meets the row's father's name (through its pairs with the
  facts, ``LinkageFactPairsIndex``), the pairs ``linkage.vetoed`` would separate by
  gender, event or year of birth left out in SQL (``VETOED``); the
  names' frequencies come from the counts, the clustered facts' (prisons, days, years)
  from one ``GROUPING SETS`` scan per import. Once the candidates a file's batches have
  found, projected over the whole file, cost as much as reading everyone, everyone is
  read at once instead (``READ_EVERYONE``), their keys as stored.

On SQLite the store is kept too (``sqlite_statements``: the same rows, the arrays as JSON,
no indexes and no counts): an import reads every person with their keys as stored
(``StoredMatcher(..., everyone=True)``) instead of making every person's keys again, which
took 15 s of a 100-row check at 50,000 people. An embedded archive is small enough to be
read whole; making its keys was what grew.
"""

# The SQL here is built from table names given by migrations and this module's constants,
# never from a value read from anyone.
# ruff: noqa: S608

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import dataclasses
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from archive.core import linkage_facts, linkage_log
from archive.core.collector import collector_paused
from archive.core.linkage import (
    EXPECTED_DUPLICATES,
    PROPOSE_PROBABILITY,
    Candidate,
    Frequencies,
    Match,
    Matcher,
    block_cap,
    block_keys,
    split_aliases,
)
from archive.core.linkage_facts import LIVE
from archive.core.linkage_frequencies import CLUSTERED_FIELDS
from archive.core.migration_ops import GinExpressionIndex, TableOperation
from archive.core.pg_settings import settings_for

SUFFIX = "_linkage"
CHUNK = 2000  # people whose keys are made and written at a time (``refresh``)
LOAD_CHUNK = 10_000  # people read with their facts in one query (``StoredMatcher._read``)
# When everyone is read at once (``StoredMatcher._read_everyone``) rather than each
# batch's candidates through the indexes: once the candidates the batches have found
# (a person found again by a later batch counted again) pass this share of the archive.
# A batch's candidates cost it about three times what one person costs when everyone is
# read (0.32 ms against 0.1 at a million, where a batch of 2,000 rows found 139,000), and
# everyone read costs the same whatever follows: so the batches keep reading through the
# indexes until they have spent, or by the share of the file read will have spent, what
# reading everyone would cost, then read it (``StoredMatcher.matches``).
# The answers are the same either way.
READ_EVERYONE = 0.3


def store_table(table: str) -> str:
    return f"{table}{SUFFIX}"


def key_code() -> list[Path]:
    """The modules whose code makes the stored keys: ``linkage_person`` (a person's
    names, blocks and father's name as read), ``linkage_keys`` and the names' modules.
    Not the comparison's (``linkage``, and the names' scoring, ``names.scoring``), which
    only read them: a change to how a name is scored made every person's keys again
    (2,555 s at a million people of the realistic make)."""
    here = Path(__file__).parent
    names_modules = sorted(
        path for path in (here / "names").glob("*.py") if path.name != "scoring.py"
    )
    return [here / "linkage_person.py", here / "linkage_keys.py", *names_modules]


@lru_cache(maxsize=1)
def keys_version() -> str:
    """A digest of the code that makes the keys (``key_code``): a deploy that changes how
    names are keyed makes every stored row stale, and the next check makes them again,
    without anyone having to remember to; one that changes how pairs are compared makes
    none (a million people's keys took 312 s)."""
    digest = hashlib.sha256()
    for path in key_code():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def counts_table(table: str) -> str:
    return f"{store_table(table)}_counts"


def install_statements(table: str) -> list[str]:
    """The store, its indexes, and ``<store>_counts``: how many people are filed under
    each block, bear each joined name and each father's name (``f:`` and the name), kept
    by triggers on the store, so that the sizes an import asks about are index reads."""
    store, counts = store_table(table), counts_table(table)
    keys = (
        "unnest(r.blocks || r.joined || CASE WHEN r.father IS NULL THEN '{}'::text[] "
        "ELSE ARRAY['f:' || r.father] END)"
    )
    return [
        f"CREATE TABLE IF NOT EXISTS {store} (id bigint PRIMARY KEY, fingerprint text NOT NULL, "
        "blocks text[] NOT NULL, joined text[] NOT NULL, father text, "
        "father_blocks text[] NOT NULL, gender text NOT NULL, event bigint, birth_year integer)",
        f"CREATE INDEX IF NOT EXISTS {store}_blocks ON {store} USING gin (blocks)",
        f"CREATE INDEX IF NOT EXISTS {store}_father_blocks ON {store} USING gin (father_blocks)",
        f"CREATE TABLE IF NOT EXISTS {counts} (key text PRIMARY KEY, people integer NOT NULL)",
        # A statement's rows' keys counted in and out, netted (a row made again with the
        # same keys changes no count), and added in key order: two imports refreshing at
        # once take the counts' locks in one order.
        f"""CREATE OR REPLACE FUNCTION {store}_count() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO {counts} (key, people)
            SELECT k, count(*) FROM new_rows r, {keys} k GROUP BY k ORDER BY k
            ON CONFLICT (key) DO UPDATE SET people = {counts}.people + EXCLUDED.people;
          ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO {counts} (key, people)
            SELECT k, -count(*) FROM old_rows r, {keys} k GROUP BY k ORDER BY k
            ON CONFLICT (key) DO UPDATE SET people = {counts}.people + EXCLUDED.people;
          ELSE
            INSERT INTO {counts} (key, people)
            SELECT k, sum(n) FROM (
              SELECT k, -1 AS n FROM old_rows r, {keys} k
              UNION ALL SELECT k, 1 FROM new_rows r, {keys} k
            ) changed GROUP BY k HAVING sum(n) <> 0 ORDER BY k
            ON CONFLICT (key) DO UPDATE SET people = {counts}.people + EXCLUDED.people;
          END IF;
          RETURN NULL;
        END $$""",
        f"CREATE TRIGGER {store}_inserted AFTER INSERT ON {store} REFERENCING NEW TABLE AS "
        f"new_rows FOR EACH STATEMENT EXECUTE FUNCTION {store}_count()",
        f"CREATE TRIGGER {store}_updated AFTER UPDATE ON {store} REFERENCING OLD TABLE AS "
        f"old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {store}_count()",
        f"CREATE TRIGGER {store}_deleted AFTER DELETE ON {store} REFERENCING OLD TABLE AS "
        f"old_rows FOR EACH STATEMENT EXECUTE FUNCTION {store}_count()",
    ]


def sqlite_statements(table: str) -> list[str]:
    """SQLite: the store alone, its arrays as JSON text (read whole, never probed)."""
    return [
        f"CREATE TABLE IF NOT EXISTS {store_table(table)} (id integer PRIMARY KEY, "
        "fingerprint text NOT NULL, blocks text NOT NULL, joined text NOT NULL, father text, "
        "father_blocks text NOT NULL, gender text NOT NULL, event integer, birth_year integer)"
    ]


class LinkageStore(TableOperation):
    """PostgreSQL only: ``<table>_linkage``, empty (``refresh`` fills it when first
    asked). Nothing on SQLite (``SqliteLinkageStore``)."""

    vendor = "postgresql"

    def statements(self) -> list[str]:
        return install_statements(self.table)

    def drops(self) -> list[str]:
        store = store_table(self.table)
        return [
            f"DROP TABLE IF EXISTS {store}, {counts_table(self.table)}",
            f"DROP FUNCTION IF EXISTS {store}_count()",
        ]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            for sql in self.statements():
                schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            for sql in self.drops():
                schema_editor.execute(sql)

    def describe(self):
        return f"The linkage keys kept beside {self.table} ({self.vendor})"


class SqliteLinkageStore(LinkageStore):
    """SQLite only: ``<table>_linkage``, empty (``refresh`` fills it when first asked).
    Nothing on PostgreSQL, which has had its own since ``LinkageStore``."""

    vendor = "sqlite"

    def statements(self) -> list[str]:
        return sqlite_statements(self.table)

    def drops(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {store_table(self.table)}"]


# Each (block, block of the father's name) a stored person holds, as a 32-bit number
# (the first 32 bits of the pair's SHA-256, of its UTF-8 bytes: the same on every server
# and version, which PostgreSQL's own hash functions do not promise; md5, used first,
# is refused by a server whose OpenSSL runs in FIPS mode, and ``migrate`` with it). A
# line of a batch asks for the people under one of its blocks over their caps *and* one
# father's name: through this index that is one lookup of the line's own pairs, where
# the blocks' and the father's names' indexes gave two bitmaps of tens of thousands of
# people each (a common father's name, a common surname) to intersect, 10 ms a line at a
# million. Two pairs may share a number: the person read then is one more candidate,
# whom ``Matcher`` re-blocks in memory and never compares (no pair is missed: equal pairs
# always share their number).
PAIRS_FUNCTION = """
CREATE OR REPLACE FUNCTION archive_linkage_pairs(blocks text[], fathers text[]) RETURNS int[]
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$
  SELECT coalesce(
    array_agg(DISTINCT ('x' || left(encode(sha256(convert_to(b || chr(31) || f, 'UTF8')),
                                           'hex'), 8))::bit(32)::int),
    '{}')
  FROM unnest(blocks) AS b, unnest(fathers) AS f
$$
"""


class LinkagePairsIndex(GinExpressionIndex):
    """PostgreSQL only: a GIN index on ``archive_linkage_pairs(blocks, father_blocks)`` of
    a linkage store (``<table>_linkage``), which ``StoredMatcher.matches`` asked for the
    people of a block over its cap who share a father's name with a row, until
    ``LinkageFactPairsIndex`` (which holds the same numbers) took its place. Measured at a
    million (``docs/benchmarks.md``, issue 26, sixteenth session): those reads 4.5 times
    faster; the index is 412 MB beside a store of 524 MB."""

    suffix = "pairs"
    expression = "archive_linkage_pairs(blocks, father_blocks)"
    setup = (PAIRS_FUNCTION,)
    label = "Index of (block, father's name) pairs"


class LinkagePairsRehashed(LinkagePairsIndex):
    """PostgreSQL only: ``archive_linkage_pairs`` made again as the code has it now
    (SHA-256 where it was md5) and the index of the pairs rebuilt with it, in the
    migration's transaction: a query and the index must number the pairs alike. At a
    million people, ``migrate`` took 1 min 49 s with it (the index: 412 MB, as before).
    Backwards: nothing (the index stays right for the function it was rebuilt with)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        # The function as the code has it (and the index, were it missing), then the index
        # numbered again with it.
        super().database_forwards(app_label, schema_editor, from_state, to_state)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"REINDEX INDEX {self.table}_{self.suffix}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"{self.label} on {self.table}, numbered again by SHA-256"


# A text numbered as ``archive_linkage_pairs`` numbers a pair (the first 32 bits of its
# SHA-256), written into each function below rather than called: ``pg_restore`` builds
# the indexes with an empty ``search_path``, where a function of this archive that calls
# another by name finds nothing and the restore stops (the backup test found it).
NUMBERED = "('x' || left(encode(sha256(convert_to({}, 'UTF8')), 'hex'), 8))::bit(32)::int"

# Each (block, father's name) pair of a stored person twice: as ``archive_linkage_pairs``
# numbers it, and with the facts ``VETOED`` reads (gender, event, the five years that
# hold the year of birth), each "" when not known. A line of a batch whose row knows all
# three asks only for the pairs with facts that do not part it from the row
# (``archive_linkage_sought``): at a million, nine in ten people a line read were read
# only to be left out by those facts (909 of 1,009 a line). Years two apart are in one
# five-year span or in two next to each other, so a row asks for two spans at most.
FACT_PAIRS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION archive_linkage_fact_pairs(
  blocks text[], fathers text[], gender text, event bigint, birth_year integer
) RETURNS int[] IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT coalesce(array_agg(DISTINCT {NUMBERED.format("t")}), '{{}}')
  FROM unnest(blocks) AS b, unnest(fathers) AS f,
       LATERAL (VALUES (b || chr(31) || f),
                       (b || chr(31) || f || chr(31) || coalesce(gender, '') || chr(31)
                        || coalesce(event::text, '') || chr(31)
                        || coalesce((nullif(birth_year, 0) / 5)::text, ''))) AS v(t)
$$
"""

_WITH_FACTS = "b || chr(31) || f || chr(31) || g || chr(31) || e || chr(31) || y"

# What a line (its blocks over their caps, its father's name, its row's facts) asks
# ``archive_linkage_fact_pairs`` for: with gender, event and year of birth all known,
# the pairs with each fact the row's or not known; else the pairs alone, and ``VETOED``
# reads the facts from the rows.
SOUGHT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION archive_linkage_sought(
  blocks text[], fathers text[], gender text, event bigint, birth integer
) RETURNS int[] IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT CASE WHEN gender = '' OR event IS NULL OR coalesce(birth, 0) = 0
    THEN (SELECT coalesce(array_agg(DISTINCT {NUMBERED.format("b || chr(31) || f")}), '{{}}')
          FROM unnest(blocks) AS b, unnest(fathers) AS f)
    ELSE (SELECT coalesce(array_agg(DISTINCT {NUMBERED.format(_WITH_FACTS)}), '{{}}')
          FROM unnest(blocks) AS b, unnest(fathers) AS f, unnest(ARRAY[gender, '']) AS g,
               unnest(ARRAY[event::text, '']) AS e,
               unnest(ARRAY[((birth - 2) / 5)::text, ((birth + 2) / 5)::text, '']) AS y)
  END
$$
"""


class LinkageFactPairsIndex(GinExpressionIndex):
    """PostgreSQL only: a GIN index on ``archive_linkage_fact_pairs`` of a linkage store,
    in place of the index of the pairs alone (``LinkagePairsIndex``, dropped): it holds
    those pairs too, numbered as they were, for rows that do not know all three facts.
    At a million people it is 984 MB (the pairs' was 534) and ``migrate`` built it in
    5 min 25 s; a batch of 100 rows read its people over their caps in 100-151 ms where
    it took 244-474 (docs/benchmarks.md, twenty-fourth session)."""

    suffix = "fact_pairs"
    expression = "archive_linkage_fact_pairs(blocks, father_blocks, gender, event, birth_year)"
    setup = (FACT_PAIRS_FUNCTION, SOUGHT_FUNCTION)
    label = "Index of (block, father's name) pairs with gender, event and year of birth"
    replaces = LinkagePairsIndex


# What a stored row is made from, besides the code's version: the names its keys are made
# of, and the facts that tell two namesakes apart before they are read (``VETOED``).
NAMES = ("name_latin", "name_fa", "aliases", "father_name")
FACTS = ("gender", "event", "birth_year")


def _columns(model) -> list[str]:
    return [model._meta.get_field(name).column for name in (*NAMES, *FACTS)]


def _fingerprint(model, vendor: str) -> str:
    """SQL: what the stored row of the person ``v`` was made from, in one text; the
    code's version is the first parameter."""
    if vendor != "postgresql":  # SQLite: no concat_ws before 3.44
        values = " || char(31) || ".join(
            f"coalesce(CAST(v.{column} AS text), '')" for column in _columns(model)
        )
        return f"CAST(%s AS text) || char(31) || {values}"
    values = ", ".join(f"coalesce(v.{column}::text, '')" for column in _columns(model))
    return f"concat_ws(chr(31), %s::text, {values})"


def _fact_columns(model) -> tuple[str, list[list[str]]]:
    """The event's column, and the columns of each clustered fact (``CLUSTERED_FIELDS``)."""
    column = lambda name: model._meta.get_field(name).column  # noqa: E731
    return column("event"), [[column(f) for f in group] for group in CLUSTERED_FIELDS]


def _ids(vendor: str, count: int) -> str:
    """SQL: the placeholder(s) of a list of ids in ``id IN (...)`` / ``= ANY(...)``."""
    if vendor == "postgresql":
        return "= ANY(%s::bigint[])"
    return f"IN ({', '.join(['%s'] * count)})" if count else "IN (NULL)"


def _id_params(vendor: str, ids: list[int]) -> list:
    return [ids] if vendor == "postgresql" else list(ids)


class KeysBehind(Exception):
    """``refresh`` stopped at its deadline with people whose keys are still to be made."""

    def __init__(self, remaining: int):
        super().__init__(f"the keys of {remaining} people are still to be made")
        self.remaining = remaining


def refresh(
    connection, model, *, chunk: int = CHUNK, until: float | None = None,
    processes: int | None = None, everyone: bool = False,
) -> int:  # fmt: skip
    """Brings the store of ``model``'s people up to date; returns how many people's rows
    were made. ``until`` (a ``time.monotonic()`` deadline, for a request that must
    answer): no chunk is begun after it, and ``KeysBehind`` says how many people are left
    for the next call.

    On PostgreSQL the people written since the last refresh are in a log kept by triggers
    (``archive.core.linkage_log``): only they are looked at, in one transaction that takes
    the log, so that a refresh that fails leaves it as it was. Everyone is compared with
    their stored row instead (``everyone``, or the log not complete for this code, or
    long), outside a transaction: each statement commits on its own, and work done is
    kept if the import that asked then fails or is a dry run.

    Without a deadline, and with at least ``PARALLEL_FROM`` people to make, the keys are
    made in ``processes`` processes (one a core by default) while this one reads and
    writes the chunks: making them is pure Python (0.4 ms a person) and the store's
    rows are the same whichever process made them."""
    table = model._meta.db_table
    version = keys_version()
    options = {"chunk": chunk, "until": until, "processes": processes}
    with connection.cursor() as cursor:
        logged = not everyone and linkage_log.is_complete(cursor, table, version)
        if logged:
            with transaction.atomic(using=connection.alias):
                made, left = _refresh(connection, model, version, logged=True, **options)
                linkage_log.log_again(cursor, table, left)
        else:
            linkage_log.restart(cursor, table)
            made, left = _refresh(connection, model, version, logged=False, **options)
            if not left:
                linkage_log.complete(cursor, table, version)
    if left:
        raise KeysBehind(len(left))
    return made


def _refresh(connection, model, version: str, *, logged: bool, chunk: int,
             until: float | None, processes: int | None) -> tuple[int, list[int]]:  # fmt: skip
    """``refresh``'s work: the rows of people gone deleted and those missing or stale made,
    of the people in the log (``logged``) or of everyone. Returns how many were made, and
    the ids of those left when the deadline came."""
    table = model._meta.db_table
    store = store_table(table)
    vendor = connection.vendor
    fingerprint = _fingerprint(model, vendor)
    read = ", ".join(f"v.{column}" for column in _columns(model))
    with connection.cursor() as cursor:
        written = linkage_log.take(cursor, table) if logged else None
        # The clustered facts' counts (``linkage_facts``): plain values, made in SQL.
        event, sets = _fact_columns(model)
        linkage_facts.sync(cursor, table, event, [c for group in sets for c in group], written)
        if logged:
            # The people the log named: those gone with a row, those here whose row is
            # missing or stale.
            cursor.execute(
                f"SELECT t.id, v.id IS NULL FROM unnest(%s::bigint[]) AS t(id) "
                f"LEFT JOIN {table} v ON v.id = t.id AND v.{LIVE} "
                f"LEFT JOIN {store} s ON s.id = t.id "
                "WHERE CASE WHEN v.id IS NULL THEN s.id IS NOT NULL "
                f"ELSE s.id IS NULL OR s.fingerprint <> {fingerprint} END",
                [written, version],
            )
        else:
            # One pass over both tables: the people whose row is missing or stale, and the
            # rows whose person is gone (deleted, or merged into another record).
            cursor.execute(
                f"SELECT coalesce(v.id, s.id), v.id IS NULL FROM (SELECT v.id, {fingerprint} "
                f"AS fingerprint FROM {table} v WHERE v.{LIVE}) v FULL JOIN {store} s "
                "ON s.id = v.id "
                "WHERE v.id IS NULL OR s.id IS NULL OR s.fingerprint <> v.fingerprint",
                [version],
            )
        found = cursor.fetchall()
        gone = [pk for pk, is_gone in found if is_gone]
        stale = sorted(pk for pk, is_gone in found if not is_gone)
        for start in range(0, len(gone), chunk):
            ids = gone[start : start + chunk]
            cursor.execute(f"DELETE FROM {store} WHERE id {_ids(vendor, len(ids))}",
                           _id_params(vendor, ids))  # fmt: skip
        write = _write if vendor == "postgresql" else _write_sqlite
        workers = processes if processes is not None else (os.cpu_count() or 1)
        with _key_makers(len(stale), until, workers) as makers:
            pending: collections.deque = collections.deque()
            for start in range(0, len(stale), chunk):
                if until is not None and time.monotonic() > until:
                    return start, stale[start:]
                ids = stale[start : start + chunk]
                cursor.execute(
                    f"SELECT v.id, {fingerprint}, {read} FROM {table} v "
                    f"WHERE v.id {_ids(vendor, len(ids))}",
                    [version, *_id_params(vendor, ids)],
                )
                if makers is None:
                    write(cursor, store, _stored_rows(cursor.fetchall()))
                    continue
                # A few chunks in the makers' hands at a time: the next is read, and the
                # oldest written, while they work.
                pending.append(makers.submit(_stored_rows, cursor.fetchall()))
                if len(pending) > 2 * workers:
                    write(cursor, store, pending.popleft().result())
            while pending:
                write(cursor, store, pending.popleft().result())
    return len(stale), []


def _compare(matcher: Matcher, rows: list[Candidate], threshold: float) -> dict:
    """``matcher.matches(rows)`` with the collector paused (``collector_paused``):
    comparing makes many objects that live on (the names' caches, the blocks filed by
    facts) and almost no garbage in cycles (25 objects after 2,000 rows at a million
    people), and the collector's passes were a quarter of the check (docs/benchmarks.md,
    twenty-first session). In an import's command what it made is then frozen with
    everyone read (``freeze``): the passes after each batch walked it all again."""
    with collector_paused(freeze=True):
        return matcher.matches(rows, threshold=threshold)


# From how many people to make a refresh's keys in processes of their own: starting them
# costs about a second, and a request (``until``) never does.
PARALLEL_FROM = 20_000


@contextlib.contextmanager
def _key_makers(stale: int, until: float | None, workers: int):
    """A pool of processes that make stored rows (``_stored_rows``), or None. Started by
    "forkserver": a fresh interpreter, not a copy of this one with its connections and an
    import's writer thread."""
    if until is not None or stale < PARALLEL_FROM or workers < 2:
        yield None
        return
    context = multiprocessing.get_context("forkserver")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield pool


def _stored_rows(rows: list[tuple]) -> list[tuple]:
    """The store's rows of people read by ``refresh`` (in whichever process)."""
    return [_stored_row(*row) for row in rows]


def _stored_row(pk, fingerprint, latin, fa, aliases, father, gender, event, birth_year) -> tuple:
    person = Candidate(
        ref="",
        name_latin=latin or "",
        name_fa=fa or "",
        aliases=split_aliases(aliases),
        father_name=father or "",
    )
    return (
        pk,
        fingerprint,
        sorted(block_keys(person)),
        sorted(person.joined),
        person.father_id if person.father_key else None,
        sorted(person.father_blocks),
        gender or "",
        event,
        birth_year,
    )


def _write(cursor, store: str, rows: list[tuple]) -> None:
    """The rows upserted in one statement, through psycopg2's own cursor (Django's sends
    a statement's values one by one). It skips Django's execute wrappers, the import
    writer's guard among them (``importing.writer``): ``refresh`` runs before an import's
    writer exists, or, within an import, right after its own query through Django's cursor
    has waited for the writer, which gets no work while the main thread is here."""
    from psycopg2.extras import execute_values

    columns = "id, fingerprint, blocks, joined, father, father_blocks, gender, event, birth_year"
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns.split(", ")[1:])
    execute_values(
        cursor.cursor,
        f"INSERT INTO {store} ({columns}) VALUES %s ON CONFLICT (id) DO UPDATE SET {updates}",
        rows,
        template="(%s, %s, %s::text[], %s::text[], %s, %s::text[], %s, %s, %s)",
        page_size=len(rows),
    )


STORED = "id, fingerprint, blocks, joined, father, father_blocks, gender, event, birth_year"
ARRAYS = (2, 3, 5)  # the stored row's arrays: blocks, joined, father's blocks


def _write_sqlite(cursor, store: str, rows: list[tuple]) -> None:
    """SQLite: the rows upserted, their arrays as JSON."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in STORED.split(", ")[1:])
    cursor.executemany(
        f"INSERT INTO {store} ({STORED}) VALUES ({', '.join(['%s'] * 9)}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}",
        [
            tuple(
                json.dumps(v, ensure_ascii=False) if i in ARRAYS else v for i, v in enumerate(row)
            )
            for row in rows
        ],
    )


# A stored person's pairs, as ``LinkageFactPairsIndex`` holds them (the same expression,
# or PostgreSQL would not read the index).
PAIRS = "archive_linkage_fact_pairs(s.blocks, s.father_blocks, s.gender, s.event, s.birth_year)"

# The pairs ``archive.core.linkage.vetoed`` separates for a fact both records have, as SQL
# on a row of the batch (``w``) and a stored person (``s``): a different gender, event, or
# years of birth more than two apart (0 or none is not known, as in Python). Pairs left
# out here would be compared only to be vetoed; the father's name, compared by spelling,
# is left to Python. The test that compares ``StoredMatcher`` with ``Matcher`` holds the
# two to one answer.
VETOED = (
    "(w.gender <> '' AND s.gender <> '' AND w.gender <> s.gender) "
    "OR (w.event IS NOT NULL AND s.event IS NOT NULL AND w.event <> s.event) "
    "OR (w.birth <> 0 AND coalesce(s.birth_year, 0) <> 0 AND abs(w.birth - s.birth_year) > 2)"
)


def _columns_of(lines: list[tuple]) -> list[list]:
    """The lines (key, father, gender, event, year of birth) as five arrays, for unnest."""
    return [list(column) for column in zip(*lines, strict=True)] if lines else [[]] * 5


def _array(value) -> list[str]:
    """A stored array as read: a list (PostgreSQL) or its JSON (SQLite)."""
    return json.loads(value) if isinstance(value, str) else value


def _array_literal(values: list[str]) -> str:
    """PostgreSQL's text form of a text array holding ``values``, whatever they hold
    (each quoted, its quotes and backslashes escaped)."""
    quoted = (value.replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return "{" + ",".join(f'"{value}"' for value in quoted) + "}"


class StoredMatcher:
    """``Matcher``'s answers for every matchable person of ``model``, reading only a
    batch's candidates. ``load(ids)`` (ids in order) gives those people as Candidates
    with their facts (the app knows how); the clustered facts are the model's fields of
    Candidate's names (``CLUSTERED_FIELDS``: ``prison``, ``death_date``, ...).
    ``fresh``: the store was just brought up to date (``refresh``, before the import's
    transaction).

    ``everyone`` (SQLite, which keeps no indexes on the store): every person is read at
    once, with their keys as stored, and checked in memory (``Matcher``)."""

    def __init__(
        self,
        connection,
        model,
        *,
        load: Callable[[list[int]], list[Candidate]],
        expected: float = EXPECTED_DUPLICATES,
        fresh: bool = False,
        everyone: bool = False,
    ):
        self.connection = connection
        self.table = model._meta.db_table
        self.store = store_table(self.table)
        self.counts = counts_table(self.table)
        self.load = load
        if not fresh:
            refresh(connection, model)
        facts = _fact_columns(model)
        # The people read so far, with their stored keys: a large import meets the same
        # namesakes batch after batch.
        self.known: dict[int, tuple[Candidate, list[str]]] = {}
        # Once the batches' candidates pass ``READ_EVERYONE`` of the archive (``found``,
        # counted again for each batch), everyone is read and every later batch is
        # checked in memory (``Matcher``).
        self.everyone: Matcher | None = None
        self.found = 0
        if everyone:
            self._read_everyone(expected=expected)
            self.people, self.freq = len(self.known), self.everyone.freq
            return
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*), count(father) FROM {self.store}")
            # (Read once per import: the rows of the store are the people matched.)
            people, with_father = cursor.fetchone()
        self.people = people
        groups, events = self._fact_groups(*facts) if people else ([], {})
        self.freq = Frequencies.of_groups(
            groups,
            people=people,
            events=events,
            with_father=with_father,
            names={},
            fathers={},
            expected=expected,
        )

    @property
    def empty(self) -> bool:
        return not self.people

    def _fact_groups(
        self, event: str, sets: list[list[str]]
    ) -> tuple[list[tuple[Candidate, int]], dict]:
        """The people holding each value of each clustered fact within their event, and
        the people of each event: as kept beside the store since the refresh
        (``linkage_facts``), or where they are not kept, one scan of the table in the same
        shape (``GROUPING SETS``)."""
        fields = [f for group in CLUSTERED_FIELDS for f in group]
        columns = [c for group in sets for c in group]
        with self.connection.cursor() as cursor:
            found = linkage_facts.groups(cursor, self.table, event, columns)
            if found is None:
                listed, grouping = linkage_facts.grouping_sql(event, sets)
                cursor.execute(
                    f"SELECT {event}, {listed}, GROUPING({listed}), count(*) "
                    f"FROM {self.table} WHERE {LIVE} GROUP BY {grouping}"
                )
                found = cursor.fetchall()
        groups, events = [], {}
        everything = (1 << len(fields)) - 1
        for row in found:
            values, mask, count = row[1:-2], row[-2], row[-1]
            if mask == everything:  # the set of the event alone
                events[row[0]] = count
                continue
            person = Candidate(ref="", event=row[0])
            for i, (f, value) in enumerate(zip(fields, values, strict=True)):
                # GROUPING's bit (the first column the highest) is 0 for a column this
                # row's set groups by; a value not known stays as Candidate has it.
                if not (mask >> (len(fields) - 1 - i)) & 1 and value is not None:
                    setattr(person, f, value)
            groups.append((person, count))
        return groups, events

    def matches(
        self,
        rows: Iterable[Candidate],
        *,
        threshold: float = PROPOSE_PROBABILITY,
        read: float = 1.0,
    ) -> dict[str, list[Match]]:
        """For each of ``rows``, the people it may be, best first (rows with none left
        out): ``Matcher(every person).matches(rows)``. ``read``: how far through its file
        an import is with these rows (0 to 1; 1 for rows that are the whole file, or that
        must not be judged by the rows to come: the admin's preview)."""
        rows = list(rows)
        if self.everyone is not None:
            return _compare(self.everyone, rows, threshold)
        filed = [block_keys(row) for row in rows]
        if self.empty or not any(filed):
            return {}
        sizes = self._counted({key for keys in filed for key in keys})
        over = {key for key, size in sizes.items() if size > block_cap(key)}
        # One line a (row, block) the archive has: the block read through its index, one
        # at a time (an overlap with a thousand blocks is compared element by element,
        # row by row). The blocks over their caps are read where they meet the father's
        # name, once for each father's name of the row with all of its such blocks, as
        # the line's (block, father's name) pairs (``LinkagePairsIndex``).
        whole, split = [], {}
        for row, keys in zip(rows, filed, strict=True):
            facts = (row.gender or "", row.event or None, row.birth_year or 0)
            held = keys & sizes.keys()
            whole.extend((key, None, *facts) for key in sorted(held - over))
            capped = held & over
            if capped:
                for father in row.father_blocks:
                    split.setdefault((father, *facts), set()).update(capped)
        if not whole and not split:
            return {}
        # Rows with the same father's name and facts are one line: the same people. The
        # line's blocks go as an array literal (unnest cannot take arrays of arrays of
        # different lengths), so that they are a condition of the line alone.
        lines = [(_array_literal(sorted(keys)), *line) for line, keys in split.items()]
        query = (
            "SELECT s.id FROM unnest(%s::text[], %s::text[], %s::text[], %s::bigint[], "
            f"%s::int[]) w(k, father, gender, event, birth) JOIN {self.store} s "
            "ON {on} WHERE NOT (" + VETOED + ")"
        )
        # Without JIT: the planner's estimates for these lines (a block's members a line,
        # 861 where 54 are read) put the statement past ``jit_above_cost``, and compiling
        # it took 160-200 ms of the 490-670 a batch of 100 rows took at a million.
        with settings_for(self.connection, jit="off"), self.connection.cursor() as cursor:
            cursor.execute(
                query.format(on="s.blocks @> ARRAY[w.k]")
                + " UNION "
                + query.format(
                    on=f"{PAIRS} && archive_linkage_sought(w.k::text[], ARRAY[w.father], "
                    "w.gender, w.event, w.birth)"
                ),
                [*_columns_of(whole), *_columns_of(lines)],
            )
            found = [pk for (pk,) in cursor.fetchall()]
        new = [pk for pk in found if pk not in self.known]
        # Counted as found, after the vetoes: the blocks' sizes, by which it was
        # decided before, gave 889,000 people for a file of 2,000 rows at a million
        # where 139,000 were found, and everyone read took 4.9 GB and 2.5 times as
        # long as this batch through the indexes. Projected over the whole file from
        # the share read: a long file reads everyone at its first batch, not after
        # paying for batches through the indexes as well (10,000 rows there: 1.31
        # times as long as everyone read at once). A file whose first rows meet far
        # more people than the rest is misjudged at the price of reading everyone.
        if (self.found + len(found)) / max(read, 1e-6) > READ_EVERYONE * self.people:
            self._read_everyone(expected=self.freq.expected)
            return _compare(self.everyone, rows, threshold)
        self.found += len(found)
        if new:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, blocks, joined, father_blocks FROM {self.store} "
                    "WHERE id = ANY(%s::bigint[])",
                    [new],
                )
                self._read(cursor.fetchall())
        people = [self.known[pk] for pk in found if pk in self.known]
        candidates = [person for person, _blocks in people]
        freq = self._frequencies([*rows, *candidates])
        matcher = Matcher(
            candidates, freq=freq, blocks=[blocks for _p, blocks in people], over_cap=over
        )
        return _compare(matcher, rows, threshold)

    def _read_everyone(self, *, expected: float) -> None:
        """Every person read (their keys as stored) into a ``Matcher``: for a file as
        large as a good part of the archive, which would otherwise read it batch by
        batch through the indexes. The collector is paused while they are read and
        blocked (``collector_paused``): a third of the read went on its passes over them.
        In an import's command they are frozen then (``freeze``): kept to its end."""
        # Frozen as read, without a pass first: every one of them lives on.
        with (
            collector_paused(freeze=True, collect_first=False),
            self.connection.cursor() as cursor,
        ):
            if self.known:  # (PostgreSQL: read for earlier batches already)
                cursor.execute(
                    f"SELECT id, blocks, joined, father_blocks FROM {self.store} "
                    "WHERE NOT (id = ANY(%s::bigint[]))",
                    [list(self.known)],
                )
            else:
                cursor.execute(f"SELECT id, blocks, joined, father_blocks FROM {self.store}")
            self._read(cursor.fetchall())
            people = list(self.known.values())
            self.everyone = Matcher(
                [person for person, _blocks in people],
                expected=expected,
                blocks=[blocks for _person, blocks in people],
            )

    def _read(self, found: list[tuple]) -> None:
        """Reads the people of ``found`` (id, blocks, joined, father's blocks) into
        ``known``, their keys as stored rather than made again."""
        # (The rows as read, not copied: at a million a list made for each took 1.7-2.0 s,
        # this 0.5-0.6, measured apart.)
        stored = {row[0]: row for row in found}
        # In order, a few thousand a query: everyone read at once is the whole archive,
        # and a run of ids read in order is a range of the table (``load``).
        ids = sorted(stored)
        for start in range(0, len(ids), LOAD_CHUNK):
            for person in self.load(ids[start : start + LOAD_CHUNK]):
                _pk, blocks, joined, father_blocks = stored[person.pk]
                # The cached properties, as stored.
                person.__dict__["joined"] = set(_array(joined))
                person.__dict__["father_blocks"] = frozenset(_array(father_blocks))
                self.known[person.pk] = (person, _array(blocks))

    def _counted(self, keys: Iterable[str]) -> dict[str, int]:
        """The people filed under each of ``keys`` (those with none left out)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT key, people FROM {self.counts} WHERE key = ANY(%s::text[]) AND people > 0",
                [sorted(keys)],
            )
            return dict(cursor.fetchall())

    def _frequencies(self, people: list[Candidate]) -> Frequencies:
        """The archive's frequencies, with the bearers of ``people``'s names and fathers'
        names counted."""
        joined = {key for person in people for key in person.joined}
        fathers = {"f:" + p.father_id for p in people if p.father_key}
        counted = self._counted(joined | fathers)
        names = {key: n for key, n in counted.items() if not key.startswith("f:")}
        by_father = {key[2:]: n for key, n in counted.items() if key.startswith("f:")}
        return dataclasses.replace(self.freq, names=names, fathers=by_father)
