"""People search: one function behind the public lists, the API and the admin.

Candidates come from indexes over each person's ``name_keys`` (see ``archive.core.names``;
the father's keys are stored after a ``|``): on PostgreSQL a GIN index on the person's
own key tokens and their one-letter deletions (whole tokens, and keys one letter away,
each one short posting list) and the pg_trgm GIN index (substrings and near spellings); on
SQLite an FTS5 trigram table. Both backends run the same probes (``_plan``), each bounded
by a LIMIT and answered from an index:

1. every adjacent pair of query keys joined, as ``name_keys`` stores contiguous names;
2. an initial with the other keys ("M. Hosseini"), then every query key in any order
   ("Hosseini, Mohammad"), then each set leaving one out (a father's name or a misspelt
   word);
3. per key, a spelling near it: on PostgreSQL the keys one letter away, through the
   stored deletions (``edit_terms``), then (within 15 ms for the whole search) word
   similarity ``<%`` through the trigram index; on SQLite an OR of the trigrams that
   survive a typo.

Probing stops as soon as the later probes cannot change the first page (``candidates``).
The candidates (a few hundred at most) are ranked in Python by ``names.score``, the same
on both databases; below ``MIN_SCORE`` nothing is shown, and only a score of 1.0 (the same
name, spelling and script aside) is labelled "same spelling".

On PostgreSQL the probes read the table of distinct names (``search_names``: one row per
distinct ``name_keys``, with its bearers counted, and the same indexes) instead of the
people: each name is found and scored once however many bear it, and the people of the
best names are then read through a hash index on ``name_keys``, with the page's columns
(``Bearers``). The probes' cost follows the number of distinct names, not of people.
"""

from __future__ import annotations

import itertools
import time
from contextlib import nullcontext, suppress
from functools import lru_cache

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import OperationalError, connections, transaction
from django.db.models import FloatField
from django.db.models.expressions import RawSQL

from archive.core import names
from archive.core.prepared import GENERIC_PLAN, prepared
from archive.core.search_names import PUBLISHED, names_table

MAX_QUERY_LENGTH = 200


def clean_query(q: str | None) -> str:
    """What we are willing to search for: printable text of a bounded length."""
    if not q:
        return ""
    q = "".join(ch for ch in str(q)[: MAX_QUERY_LENGTH * 2] if ch.isprintable() or ch == " ")
    return " ".join(q.split())[:MAX_QUERY_LENGTH]


MIN_SCORE = 0.5  # below this a "match" shares little more than a letter or two
MAX_RESULTS = 100  # ranked results shown; a reader refines the query rather than page on
EXACT_LIMIT = 300  # candidates holding every query token (namesakes are many)
PARTIAL_LIMIT = 100  # candidates holding all the query's tokens but one (see ``_probes``)
INITIAL_LIMIT = 2000  # SQLite only: rows holding the family name, for "M. Hosseini"
FUZZY_LIMIT = 100  # candidates per misspelt-token probe
ENOUGH_SAME = 10  # rows with the very name asked for (score 1.0) that end the probing
CLOSE_ENOUGH = 0.9  # a best score that guesses two letters off or more rank below
TRIGRAM_MS = 15  # the most a search's guesses through the trigram index may take (PG)
STRONG = 0.95  # above any one-letter guess: (1 + 1 + 0.85) / 3 for three names
FUZZY_THRESHOLD = 0.25  # pg_trgm word similarity of a one-letter typo in a 4-6 letter key


def _plan(key: str) -> list[tuple[str, ...]]:
    """Candidate probes for a query key, each a tuple (kind, *parts), cheapest first.

    A probe asks for rows whose keys contain every "exact" part ("partial": every part
    but one) and, for a "fuzzy" probe, a spelling near one token. Parts are key tokens
    of three letters or more (trigram indexes cannot match shorter ones); initials are
    left to the ranking.
    """
    tokens = [t for t in key.split() if len(t) >= 3]
    tokens = list(dict.fromkeys(tokens))
    if not tokens:
        return []
    words = key.split()
    probes: list[tuple[str, ...]] = []
    # Adjacent tokens joined, as names.name_keys stores them: the most selective probe,
    # and the one that finds "Hossein Mohammadi" among thousands of Hosseins.
    pairs = [a + b for a, b in itertools.pairwise(words) if len(a) >= 3 and len(b) >= 3]
    if pairs:
        probes.append(("joined", *pairs))
    initials = [t for t in words if len(t) == 1]
    if initials:
        # Before the tokens alone: "B. Naseri" wants the Naseris whose name starts with
        # a B, not the first few hundred of all Naseris.
        probes.append(("initial", initials[0], *tokens))
    probes.append(("exact", *tokens))
    if len(tokens) > 2:
        # One token may be a father's name not on record, or a misspelling.
        for i in range(len(tokens)):
            probes.append(("partial", *(tokens[:i] + tokens[i + 1 :])))
    for i, token in enumerate(tokens):
        others = tokens[:i] + tokens[i + 1 :]
        probes.append(("fuzzy", token, *others))
    return probes


