"""How close a query is to a person's stored keys (``score``), and when it is the same
spelling (``is_exact``). Pure Python."""

from __future__ import annotations

from functools import lru_cache

from archive.core.names.keys import _parse_query, title_keys

# ------------------------------------------------------------------------------ scoring

_CONTEXT_MARK = "|"
# An initial may stand for any spelling of the first letter: "S." for Shahram,
# "K." for Khosrow, "G." for Gholamreza, "Z." for Zhaleh.
_INITIAL_MATCHES = {
    "s": "sw",
    "k": "kx",
    "g": "gq",
    "q": "qg",
    "z": "zj",
    "j": "jz",
    "c": "ck",
}


def initial_letters(initial: str) -> str:
    """The letters a key may start with when the name it stands for has this initial
    (``_INITIAL_MATCHES``: "k" for "k" and "x", as "K." may be Khosrow's)."""
    return _INITIAL_MATCHES.get(initial, initial)


EXACT = 1.0
SAME_SKELETON = 0.9  # differs only in long vowels: Yusuf/یوسف, Mosavi/Mousavi
ONE_EDIT = 0.85  # one letter inserted, dropped, changed or two swapped
ONE_EDIT_SHORT = 0.7  # ... in a key of three letters or fewer, where that means more
NEAR_SKELETON = 0.75  # one edit apart once long vowels are ignored
PREFIX = 0.6  # a truncated name
SHARED_BIGRAMS = 0.5  # a long key with most letter pairs in common (two typos)
INITIAL = 0.8
INITIAL_WEIGHT = 0.5
UNMATCHED_WEIGHT = 0.35  # an unmatched query token (often a father's name) costs a little
CONTEXT_LAST = 0.9  # query token found among context keys (father), at the end
CONTEXT_ELSEWHERE = 0.8  # ... elsewhere in the query
GAP = 0.97  # two query tokens that are not next to each other in any stored name
UNCOVERED = 0.98  # the query leaves out a part of the stored name: Hossein for Amirhossein


@lru_cache(maxsize=1 << 17)
def _deletions(key: str) -> frozenset[str]:
    return frozenset(key[:i] + key[i + 1 :] for i in range(len(key)))


@lru_cache(maxsize=1 << 17)
def _skeleton(key: str) -> str:
    return key[:1] + key[1:].replace("i", "").replace("u", "")


@lru_cache(maxsize=1 << 17)
def _bigrams(key: str) -> frozenset[str]:
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def _swap_or_change(a: str, b: str) -> bool:
    # Same length: one letter changed, or two neighbours swapped (Hosseini/Hossieni).
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    if len(diff) == 2:
        i, j = diff
        return j == i + 1 and a[i] == b[j] and a[j] == b[i]
    return False


def _one_edit(a: str, b: str) -> bool:
    la, lb = len(a), len(b)
    if la == lb:
        return _swap_or_change(a, b)
    if la == lb + 1:
        return b in _deletions(a)
    if lb == la + 1:
        return a in _deletions(b)
    return False


def _fuzzy(q: str, keys: tuple[tuple[str, str, int], ...]) -> float:
    # Hot path: run for every candidate a query token does not match exactly, so the
    # cheap tests come first. One edit (or a swap) leaves the first or the last letter
    # of a key of three or more letters in place; keys that keep neither are skipped.
    best = 0.0
    sq = _skeleton(q)
    lq, lsq = len(q), len(sq)
    first, last = q[0], q[-1]
    dq = _deletions(q)
    for k, sk, lk in keys:
        d = lk - lq
        if d > 3 or d < -3:
            continue
        if sk == sq and lsq > 1:
            return SAME_SKELETON
        if k[0] != first and k[-1] != last:
            continue
        one_edit = (
            best < ONE_EDIT
            and -2 < d < 2
            and (_swap_or_change(q, k) if d == 0 else (q in _deletions(k) if d == 1 else k in dq))
        )
        if one_edit:
            best = ONE_EDIT if min(lq, lk) > 3 else ONE_EDIT_SHORT
            continue
        if best < NEAR_SKELETON and lsq > 2 and -2 < len(sk) - lsq < 2 and _one_edit(sq, sk):
            best = NEAR_SKELETON
        elif best < PREFIX and lq > 3 and (k.startswith(q) or q.startswith(k)):
            best = PREFIX
        elif not best and lq > 4 and -3 < d < 3:
            bq, bk = _bigrams(q), _bigrams(k)
            if 2 * len(bq & bk) >= 0.6 * (len(bq) + len(bk)):  # Dice >= 0.6: two typos
                best = SHARED_BIGRAMS
    return best


