"""People search: one function behind the public lists, the API and the admin.

Candidates come from an index over each person's ``name_keys`` (see ``archive.names``;
the father's keys are stored after a ``|``): on PostgreSQL the pg_trgm GIN index,
on SQLite an FTS5 trigram table. Both backends run the same probes (``_plan``), each
bounded by a LIMIT and answered from the index alone:

1. every adjacent pair of query keys joined, as ``name_keys`` stores contiguous names;
2. every query key (any order: "Hosseini, Mohammad"), then each set leaving one out
   (a father's name or a misspelt word);
3. an initial with the other keys ("M. Hosseini");
4. per key, a spelling near it (pg_trgm ``<%`` word similarity; FTS5 an OR of trigrams
   that survive a typo) with the other keys as spelt. Skipped when the exact probes
   already found plenty.

The candidates (a few hundred at most) are ranked in Python by ``names.score``, the
same on both databases; below ``MIN_SCORE`` nothing is shown, and only a score of 1.0
(the same name, spelling and script aside) is labelled "same spelling".
"""

from __future__ import annotations

import itertools

from django.db import connections, transaction
from django.db.models import Case, FloatField, Value, When

from archive import names

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
INITIAL_LIMIT = 2000  # SQLite only: rows holding the family name, for "M. Hosseini"
FUZZY_LIMIT = 100  # candidates per misspelt-token probe
FUZZY_THRESHOLD = 0.25  # pg_trgm word similarity of a one-letter typo in a 4-6 letter key


def _plan(key: str) -> list[tuple[str, ...]]:
    """Candidate probes for a query key, each a tuple (kind, *parts), cheapest first.

    A probe asks for rows whose keys contain every "exact" part and, for a "fuzzy" probe,
    a spelling near one token. Parts are key tokens of three letters or more (trigram
    indexes cannot match shorter ones); initials are left to the ranking.
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
        probes.append(("exact", *pairs))
    probes.append(("exact", *tokens))
    initials = [t for t in words if len(t) == 1]
    if initials:
        probes.append(("initial", initials[0], *tokens))
    if len(tokens) > 2:
        # One token may be a father's name not on record, or a misspelling.
        for i in range(len(tokens)):
            probes.append(("exact", *(tokens[:i] + tokens[i + 1 :])))
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


def _sqlite_probe(cursor, table: str, probe: tuple[str, ...]) -> list[int]:
    kind, *parts = probe
    if kind in ("exact", "initial"):
        match = " AND ".join(_fts_phrase(p) for p in (parts[1:] if kind == "initial" else parts))
        # FTS5 cannot ask for a key starting with one letter: take more rows and let
        # the ranking pick those whose given name fits the initial.
        limit = EXACT_LIMIT if kind == "exact" else INITIAL_LIMIT
    else:
        token, *others = parts
        near = "(" + " OR ".join(_fts_phrase(g) for g in _near_grams(token, others)) + ")"
        match = " AND ".join([near, *(_fts_phrase(o) for o in others)])
        limit = FUZZY_LIMIT
    # bm25 rank favours short key texts holding the rarer grams: the likelier spellings.
    cursor.execute(
        f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s ORDER BY rank LIMIT %s",
        [match, limit],
    )
    return [row[0] for row in cursor.fetchall()]


def _postgres_probe(cursor, table: str, probe: tuple[str, ...]) -> list[int]:
    kind, *parts = probe
    # Every condition can be answered from the GIN trigram index on name_keys: LIKE with
    # a substring of three letters or more, and the word-similarity operator <%.
    conditions, params = [], []
    if kind == "exact":
        others, limit = parts, EXACT_LIMIT
    elif kind == "initial":
        initial, *others = parts
        conditions.append("name_keys ~ %s")  # a stored key starting with the initial
        params.append(f"(^| ){initial}")
        limit = EXACT_LIMIT
    else:
        token, *others = parts
        conditions.append("%s <%% name_keys")
        params.append(token)
        limit = FUZZY_LIMIT
    for part in others:
        conditions.append("name_keys LIKE %s")
        params.append(f"%{part}%")  # keys are plain a-z: nothing to escape
    cursor.execute(
        f"SELECT id FROM {table} WHERE {' AND '.join(conditions)} LIMIT %s", [*params, limit]
    )
    return [row[0] for row in cursor.fetchall()]


def candidates(queryset, key: str) -> list[int]:
    """Primary keys of the rows worth ranking for ``key``: a few hundred at most, read
    from the search index alone (no scan of every row)."""
    table = queryset.model._meta.db_table
    connection = connections[queryset.db]
    probes = _plan(key)
    found: dict[int, None] = {}
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [FUZZY_THRESHOLD])
            probe_fn = _postgres_probe
        else:
            probe_fn = _sqlite_probe
        exact_hits = 0
        for probe in probes:
            if probe[0] == "fuzzy" and exact_hits >= EXACT_LIMIT:
                break  # every token matched plenty of people as spelt: no need to guess
            ids = probe_fn(cursor, table, probe)
            if probe[0] != "fuzzy":
                exact_hits += len(ids)
            found.update(dict.fromkeys(ids))
    return list(found)


def _context_keys(keys: str, father: str) -> str:
    # Rows keyed before the father's keys were stored: add them here.
    if "|" in keys or not father:
        return keys
    return f"{keys} | {names.name_keys(father)}"


def rank(queryset, q: str, *, limit: int = MAX_RESULTS) -> list[tuple[int, float]]:
    """(pk, score) of the best matches for ``q`` in ``queryset``, best first; none below
    ``MIN_SCORE``."""
    q = clean_query(q)
    key = names.query_key(q) if q else ""
    if not key:
        return []
    ids = candidates(queryset, key)
    if not ids:
        return []
    # The index holds every row; the queryset decides which may be shown (published).
    rows = queryset.filter(pk__in=ids).values_list("pk", "name_keys", "father_name")
    scored = []
    for pk, keys, father in rows:
        score = names.score(q, _context_keys(keys, father))
        if score >= MIN_SCORE:
            scored.append((pk, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


def search(queryset, q: str):
    """``queryset`` narrowed to people matching ``q``, best first, each annotated with
    ``search_score`` (1.0: the same spelling; lower: similar)."""
    ranked = rank(queryset, q)
    if not ranked:
        return queryset.none()
    whens = [When(pk=pk, then=Value(score)) for pk, score in ranked]
    return (
        queryset.filter(pk__in=[pk for pk, _ in ranked])
        .annotate(search_score=Case(*whens, default=Value(0.0), output_field=FloatField()))
        .order_by("-search_score", "pk")
    )


def admin_search_results(queryset, search_term, default, request):
    """The admin's search box: the people search, falling back to the admin's own
    lookups (ref, exact fields) when the people search finds nothing."""
    if not search_term:
        return default(request, queryset, search_term)
    found = search(queryset, search_term)
    if found.exists():
        return found, False
    return default(request, queryset, search_term)