def _near_grams(token: str, others: list[str]) -> list[str]:
    """Trigrams a misspelling of ``token`` probably still shares with the stored key.

    A one-letter typo spoils every trigram of a short key ("hsvn" for "hsn"), so besides
    the key's own trigrams: its start and end against the space between stored keys
    (what pg_trgm's word padding gives), the trigrams of each one-letter deletion, and
    the trigrams across the seam where the key joins a neighbouring query token in the
    stored joined pairs ("hsn"+"sfre" is stored as "hsnsfre": "nsf")."""
    grams = {token[i : i + 3] for i in range(len(token) - 2)}
    grams.update((" " + token[:2], token[-2:] + " "))
    for i in range(len(token)):
        variant = token[:i] + token[i + 1 :]
        grams.update(variant[j : j + 3] for j in range(len(variant) - 2))
    for other in others:
        grams.update((token[-2:] + other[:1], token[-1:] + other[:2]))
        grams.update((other[-2:] + token[:1], other[-1:] + token[:2]))
    return sorted(g for g in grams if len(g) == 3)


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _sqlite_condition(table: str, probe: tuple[str, ...]) -> tuple[str, list, int]:
    kind, *parts = probe
    if kind != "fuzzy":
        match = " AND ".join(_fts_phrase(p) for p in (parts[1:] if kind == "initial" else parts))
        # FTS5 cannot ask for a key starting with one letter: take more rows and let
        # the ranking pick those whose given name fits the initial.
        limit = INITIAL_LIMIT if kind == "initial" else EXACT_LIMIT
    else:
        token, *others = parts
        near = "(" + " OR ".join(_fts_phrase(g) for g in _near_grams(token, others)) + ")"
        match = " AND ".join([near, *(_fts_phrase(o) for o in others)])
        limit = FUZZY_LIMIT
    # bm25 rank favours short key texts holding the rarer grams: the likelier spellings.
    sql = (
        f"{table}.id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s "
        f"ORDER BY rank LIMIT %s)"
    )
    return sql, [match, limit], limit


# The person's own keys as an array of whole tokens (the father's keys, after " | ", left
# out), with the one-letter deletions of each key of EDITS_SHORTEST to EDITS_LONGEST letters
# marked "~" (``stored_edits``): its GIN index (migration_ops.NameEditsIndex) answers
# "holds these tokens" from one short posting list per token, where the trigram index has
# to intersect the long lists of common trigrams, and "holds a key one letter from this
# one" from the query key's own few deletions.
OWN_EDITS = "archive_name_edits({table}.name_keys)"
# The own keys alone, for a test on the few rows an index probe found.
OWN_KEYS = "string_to_array(split_part({table}.name_keys, ' | ', 1), ' ')"
# Each pair of own keys as "<first letter of one>.<the other>", for a name with an initial.
INITIALS = "archive_name_initials({table}.name_keys)"
EDITS_SHORTEST, EDITS_LONGEST = 4, 8  # as archive_name_edits (migration_ops) stores them
EDIT_MARK = "~"


# Keys handed to PostgreSQL as one text, split there: psycopg2 adapts a list item by item
# (1.2 ms for the ~800 one-letter variants of three keys, as they were sent before the
# deletions were stored; a string is one parameter).
WORDS = "string_to_array(%s, ' ')"

# How a PostgreSQL probe reads its parts (see ``_probes``).
TOKENS, SUBSTRINGS, EDITS, TRIGRAMS = "tokens", "substrings", "edits", "trigrams"
# The letters of keys (names.py writes o as u and y as i).
KEY_LETTERS = "abcdefghijklmnpqrstuvwxz"


def one_edit_variants(token: str) -> list[str]:
    """Every key one letter away from ``token`` (dropped, added, changed, or two
    neighbours swapped): a misspelling of a stored key is among them, and the token
    index answers all of them in one probe."""
    splits = [(token[:i], token[i:]) for i in range(len(token) + 1)]
    variants = {a + b[1:] for a, b in splits if b}
    variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    variants |= {a + c + b[1:] for a, b in splits if b for c in KEY_LETTERS}
    variants |= {a + c + b for a, b in splits for c in KEY_LETTERS}
    variants.discard(token)
    # Keys of one or two letters are parts of many names: no guess worth its posting list.
    return sorted(v for v in variants if len(v) >= 3)


def _deletions(key: str) -> list[str]:
    return sorted({key[:i] + key[i + 1 :] for i in range(len(key))})


def stored_edits(keys: str) -> list[str]:
    """What ``archive_name_edits(keys)`` holds (PostgreSQL computes it in the index):
    the own keys, then "~" and each one-letter deletion of every own key of
    EDITS_SHORTEST to EDITS_LONGEST letters."""
    own = keys.partition(" | ")[0].split(" ")
    marked = [
        EDIT_MARK + key[:i] + key[i + 1 :]
        for key in own
        if EDITS_SHORTEST <= len(key) <= EDITS_LONGEST
        for i in range(len(key))
    ]
    return own + marked


@lru_cache(maxsize=8192)  # new queries, the same keys again and again (a list not to change)
def edit_terms(token: str) -> tuple[list[str], bool]:
    """The entries of ``archive_name_edits`` that reveal a stored key one letter from
    ``token`` (the same keys as ``one_edit_variants``, and for keys of 4 to 7 letters
    some two letters off), and whether a row holding ``token`` itself also shows them
    (then the probe leaves such rows out: the exact probes found them).

    A stored key one letter shorter is a deletion of ``token``; one letter longer has
    ``token`` among its deletions ("~" + token); one letter changed, or two neighbours
    swapped, shares a deletion with it ("~" + a deletion of each). Where the index keeps
    no deletions (keys of 3 letters, and of more than 8), the variants themselves."""
    if len(token) == EDITS_SHORTEST - 1:
        # A 3-letter key: its deletions are too short to look up; changed letters and
        # swapped neighbours as they are, a longer key by the deletions stored for it.
        same_length = [v for v in one_edit_variants(token) if len(v) == len(token)]
        return [EDIT_MARK + token, *same_length], False
    if EDITS_SHORTEST <= len(token) < EDITS_LONGEST:
        deletions = _deletions(token)
        return [
            EDIT_MARK + token,
            *(d for d in deletions if len(d) >= 3),
            *(EDIT_MARK + d for d in deletions),
        ], True
    return one_edit_variants(token), False


