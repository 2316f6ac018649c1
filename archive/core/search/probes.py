"""The probes a people search asks the database, in the order it asks them: the query's
keys as whole tokens, joined in pairs, with an initial, one left out, one letter away, and
near spellings through the trigram index (``plan_stages``); and the SQL condition of each
probe on either database (``postgres_condition``, ``sqlite_condition``).

Plain Python (no Django): what is asked, not how it is sent (``statements``) nor what is
made of the answers (``ranking``).
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from archive.core import names

MAX_QUERY_LENGTH = 200


def clean_query(q: str | None) -> str:
    """What we are willing to search for: printable text of a bounded length."""
    if not q:
        return ""
    q = "".join(ch for ch in str(q)[: MAX_QUERY_LENGTH * 2] if ch.isprintable() or ch == " ")
    return " ".join(q.split())[:MAX_QUERY_LENGTH]


EXACT_LIMIT = 300  # candidates holding every query token (namesakes are many)
PARTIAL_LIMIT = 100  # candidates holding all the query's tokens but one (see ``_probes``)
INITIAL_LIMIT = 2000  # SQLite only: rows holding the family name, for "M. Hosseini"
FUZZY_LIMIT = 100  # candidates per misspelt-token probe
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


def sqlite_condition(table: str, probe: tuple[str, ...]) -> tuple[str, list, int]:
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


def postgres_condition(table: str, probe: tuple[str, ...], mode: str) -> tuple[str, list, int]:
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
            # Beside whole tokens (``parts``), one index answers both: the names table's
            # one index of keys, deletions, trigrams and initials
            # (``search_names.NameIndexesInOne``) reads the trigrams only where the whole
            # tokens are.
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


def plan_stages(key: str, postgres: bool) -> list[list[tuple[tuple[str, ...], str | None]]]:
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