@lru_cache(maxsize=1 << 16)
def _fuzzy_own(q: str, own_text: str) -> float:
    """``_fuzzy`` of a query key against a person's own keys, kept for the pairs seen
    last: queries are new each time, but their keys are the common names again and
    again, and so are the names they are scored against (the search's hot path)."""
    return _fuzzy(q, _measured(_parse_own(own_text)[1]))


@lru_cache(maxsize=1 << 16)
def _parse_own(own_text: str):
    # Keyed on the person's own keys alone: namesakes (a common name is a candidate for
    # many searches, hundreds of rows each) share them, whatever their fathers' names.
    own = tuple(dict.fromkeys(own_text.split()))
    titles = title_keys()
    return frozenset(own), own, tuple(k for k in own if k not in titles)


@lru_cache(maxsize=1 << 16)
def _measured(keys: tuple[str, ...]) -> tuple[tuple[str, str, int], ...]:
    """Each key with its skeleton and length, as ``_fuzzy`` reads them: made only for a
    name a query key does not match exactly. Made for every name scored, it was half of
    the scoring's time on lists of many different names (docs/benchmarks.md,
    twenty-seventh session), where most candidates hold every query key as it is."""
    return tuple((k, _skeleton(k), len(k)) for k in keys)


@lru_cache(maxsize=1 << 14)
def _bases(own_text: str) -> tuple[str, ...]:
    """Name parts proper: keys that are not a joined run of other stored keys. A join of
    the spelling may change the letters at the seam ("ale"+"ahmde" spelt together is
    "alihmde"), so a key that begins or ends like another key, less one letter, is a
    join too. Only a query matching every key asked for needs them (``UNCOVERED``): apart
    from ``_parse_own``, which every candidate needs."""
    own_set, _, own_names = _parse_own(own_text)
    by_length = sorted(own_set, key=len)
    return tuple(k for k in own_names if not _joined(k, by_length))


def _joined(key: str, by_length: list[str]) -> bool:
    """Whether ``key`` is a join of other keys (``by_length``: the person's keys,
    shortest first): it holds a shorter key, or begins or ends like one less a letter.
    Only shorter keys can, so the loop ends at the first key as long (a plain loop: run
    for every name a search has not seen yet)."""
    size = len(key)
    for other in by_length:
        if len(other) >= size:
            return False
        if other in key or (
            len(other) > 2 and (key.endswith(other[1:]) or key.startswith(other[:-1]))
        ):
            return True
    return False


@lru_cache(maxsize=1 << 14)
def _parse_context(context_text: str):
    context = tuple(dict.fromkeys(context_text.split()))
    return frozenset(context), context


@lru_cache(maxsize=4096)
def _plain_query(q: str) -> tuple[frozenset[str], bool]:
    """The query's keys other than initials, and whether one of them is repeated."""
    qkeys, initials, _ = _parse_query(q)
    plain = [k for k, initial in zip(qkeys, initials, strict=True) if not initial]
    return frozenset(plain), len(set(plain)) < len(plain)


def _contiguous(a: str, b: str, own: tuple[str, ...]) -> bool:
    ab, ba = a + b, b + a
    return any(ab in k or ba in k for k in own)