def _postgres_condition(table: str, probe: tuple[str, ...], mode: str) -> tuple[str, list, int]:
    """Every condition can be answered from an index on name_keys: the array of own
    keys and their deletions for whole tokens (TOKENS) and for the keys one letter from
    a token (EDITS, ``edit_terms``), the trigram index for tokens as substrings of longer
    keys (SUBSTRINGS, LIKE) and for a spelling near a token (TRIGRAMS, word similarity
    ``<%``)."""
    kind, *parts = probe
    own = OWN_EDITS.format(table=table)
    conditions, params = [], []
    if kind == "initial":
        initial, *parts = parts
        # Another of the person's keys starting with the initial (any letter it may stand
        # for), from the index of "<letter>.<key>" pairs (migration_ops.NameInitialsIndex).
        conditions.append(f"{INITIALS.format(table=table)} && {WORDS}")
        params.append(
            " ".join(
                f"{letter}.{part}" for letter in names.initial_letters(initial) for part in parts
            )
        )
    elif kind == "fuzzy":
        token, *parts = parts
        if mode == EDITS:
            terms, shared = edit_terms(token)
            conditions.append(f"{own} && {WORDS}")
            params.append(" ".join(terms))
            if shared:  # the rows holding the token as asked were found before
                conditions.append(f"NOT {OWN_KEYS.format(table=table)} @> ARRAY[%s]")
                params.append(token)
        else:
            conditions.append(f"%s <%% {table}.name_keys")
            params.append(token)
    if mode == SUBSTRINGS:
        for part in parts:
            conditions.append(f"{table}.name_keys LIKE %s")
            params.append(f"%{part}%")  # keys are plain a-z: nothing to escape
    elif parts:
        conditions.append(f"{own} @> {WORDS}")
        params.append(" ".join(parts))
    limit = {"fuzzy": FUZZY_LIMIT, "partial": PARTIAL_LIMIT}.get(kind, EXACT_LIMIT)
    return " AND ".join(conditions), params, limit


def _probes(key: str, postgres: bool):
    """(probe, mode) for each probe of ``_plan``, in the order they are tried.

    Probes for every query token come before those leaving one out, which come before
    guesses at a misspelling. On PostgreSQL each group first asks the index of keys and
    their deletions (cheap: one short posting list per term), and only then the trigram
    index, whose lists for common letters are long: tokens as substrings of longer keys
    ("rza" in a stored "mhmdrza") after whole tokens, spellings near a token after the
    keys one letter from it. ``candidates`` skips what can no longer change the ranking.

    A token left out ("partial") is the weakest lead: its probes read whole tokens only.
    Two common tokens as parts of longer keys ("mhmd" and "hsin") are tens of thousands
    of names at a million people, of which a LIMIT reads an arbitrary few hundred
    (13 ms of PostgreSQL, and 300 names scored, for one such probe); the tokens as
    asked, and one-letter variants of each with the others as asked, are what rank."""
    plan = _plan(key)
    for kinds in (("joined", "exact", "initial"), ("partial",), ("fuzzy",)):
        group = [p for p in plan if p[0] in kinds]
        if not postgres:
            yield from ((p, None) for p in group)
            continue
        first, then = (EDITS, TRIGRAMS) if kinds == ("fuzzy",) else (TOKENS, SUBSTRINGS)
        yield from ((p, first) for p in group)
        # A joined pair inside a longer stored join ("rzakrime" in "mhmdrzakrime") is
        # also found by its tokens as substrings: no second trigram probe for it.
        yield from ((p, then) for p in group if p[0] not in ("joined", "partial"))


class Progress:
    """The candidates found so far, scored as they come, for ``candidates`` to tell
    when further probes cannot change the top of the ranking. A candidate is a person
    (weight 1) or, on PostgreSQL, a name and its bearers (``search_names``: weight the
    number of people bearing it)."""

    def __init__(self, q: str):
        self.q = q
        self.scores: dict[int, float] = {}  # a candidate's row -> its score
        self._by_keys: dict[str, float] = {}
        self.by_name = False  # candidates are names (set by ``candidates``)
        # Whether a name's bearers are the queryset's (set by ``candidates``): a filter
        # beyond publication (a list's "executed") leaves some out, and then bearers end
        # no probing (the counts would stop it on people the page does not show).
        self.counted = True
        self.people: dict[str, int] = {}  # a name's bearers (names only)
        self.first: dict[str, int] = {}  # a name's first row (names only)
        self.initial_done = False
        self.trigram_ms = 0.0  # spent on guesses through the trigram index
        self.same = 0  # people with the very name asked for (score 1.0)
        self.close = 0  # people scoring CLOSE_ENOUGH or more
        self.strong = 0  # people scoring above what a one-letter guess can reach
        self.best = 0.0

    def add(self, rows) -> None:
        """``rows``: (row, name_keys, people) of the candidates found by a step."""
        scores, by_keys, people, by_name = self.scores, self._by_keys, self.people, self.by_name
        counted = self.counted
        for row, keys, weight in rows:
            if row not in scores:
                # Namesakes with the same father's name share their keys: scored once.
                score = by_keys.get(keys)
                if score is None:
                    score = by_keys[keys] = names.score(self.q, keys)
                scores[row] = score
                if by_name:  # a name's rows (one per writer that held it) add up
                    people[keys] = people.get(keys, 0) + weight
                    self.first[keys] = min(row, self.first.get(keys, row))
                if not counted:
                    continue
                self.same += weight * names.is_exact_score(score)
                self.strong += weight * (score >= STRONG)
                self.close += weight * (score >= CLOSE_ENOUGH)
                self.best = max(self.best, score)

    def ranked_names(self) -> list[tuple[str, float]]:
        """(name_keys, score) of the names found that someone bears, scoring MIN_SCORE or
        more, best first; of equal scores, the name written first first (the names'
        rows are numbered as their first bearers were written: ``_bearers`` reads the
        people of as many names as the ranking needs, and the ranking orders equal
        scores by the people's pk)."""
        people, first = self.people, self.first
        found = [
            (keys, score)
            for keys, score in self._by_keys.items()
            if score >= MIN_SCORE and people.get(keys, 0) > 0
        ]
        found.sort(key=lambda item: (-item[1], first.get(item[0], 0), item[0]))
        return found


# --- Prepared statements (PostgreSQL) ----------------------------------------------------

# Each statement of a search is prepared once per connection (``archive.core.prepared``)
# and run with its generic plan, which the name indexes answer whatever the keys asked for.


_COLUMNS: dict[tuple, str | None] = {}
INTEGER_KEYS = ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField")


def _plain_columns(connection, model, fields: tuple[str, ...]) -> str | None:
    """The select list of ``values(*fields)`` when every field is a plain column of the
    model's own table, read as the database gives it; else None. Worked out once per
    model and fields."""
    key = (connection.vendor, model._meta.label, fields)
    if key in _COLUMNS:
        return _COLUMNS[key]
    meta = model._meta
    ops = connection.ops
    table = ops.quote_name(meta.db_table)
    own = {id(f) for f in meta.local_concrete_fields}
    columns = []
    for name in fields:
        try:
            field = meta.pk if name == "pk" else meta.get_field(name)
        except FieldDoesNotExist:
            columns = None
            break
        if (
            id(field) not in own
            or hasattr(field, "from_db_value")
            or ops.get_db_converters(field.get_col(meta.db_table))
        ):
            columns = None
            break
        columns.append(f"{table}.{ops.quote_name(field.column)}")
    _COLUMNS[key] = result = ", ".join(columns) if columns is not None else None
    return result


_NAMES: dict[tuple, bool] = {}


def has_names(connection, table: str) -> bool:
    """Whether ``table``'s distinct names are kept (``search_names``: PostgreSQL, once
    migrated), asked once per database."""
    if connection.vendor != "postgresql":
        return False
    key = (connection.alias, connection.settings_dict.get("NAME"), table)
    found = _NAMES.get(key)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [names_table(table)])
            found = _NAMES[key] = bool(cursor.fetchone()[0])
    return found


def _published_only(queryset) -> bool:
    """Whether ``queryset`` keeps only published rows (``.published()``: its filters
    hold ``publication_status = published`` on the model's own table, ANDed)."""
    where = queryset.query.where
    if where.connector != "AND" or where.negated:
        return False
    model = queryset.model._meta.concrete_model
    for child in where.children:
        target = getattr(getattr(child, "lhs", None), "target", None)
        if (
            getattr(child, "lookup_name", None) == "exact"
            and getattr(target, "name", None) == "publication_status"
            and target.model._meta.concrete_model is model
            and getattr(child.lhs, "alias", None) == queryset.query.base_table
            and child.rhs == PUBLISHED
        ):
            return True
    return False


_PLAIN_SQL: dict[tuple, tuple[str, tuple]] = {}


def _published_alone(queryset) -> bool:
    """Whether ``queryset`` is its model's published rows and nothing more (the public
    search's: ``Model.objects.published()``), whose SQL is the same every time."""
    query = queryset.query
    return (
        len(query.where.children) == 1
        and _published_only(queryset)
        and len(query.alias_map) == 1
        and not query.annotations
        and not query.extra
        and not query.extra_tables
        and not query.distinct
        and not query.combinator
        and not query.is_sliced
        and not query.select_for_update
    )


def _candidates_sql(queryset) -> tuple[str | None, tuple]:
    """``SELECT pk, name_keys`` of ``queryset`` as SQL and parameters (None when its
    filters exclude every row). A public search's is compiled once per model and
    database: compiling it cost each search 0.4 ms of the worker's CPU."""
    plain = _published_alone(queryset)
    key = (queryset.db, queryset.model._meta.label)
    if plain and key in _PLAIN_SQL:
        return _PLAIN_SQL[key]
    values = queryset.order_by().values_list("pk", "name_keys")
    try:
        compiled = values.query.sql_with_params()
    except EmptyResultSet:  # the queryset's filters exclude every row
        return None, ()
    if plain:
        _PLAIN_SQL[key] = compiled
    return compiled