def score(q: str, keys: str) -> float:
    """How close the query ``q`` (raw text, either script) is to a person's stored keys.

    1.0 only when every query token equals a stored key token (a query pair that joins
    into a stored compound counts as equal), in any order, and the query's tokens stand
    next to each other in a stored name. Otherwise below 1.0: query tokens that are a
    subset of a longer name ("Ali Karimi" against "Ali Mohammad Karimi") 0.97 per gap,
    or leave out a stored name part ("Hossein" against "Amir Hossein") 0.98;
    same consonants with different long vowels 0.9; one edit 0.85; an initial 0.8 (at
    half weight), matched against a name token the other query tokens did not use. A
    query token found nowhere counts at about a third of its weight, so a father's name
    added to a query lowers the score only a little.

    ``keys`` is ``name_keys(...)`` of the person, optionally followed by `` | `` and
    context keys (e.g. ``name_keys(father_name)``). A query token that matches only a
    context key earns 0.9 if it is the query's last token (Persian and English lists
    put the patronymic after the name: "Ali Karimi son of Hassan") and 0.8 elsewhere,
    so context helps pick the right namesake but never makes an exact match.
    """
    own_text, _, context_text = keys.partition(_CONTEXT_MARK)
    own_text = own_text.strip()
    if context_text:
        # The context (a father's keys) is read only for a query key the person's own
        # keys do not hold, or hold once for a key asked twice: otherwise namesakes
        # score alike, and the score is computed once for all of them.
        plain, repeated = _plain_query(q)
        if not repeated and plain <= _parse_own(own_text)[0]:
            context_text = ""
    return _score(q, own_text, context_text.strip())


@lru_cache(maxsize=1 << 14)
def _score(q: str, own_text: str, context_text: str) -> float:
    qkeys, initials, joins = _parse_query(q)
    if not qkeys:
        return 0.0
    own_set, own, own_names = _parse_own(own_text)
    ctx_set, ctx = _parse_context(context_text)
    n = len(qkeys)
    credit = [0.0] * n
    used: set[str] = set()
    for i, k in enumerate(qkeys):
        if not initials[i] and k in own_set and k not in used:
            credit[i] = EXACT
            used.add(k)  # a repeated query token must find a second match
    for i, forms in enumerate(joins):
        if credit[i + 1] < EXACT and forms & own_set:
            credit[i] = credit[i + 1] = EXACT
            used.update(forms & own_set)
    for i, k in enumerate(qkeys):
        if credit[i]:
            continue
        if initials[i]:
            allowed = initial_letters(k)
            if any(o[0] in allowed and o not in used for o in own_names):
                credit[i] = INITIAL
            continue
        if k in ctx_set:
            credit[i] = CONTEXT_LAST if i == n - 1 else CONTEXT_ELSEWHERE
            continue
        if k in used:  # a repeat already matched once: only the context may take it
            continue
        credit[i] = _fuzzy_own(k, own_text)
        if credit[i] < ONE_EDIT and ctx and i == n - 1 and n > 2:  # a misspelt father
            credit[i] = max(credit[i], 0.9 * _fuzzy(k, _measured(ctx)))
    total = 0.0
    weights = 0.0
    for i in range(n):
        w = INITIAL_WEIGHT if initials[i] else 1.0
        if not credit[i]:
            w *= UNMATCHED_WEIGHT
        total += w * credit[i]
        weights += w
    result = total / weights
    for i in range(n - 1):
        if (
            credit[i] == EXACT
            and credit[i + 1] == EXACT
            and not joins[i] & own_set
            and not _contiguous(qkeys[i], qkeys[i + 1], own)
        ):
            result *= GAP
    if result == EXACT and any(not any(b in u for u in used) for b in _bases(own_text)):
        result *= UNCOVERED
    return result


def distinct_queries(texts) -> tuple[str, ...]:
    """Of ``texts`` (a person's names), the first of each query ``score`` reads alike: it
    reads a query's keys alone (``_parse_query``), so a name and its Persian spelling,
    which often key the same, score the same against any person's keys."""
    seen: set = set()
    out = []
    for text in texts:
        form = _parse_query(text)
        if form not in seen:
            seen.add(form)
            out.append(text)
    return tuple(out)


def is_exact_score(value: float) -> bool:
    """Whether a ``score`` means the same name, spelling and script aside: the one rule
    behind "same spelling" in the public lists, the API's ``exact``, the search's "the
    very name asked for" and the duplicate finder's "same name"."""
    return value >= EXACT


def is_exact(q: str, keys: str) -> bool:
    """True when ``q`` matches ``keys`` as the same name, spelling aside (score 1.0)."""
    return is_exact_score(score(q, keys))