class Prober:
    """Reads what a probe finds among the rows of a queryset, one round trip a probe.

    The queryset is compiled once (``SELECT pk, name_keys FROM <table> WHERE <its
    filters>``); a probe takes the table's place as a subquery bounded by its LIMIT
    (``FROM (SELECT * FROM <table> WHERE <probe> LIMIT n) <table>``). The planner can
    answer it only from the name indexes, and the queryset's filters are tested on its
    few rows: no join back through the primary key (300 index lookups), no ORM
    compilation per probe. Given the filters beside a probe instead, the planner may walk
    the index on publication status and test every row (350 ms a probe at 20,000).

    On PostgreSQL the probe's settings (``SET LOCAL``) go in the same query string, so
    that they last for that statement's implicit transaction alone. Inside a
    transaction (a test, an admin action) they would last to its end: probing then runs
    in a savepoint that is rolled back afterwards, which only the settings notice.
    """

    def __init__(self, queryset):
        self.using = queryset.db
        self.connection = connections[self.using]
        self.postgres = self.connection.vendor == "postgresql"
        self.model = queryset.model
        self.table = queryset.model._meta.db_table
        self._savepoint = None  # set on entering, inside a transaction
        sql, self.params = _candidates_sql(queryset)
        self.empty = sql is None
        self.quoted = self.connection.ops.quote_name(self.table)
        # PostgreSQL: the probes read the table of distinct names (``search_names``).
        self.names = names_table(self.table) if has_names(self.connection, self.table) else None
        # The names' published bearers are what a public search counts (and a name none
        # of them bears is none of its business); any other queryset counts every bearer.
        public = _published_only(queryset)
        self.bearers = "published" if public else "people"
        # The names' counts are the queryset's bearers: no filter but publication.
        where = queryset.query.where
        self.counted = not where.negated and len(where.children) == int(public)
        if sql is not None:
            self.head, found, self.tail = sql.partition(f" FROM {self.quoted}")
            if not found:  # values_list of two columns always reads FROM the table
                raise RuntimeError(f"unexpected query for {self.table}: {sql[:200]}")

    def __enter__(self):
        if self.connection.in_atomic_block:
            self._savepoint = transaction.atomic(using=self.using)
            self._savepoint.__enter__()
        return self

    def __exit__(self, *exc):
        if self._savepoint is not None:
            transaction.set_rollback(True, using=self.using)  # probes only read
            return self._savepoint.__exit__(*exc)
        return False

    def condition(self, probe: tuple[str, ...], mode: str | None) -> tuple[str, list, int]:
        if self.names:
            return _postgres_condition(self.names, probe, mode)
        if self.postgres:
            return _postgres_condition(self.table, probe, mode)
        return _sqlite_condition(self.table, probe)

    def found(self, probes, *, timeout_ms: float = 0) -> list:
        """(probe, row, name_keys, people) of what each of ``probes`` finds: the names
        and their bearers where the table of names is kept, else (``rows``) people,
        one each."""
        if self.names is None:
            return [(i, pk, keys, 1) for i, pk, keys in self.rows(probes, timeout_ms=timeout_ms)]
        if self.empty or not probes:
            return []
        return self._rows(probes, timeout_ms=timeout_ms, names=True)

    def found_ahead(self, probes, following, fewer_than: int) -> tuple[list, list | None]:
        """``rows_ahead`` for ``found``: the following probes run when ``probes`` find
        fewer than ``fewer_than`` people."""
        if self.names is None:
            before, after = self.rows_ahead(probes, following, fewer_than)
            weigh = lambda rows: [(i, pk, keys, 1) for i, pk, keys in rows]  # noqa: E731
            return weigh(before), (None if after is None else weigh(after))
        if self.empty or fewer_than <= 0 or not following:
            return self.found(probes), None
        first, params = self._sql(probes, names=True)
        then, then_params = self._sql(following, offset=len(probes), names=True)
        sql = (
            f"WITH search_first AS MATERIALIZED ({first}) SELECT * FROM search_first "
            f"UNION ALL SELECT * FROM ({then}) search_then "
            "WHERE (SELECT coalesce(sum(people), 0) FROM search_first) < %s"
        )
        found = self._rows(None, sql=(sql, [*params, *then_params, fewer_than]), names=True)
        count = len(probes)
        before = [row for row in found if row[0] < count]
        after = [(i - count, *rest) for i, *rest in found if i >= count]
        return before, (after if sum(row[3] for row in before) < fewer_than else None)

    def rows(self, probes: list[tuple[str, list, int]], *, timeout_ms: float = 0) -> list:
        """(probe, pk, name_keys) of the rows each of ``probes`` (condition, params,
        limit) finds, at most its limit, ``probe`` being its place in ``probes``; on
        PostgreSQL in one statement (``UNION ALL``). With ``timeout_ms`` (PostgreSQL),
        none if the database takes longer than that."""
        if self.empty or not probes:
            return []
        return self._rows(probes, timeout_ms=timeout_ms)

    def rows_ahead(self, probes, following, fewer_than: int) -> tuple[list, list | None]:
        """``rows(probes)``, and in the same statement ``rows(following)`` if ``probes``
        find fewer than ``fewer_than`` rows (else None: PostgreSQL does not run them).
        For the step after the strong one, which the stopping rules (``_stop``) cannot
        skip when the strong step found only a few rows: its round trip saved."""
        if self.empty or not self.postgres or fewer_than <= 0 or not following:
            return self.rows(probes), None
        first, params = self._sql(probes)
        then, then_params = self._sql(following, offset=len(probes))
        sql = (
            f"WITH search_first AS MATERIALIZED ({first}) SELECT * FROM search_first "
            f"UNION ALL SELECT * FROM ({then}) search_then "
            "WHERE (SELECT count(*) FROM search_first) < %s"
        )
        found = self._rows(None, sql=(sql, [*params, *then_params, fewer_than]))
        count = len(probes)
        before = [row for row in found if row[0] < count]
        after = [(i - count, pk, keys) for i, pk, keys in found if i >= count]
        return before, (after if len(before) < fewer_than else None)

    def _rows(self, probes, *, timeout_ms: float = 0, sql=None, names: bool = False) -> list:
        if not self.postgres:
            found = []
            for i, (condition, params, limit) in enumerate(probes):
                sql, params = self._sql([(condition, params, limit)])
                rows = self._execute(sql, params, guarded=False)
                found.extend((i, pk, keys) for pk, keys in rows)
            if timeout_ms:  # as below: a cancel delivered late goes to no page's query
                with suppress(OperationalError):
                    self._execute("SELECT 1", (), guarded=True)
            return found
        sql, params = sql or self._sql(probes, names=names)
        # Every probe has an index; with a LIMIT the planner may still bet on a
        # sequential scan finding enough rows early ("M. Hosseini": a regex on the
        # keys), which reads much of a million rows when the bet is lost.
        setup = "SET LOCAL enable_seqscan = off; " + GENERIC_PLAN
        setup += f"SET LOCAL pg_trgm.word_similarity_threshold = {FUZZY_THRESHOLD}; "
        if timeout_ms:
            setup += f"SET LOCAL statement_timeout = {max(1, int(timeout_ms))}; "
        sql = setup + (prepared(self.connection, sql) or sql)
        try:
            rows = self._execute(sql, params, guarded=bool(timeout_ms))
        except OperationalError:
            if not timeout_ms:
                raise
            return []  # canceled by the timeout: a guess past its budget gives nothing
        if timeout_ms:
            # A statement timeout that fires as the statement ends is delivered to the
            # connection's next statement (2 timed probes in 400 at a million rows), which
            # would be the page's own query: take it on a statement of no consequence.
            with suppress(OperationalError):
                self._execute("SELECT 1", (), guarded=True)
        if names:
            return rows
        return [(probe, pk, keys) for pk, keys, probe in rows]

    def _sql(self, probes, offset: int = 0, *, names: bool = False) -> tuple[str, list]:
        # The SQL text is the table's name and fixed fragments; values are parameters.
        if names:
            parts, values = [], []
            for i, (condition, probe_params, limit) in enumerate(probes, offset):
                parts.append(
                    f"(SELECT {i} AS search_probe, id, name_keys, {self.bearers} AS people "
                    f"FROM {self.names} WHERE {condition} AND {self.bearers} > 0 LIMIT %s)"
                )
                values.extend((*probe_params, limit))
            return f"SELECT * FROM ({' UNION ALL '.join(parts)}) search_names", values
        if len(probes) == 1 and not self.postgres:
            ((condition, values, limit),) = probes
            sql = (
                f"{self.head} FROM (SELECT * FROM {self.quoted} WHERE {condition} LIMIT %s) "
                f"{self.quoted}{self.tail}"
            )
            return sql, [*values, limit, *self.params]
        parts, values = [], []
        for i, (condition, probe_params, limit) in enumerate(probes, offset):
            parts.append(
                f"(SELECT *, {i} AS search_probe FROM {self.quoted} WHERE {condition} LIMIT %s)"
            )
            values.extend((*probe_params, limit))
        sql = (
            f"{self.head}, {self.quoted}.search_probe FROM ({' UNION ALL '.join(parts)}) "
            f"{self.quoted}{self.tail}"
        )
        return sql, [*values, *self.params]

    def _plain_page(self, fields: tuple[str, ...]) -> tuple[str, str, str] | None:
        """(select list, primary key, further WHERE) to read ``values(*fields)`` rows
        through this prober's own SQL (PostgreSQL); None when that SQL cannot say it (a
        field that is not a plain column of the table, a join in the filters)."""
        if not self.postgres or self.empty or not fields:
            return None
        tail = self.tail
        if tail and not tail.startswith(" WHERE "):
            return None
        meta = self.model._meta
        columns = _plain_columns(self.connection, self.model, fields)
        if columns is None or meta.pk.get_internal_type() not in INTEGER_KEYS:
            return None
        pk = f"{self.quoted}.{self.connection.ops.quote_name(meta.pk.column)}"
        where = f" AND ({tail[len(' WHERE ') :]})" if tail else ""
        return columns, pk, where

    def people_of(self, keys: list[str], fields: tuple[str, ...] = ()) -> tuple[list, bool]:
        """The rows of the queryset bearing one of the names ``keys`` (through the hash
        index on ``name_keys``, kept with the table of names), each ending with its pk
        and name_keys; and whether they begin with the columns of ``values(*fields)``
        (then the page needs no statement of its own: ``page``)."""
        if self.empty or not keys:
            return [], False
        among = f"{self.quoted}.name_keys = ANY(string_to_array(%s, E'\\n'))"
        plain = self._plain_page(fields)
        if plain is not None:
            columns, pk, where = plain
            sql = (
                f"SELECT {columns}, {pk}, {self.quoted}.name_keys FROM {self.quoted} "
                f"WHERE {among}{where}"
            )
        else:
            sql = f"{self.head} FROM (SELECT * FROM {self.quoted} WHERE {among}) {self.quoted}"
            sql += self.tail
        params = ["\n".join(keys), *self.params]
        call = prepared(self.connection, sql)
        if call is not None:
            sql = call if self.connection.in_atomic_block else GENERIC_PLAN + call
        return self._execute(sql, params, guarded=False), plain is not None

    def page(
        self, fields: tuple[str, ...], ranked: list[tuple[int, float]], read: dict | None = None
    ) -> list | None:
        """``values(*fields)`` rows of ``ranked`` in rank order, with ``search_score`` and
        ``search_exact``, through the SQL the probes were made of (PostgreSQL, prepared):
        no second compilation of the queryset. None when that SQL cannot say it (a field
        that is not a plain column of the table, a join in the filters): ask the ORM.
        ``read``: the rows by pk, read already (``people_of``)."""
        by_pk = read
        if by_pk is None:
            plain = self._plain_page(fields)
            if plain is None:
                return None
            columns, pk, where = plain
            sql = (
                f"SELECT {columns}, {pk} FROM {self.quoted} "
                f"WHERE {pk} = ANY(string_to_array(%s, ' ')::bigint[]){where}"
            )
            params = [" ".join(str(int(found)) for found, _ in ranked), *self.params]
            call = prepared(self.connection, sql)
            if call is not None:
                sql = call if self.connection.in_atomic_block else GENERIC_PLAN + call
            by_pk = {row[-1]: row for row in self._execute(sql, params, guarded=False)}
        rows = []
        for pk_value, score in ranked:
            row = by_pk.get(pk_value)
            if row is not None:
                item = dict(zip(fields, row, strict=False))
                item["search_score"] = score
                item["search_exact"] = names.is_exact_score(score)
                rows.append(item)
        return rows

    def _execute(self, sql: str, params, *, guarded: bool) -> list:
        # Inside a transaction a canceled statement would abort it: a savepoint of its own.
        guard = nullcontext()
        if guarded and self._savepoint is not None:
            guard = transaction.atomic(using=self.using)
        with guard, self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def _stages(key: str, postgres: bool) -> list[list[tuple[tuple[str, ...], str | None]]]:
    """The probes of ``_probes`` in the steps they are run: the query's tokens as
    they are (whole tokens on PostgreSQL); then everything weaker that cannot rank
    above a page of close matches (tokens inside longer keys, a token left out, the
    one-letter variants of each token); then, one by one, guesses through the trigram
    index. On PostgreSQL each of the first two steps is one statement.

    A query with an initial ("M. Hosseini") first asks for the names fitting it (and the
    joined pairs) alone: when they fill a page of close matches, the family name's other
    bearers, who rank below all of them, are not read at all (``candidates``); read in
    the same statement, they were 300 more rows to fetch and score."""
    fitting, strong, weak, guesses = [], [], [], []
    initial = any(probe[0] == "initial" for probe, _ in _probes(key, postgres))
    for probe, mode in _probes(key, postgres):
        if mode == TRIGRAMS:
            guesses.append((probe, mode))
        elif probe[0] in ("partial", "fuzzy") or mode == SUBSTRINGS:
            weak.append((probe, mode))
        elif initial and probe[0] != "exact":
            fitting.append((probe, mode))
        else:
            strong.append((probe, mode))
    stages = [stage for stage in (fitting, strong, weak) if stage]
    return stages + [[guess] for guess in guesses]


def _stop(kind: str, mode: str | None, progress: Progress, exact_hits: int) -> bool:
    """Whether the probes from this one on can no longer change the first page."""
    weaker = kind in ("partial", "fuzzy") or mode == SUBSTRINGS
    return (
        progress.same >= ENOUGH_SAME  # a page of the very name asked for
        # the names as spelt matched plenty: no need to look further
        or (weaker and exact_hits >= EXACT_LIMIT)
        # a page of close matches: a part of a name or a guess ranks below
        or (weaker and progress.close >= ENOUGH_SAME)
        # a page of names closer than any one-letter guess could be
        or (kind == "fuzzy" and progress.strong >= ENOUGH_SAME)
        # the name as asked, or one letter off: farther guesses rank below
        or (mode == TRIGRAMS and progress.best >= CLOSE_ENOUGH)
        or (mode == TRIGRAMS and progress.trigram_ms >= TRIGRAM_MS)
    )


def _batch(stage, progress: Progress, exact_hits: int) -> tuple[list, bool]:
    """The probes of ``stage`` worth running given what was found so far, and whether
    the stopping rules ended the stage (then no later stage runs either)."""
    batch = []
    for probe, mode in stage:
        kind = probe[0]
        if _stop(kind, mode, progress, exact_hits):
            return batch, True
        if kind == "exact" and progress.initial_done and progress.close >= ENOUGH_SAME:
            continue  # a page of names fitting the initial: the others rank below
        batch.append((probe, mode))
    return batch, False


def _weak(stage) -> bool:
    """Whether ``stage`` is the step of weaker probes (``_stages``)."""
    probe, mode = stage[0]
    return mode != TRIGRAMS and (probe[0] in ("partial", "fuzzy") or mode == SUBSTRINGS)


def candidates(queryset, key: str, progress: Progress) -> Prober:
    """Finds the rows of ``queryset`` worth ranking for ``key`` and hands them to
    ``progress``: a few hundred at most, found through the search indexes (no scan of
    every row), in as few statements as the stopping rules allow (``_stages``).

    The step of weaker probes is read with the strong step, in the same statement, when
    the strong step finds too few rows for any stopping rule to skip it (fewer than
    ENOUGH_SAME close ones, EXACT_LIMIT exact hits): the same rows, one round trip less
    (PostgreSQL)."""
    exact_hits = 0
    with Prober(queryset) as prober:
        progress.by_name = prober.names is not None
        progress.counted = not progress.by_name or prober.counted
        stages = _stages(key, prober.postgres)
        ahead = None  # the rows of the next stage, read with this one
        for n, stage in enumerate(stages):
            batch, stopped = _batch(stage, progress, exact_hits)
            if not batch:
                break
            read, ahead = ahead, None
            if read is not None and len(batch) == len(stage):
                # Read with the step before, every probe of it: no rule could stop it
                # (``rows_ahead``'s bound). The rules are still asked, and decide.
                rows = read
            elif batch[0][1] == TRIGRAMS:
                # A guess at a farther spelling, given what is left of TRIGRAM_MS (all of
                # a search's guesses together): on a common short key the trigram index
                # can take far longer (60 ms at a million people; 2-5 ms at 20,000), and
                # what the guess would add ranks below everything found so far.
                conditions = [prober.condition(probe, mode) for probe, mode in batch]
                started = time.perf_counter()
                rows = prober.found(conditions, timeout_ms=TRIGRAM_MS - progress.trigram_ms)
                progress.trigram_ms += (time.perf_counter() - started) * 1000
            else:
                conditions = [prober.condition(probe, mode) for probe, mode in batch]
                following = stages[n + 1] if n + 1 < len(stages) else None
                if not stopped and following and _weak(following):
                    # Fewer rows than this cannot bring the close matches to ENOUGH_SAME
                    # nor the exact hits to EXACT_LIMIT: the weak step runs regardless.
                    bound = min(ENOUGH_SAME - progress.close, EXACT_LIMIT - exact_hits)
                    after = [prober.condition(probe, mode) for probe, mode in following]
                    rows, ahead = prober.found_ahead(conditions, after, bound)
                else:
                    rows = prober.found(conditions)
            # Rows (people, or names) holding every key asked for: as many as a LIMIT reads.
            exact_hits += sum(batch[i][0][0] != "fuzzy" for i, *_ in rows)
            progress.initial_done |= any(probe[0] == "initial" for probe, _ in batch)
            progress.add((row, keys, people) for _, row, keys, people in rows)
            if stopped:
                break  # later stages are weaker still
    return prober


def rank(queryset, q: str, *, limit: int = MAX_RESULTS) -> list[tuple[int, float]]:
    """(pk, score) of the best matches for ``q`` in ``queryset``, best first; none below
    ``MIN_SCORE``."""
    ranking, _, bearers = _rank(queryset, q, limit)
    return bearers.resolve(()) if bearers is not None else ranking


def _rank(queryset, q: str, limit: int) -> tuple[list | None, Prober | None, Bearers | None]:
    """The ranking (people probed), or the names found and how to read their bearers
    (``Bearers``: names probed)."""
    q = clean_query(q)
    key = names.query_key(q) if q else ""
    if not key:
        return [], None, None
    progress = Progress(q)
    prober = candidates(queryset, key, progress)
    if progress.by_name:
        return None, prober, Bearers(prober, progress, limit)
    scored = [(pk, score) for pk, score in progress.scores.items() if score >= MIN_SCORE]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit], prober, None


class Bearers:
    """The names a search found, read into the people of the queryset bearing them when
    the ranking is first asked for: with the columns of the ``values()`` asked for by then
    (the API's), so that the page is read in the same statement."""

    def __init__(self, prober: Prober, progress: Progress, limit: int):
        self.prober, self.progress, self.limit = prober, progress, limit
        self.ranking: list[tuple[int, float]] | None = None
        self.fields: tuple[str, ...] | None = None
        self.rows: dict | None = None  # pk -> row of ``fields``' columns, then the pk

    def resolve(self, fields: tuple[str, ...]) -> list[tuple[int, float]]:
        if self.ranking is None:
            self.ranking, self.rows = _bearers(self.prober, self.progress, self.limit, fields)
            self.fields = fields
        return self.ranking

    def read(self, fields: tuple[str, ...]) -> dict | None:
        """The rows read with the ranking, if they hold ``fields``."""
        return self.rows if self.rows is not None and fields == self.fields else None


def _bearers(prober: Prober, progress: Progress, limit: int, fields: tuple[str, ...]):
    """(pk, score) of the best ``limit`` people of the queryset bearing the names found
    (``progress.ranked_names``), best first: the people of the best names, as many names
    as their bearers (``progress.people``, counted whatever the queryset's other filters)
    fill the ranking; more names while the filters leave it short. And their rows of
    ``fields`` by pk when read with them (else None)."""
    ranked = progress.ranked_names()
    scores = dict(ranked)
    found: list[tuple[int, float]] = []
    rows: dict | None = {} if fields else None
    start, rounds = 0, 0
    while start < len(ranked) and len(found) < limit:
        # Each round asks for more bearers than are missing, twice as many each time
        # the queryset's filters left too few; the fourth takes every name left.
        wanted = (limit - len(found)) << rounds
        end, bearers = start, 0
        while end < len(ranked) and (bearers < wanted or rounds >= 3):
            bearers += progress.people[ranked[end][0]]
            end += 1
        read, with_fields = prober.people_of([name for name, _ in ranked[start:end]], fields)
        found.extend((row[-2], scores[row[-1]]) for row in read)
        if with_fields and rows is not None:
            rows.update((row[-2], row[:-1]) for row in read)
        else:
            rows = None
        start, rounds = end, rounds + 1
    found.sort(key=lambda item: (-item[1], item[0]))
    return found[:limit], rows


def in_rank_order(queryset, ranked: list[tuple[int, float]]):
    """The rows of ``queryset`` for ``ranked`` (from ``rank``), in that order, each with
    its ``search_score`` and ``search_exact`` (``names.is_exact_score``: what a list labels
    "same spelling"), attributes or keys of a ``values()`` row: one query that reads only
    these rows."""
    scores = dict(ranked)
    rows = list(queryset.filter(pk__in=list(scores)).order_by())
    if rows and isinstance(rows[0], dict):
        pk_name = "pk" if "pk" in rows[0] else "id"
        for row in rows:
            row["search_score"] = scores[row[pk_name]]
            row["search_exact"] = names.is_exact_score(row["search_score"])
        rows.sort(key=lambda row: (-row["search_score"], row[pk_name]))
    else:
        for row in rows:
            row.search_score = scores[row.pk]
            row.search_exact = names.is_exact_score(row.search_score)
        rows.sort(key=lambda row: (-row.search_score, row.pk))
    return rows


class Ranked:
    """The people search's answer for a query (``<QuerySet>.search(q)``, the one way in
    for the lists, the API and the admin): the matches in ``queryset``, best first.

    The ranking is a bounded list of (pk, score), found once: its length is the count,
    and a slice reads only the rows it names, in rank order, each with ``search_score``
    (1.0: the same spelling; lower: similar) and ``search_exact``."""

    def __init__(self, queryset, ranking, prober=None, bearers=None, fields=()):
        self.base = queryset
        self._ranking = ranking  # None until the names' bearers are read (``bearers``)
        self.prober = prober  # the probes' SQL, which can read a page (``Prober.page``)
        self.bearers = bearers
        self.fields = fields

    @property
    def ranking(self) -> list[tuple[int, float]]:
        if self._ranking is None:
            self._ranking = self.bearers.resolve(self.fields)
        return self._ranking

    @property
    def queryset(self):
        return self.base.values(*self.fields) if self.fields else self.base

    def __len__(self) -> int:
        return len(self.ranking)

    def count(self) -> int:
        return len(self.ranking)

    def exists(self) -> bool:
        return bool(self.ranking)

    def values(self, *fields: str) -> Ranked:
        """The same matches read as ``values()`` rows (the API's columns)."""
        return Ranked(self.base, self._ranking, self.prober, self.bearers, fields)

    def _read(self, ranked: list[tuple[int, float]]) -> list:
        if self.prober is not None and self.fields:
            read = self.bearers.read(self.fields) if self.bearers is not None else None
            rows = self.prober.page(self.fields, ranked, read)
            if rows is not None:
                return rows
        return in_rank_order(self.queryset, ranked)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._read(self.ranking[key])
        return self._read([self.ranking[key]])[0]

    def __iter__(self):
        return iter(self[:])

    def as_queryset(self):
        """The matches as a queryset annotated with ``search_score`` and ordered by it,
        for what needs one (the admin's change list filters and pages it itself)."""
        if not self.ranking:
            return self.queryset.none()
        queryset = self.queryset
        # One CASE over the primary key, as SQL text: Django's Case(When(...)) would
        # build and compile a hundred expression objects for every search.
        table = connections[queryset.db].ops.quote_name(queryset.model._meta.db_table)
        whens = " ".join(["WHEN %s THEN %s"] * len(self.ranking))
        params = [value for pk, score in self.ranking for value in (pk, score)]
        case = f"CASE {table}.id {whens} ELSE 0.0 END"  # placeholders only: values in params
        score_sql = RawSQL(case, params, output_field=FloatField())  # noqa: S611
        return (
            queryset.filter(pk__in=[pk for pk, _ in self.ranking])
            .annotate(search_score=score_sql)
            .order_by("-search_score", "pk")
        )


def search(queryset, q: str) -> Ranked:
    """The matches for ``q`` in ``queryset``, best first: what the searchable models'
    ``QuerySet.search`` returns (call that; this is its body)."""
    ranking, prober, bearers = _rank(queryset, q, MAX_RESULTS)
    return Ranked(queryset, ranking, prober, bearers)


def admin_search_results(queryset, search_term, default, request):
    """The admin's search box: the people search, falling back to the admin's own
    lookups (ref, exact fields) when the people search finds nothing."""
    if not search_term:
        return default(request, queryset, search_term)
    found = queryset.search(search_term)
    if found.exists():
        return found.as_queryset(), False
    return default(request, queryset, search_term)
