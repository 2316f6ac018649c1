"""Known-answer queries for the people search, built from a synthetic corpus.

``build_queries(rows)`` picks people from rows made by ``bench.synthetic`` and writes,
for each kind below, queries the way a relative or a researcher would type them, each
tagged with its kind and the ref of the person it was made from:

=================  ==========================================================
exact_latin        the Latin name as stored
exact_fa           the Persian name as stored
variant_latin      another Latin spelling from the lexicon (Muhammad Husseini)
arabic_keyboard    the Persian name typed with ي ك ة and hamza forms (أحمد)
spacing_fa         ZWNJ dropped or added, compounds split or joined (محمد رضا)
typo               one letter inserted, dropped, changed or two swapped (Latin)
initial            given name as an initial: "M. Hosseini"
order              family name first, with or without a comma
with_father        name plus father's name ("Ali Karimi son of Hassan")
cross_script       Latin query for a person known only in Persian, and the reverse
=================  ==========================================================

Namesakes. Many people share a name (that is realistic), so a query often has several
right answers and a ranker cannot be blamed for picking another namesake. Each query
therefore carries ``accept``: every ref whose name is the same lexicon name as the
target's, i.e. the same given-name entry and family-name entry, whatever the spelling
or script it is stored in (titles such as Seyed/Sadat/Haj are ignored: they are
honorifics, not names). For ``with_father`` the father's given name must match too; for
``initial``, any person with that family name whose given name has a Latin spelling
starting with that letter is a right answer. Identity comes from the lexicon, not from
``archive.core.names`` keys, so a key that wrongly merges two names is not excused.

``recall_at(results_by_query, k)`` is the share of queries with at least one accepted
ref among the first ``k`` results, per kind and overall. Pure Python, no Django.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from archive.core.names import name_keys, normalize_persian, score
from archive.core.names.lexicon import Entry, compound_parts, parse_name
from bench.synthetic import name_entries, render_fa, render_latin, spelling

KINDS = (
    "exact_latin",
    "exact_fa",
    "variant_latin",
    "arabic_keyboard",
    "spacing_fa",
    "typo",
    "initial",
    "order",
    "with_father",
    "cross_script",
)


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    ref: str  # the person the query was made from
    accept: frozenset[str]  # refs that count as a hit (the person and namesakes)


def _identity(entries: Sequence[Entry]) -> tuple[str, ...]:
    return tuple(e.id for e in entries if e.kind != "title")


def _father(row: dict) -> Entry | None:
    found = parse_name(row.get("father_name", ""), kinds=("given",))
    return found[0] if found else None


def _without_titles(entries: Sequence[Entry]) -> list[Entry]:
    return [e for e in entries if e.kind != "title"]


# --------------------------------------------------------------------- query makers
# Each maker returns the query text for a row, or None when the kind does not apply.

_LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _exact_latin(row, entries, rng):
    return row["name_latin"] or None


def _exact_fa(row, entries, rng):
    return row["name_fa"] or None


def _variant_latin(row, entries, rng):
    if not row["name_latin"]:
        return None
    for _ in range(5):
        text = " ".join(spelling(e, rng, avoid="") for e in entries)
        if text.replace("-", " ") != row["name_latin"].replace("-", " "):
            return text
    respelt = [spelling(e, rng, avoid=e.latin[0]) for e in entries]
    text = " ".join(respelt)
    return text if text != row["name_latin"] else None


def _to_arabic_keyboard(word: str, rng: random.Random, latin: str) -> str:
    if word.endswith("یی"):
        word = word[:-2] + "ئي"  # رضایی -> رضائي
    word = word.replace("ی", "ي").replace("ک", "ك")
    if word.endswith("ه") and rng.random() < 0.8:
        word = word[:-1] + "ة"  # فاطمه -> فاطمة
    if word.startswith("ا") and latin[:1].lower() in "aeio" and rng.random() < 0.8:
        word = ("إ" if latin[:1].lower() in "ei" else "أ") + word[1:]
    if rng.random() < 0.3:
        word = word.replace("\u200c", "")
    return word


def _arabic_keyboard(row, entries, rng):
    if not row["name_fa"]:
        return None
    words = [_to_arabic_keyboard(e.fa, rng, e.latin[0]) for e in entries]
    text = " ".join(words)
    return text if normalize_persian(text) != text else None


def _split_fa(word: str) -> tuple[str, str] | None:
    if "\u200c" in word:
        head, _, tail = word.partition("\u200c")
        return head, tail
    _, persian = compound_parts()
    for i in range(len(word) - 2, 1, -1):
        if word[:i] in persian and word[i:] in persian:
            return word[:i], word[i:]
    return None


def _spacing_fa(row, entries, rng):
    if not row["name_fa"]:
        return None
    words, changed = [], False
    for e in entries:
        parts = _split_fa(e.fa)
        if parts and not changed:
            head, tail = parts
            # drop the ZWNJ or write a space; split a joined compound with either
            joiner = rng.choice(("", " ") if "\u200c" in e.fa else (" ", "\u200c"))
            words.append(head + joiner + tail)
            changed = True
        else:
            words.append(e.fa)
    if not changed:
        return None
    return " ".join(words)


def _typo(row, entries, rng):
    name = row["name_latin"] or render_latin(entries, rng)
    words = name.split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not candidates:
        return None
    i = rng.choice(candidates)
    w = words[i]
    at = rng.randrange(1, len(w) - 1)  # first letters are rarely mistyped
    op = rng.choice(("insert", "delete", "substitute", "transpose"))
    if op == "insert":
        w = w[:at] + rng.choice(_LATIN_LETTERS) + w[at:]
    elif op == "delete":
        w = w[:at] + w[at + 1 :]
    elif op == "substitute":
        w = w[:at] + rng.choice(_LATIN_LETTERS.replace(w[at].lower(), "")) + w[at + 1 :]
    else:
        w = w[: at - 1] + w[at] + w[at - 1] + w[at + 1 :]
    words[i] = w
    text = " ".join(words)
    return text if text.lower() != name.lower() else None


def _latin_parts(row, entries, rng) -> tuple[str, str] | None:
    plain = _without_titles(entries)
    if len(plain) != 2:
        return None
    given, family = plain
    return spelling(given, rng), spelling(family, rng)


def _initial(row, entries, rng):
    if not row["name_latin"]:
        return None
    parts = _latin_parts(row, entries, rng)
    if not parts:
        return None
    given, family = parts
    return f"{given[0].upper()}. {family}"


def _order(row, entries, rng):
    plain = _without_titles(entries)
    if len(plain) != 2:
        return None
    given, family = plain
    name = row["name_latin"]
    if name:
        fam = next((v for v in family.latin if name.endswith(v)), None)
        if fam is None:
            return None
        first = name[: -len(fam)].strip()
        for title in ("Seyed ", "Haj "):
            first = first.removeprefix(title)
        return f"{fam}, {first}" if rng.random() < 0.5 else f"{fam} {first}"
    sep = "، " if rng.random() < 0.5 else " "
    return f"{family.fa}{sep}{given.fa}"


def _with_father(row, entries, rng):
    father = _father(row)
    if father is None:
        return None
    if row["name_latin"] and (not row["name_fa"] or rng.random() < 0.6):
        rel = "son" if row["gender"] == "male" else "daughter"
        pattern = rng.choice(("{n} {r} of {f}", "{n} {f}", "{n}, {r} of {f}", "{n} s/o {f}"))
        if rel == "daughter" and "s/o" in pattern:
            pattern = "{n} d/o {f}"
        return pattern.format(n=row["name_latin"], r=rel, f=spelling(father, rng))
    if row["name_fa"]:
        pattern = rng.choice(("{n} فرزند {f}", "{n} {f}"))
        return pattern.format(n=row["name_fa"], f=father.fa)
    return None


def _cross_script(row, entries, rng):
    if row["name_fa"] and not row["name_latin"]:
        return render_latin(entries, rng)
    if row["name_latin"] and not row["name_fa"]:
        return render_fa(entries)
    return None


_MAKERS: dict[str, Callable] = {
    "exact_latin": _exact_latin,
    "exact_fa": _exact_fa,
    "variant_latin": _variant_latin,
    "arabic_keyboard": _arabic_keyboard,
    "spacing_fa": _spacing_fa,
    "typo": _typo,
    "initial": _initial,
    "order": _order,
    "with_father": _with_father,
    "cross_script": _cross_script,
}


def build_queries(rows: Iterable[dict], seed: int = 0, per_kind: int = 100) -> list[Query]:
    """Up to ``per_kind`` known-answer queries of each kind (fewer if too few people fit)."""
    rows = list(rows)
    rng = random.Random(f"queries:{seed}")
    entries_by_ref = {r["ref"]: name_entries(r) for r in rows}
    fathers = {r["ref"]: _father(r) for r in rows}
    by_name: dict[tuple[str, ...], set[str]] = defaultdict(set)
    by_family: dict[str, list[tuple[Entry, str]]] = defaultdict(list)
    for ref, entries in entries_by_ref.items():
        if not entries:
            continue
        by_name[_identity(entries)].add(ref)
        plain = _without_titles(entries)
        by_family[plain[-1].id].append((plain[0], ref))

    def accept(kind: str, row: dict, text: str) -> frozenset[str]:
        entries = entries_by_ref[row["ref"]]
        same = by_name[_identity(entries)]
        if kind == "with_father":
            father = fathers[row["ref"]]
            same = {r for r in same if fathers[r] == father}
        elif kind == "initial":
            letter = text[0].lower()
            family = _without_titles(entries)[-1].id
            same = {
                ref
                for given, ref in by_family[family]
                if any(v.lower().startswith(letter) for v in given.latin)
            }
        return frozenset(same | {row["ref"]})

    usable = [r for r in rows if entries_by_ref[r["ref"]]]
    queries: list[Query] = []
    for kind in KINDS:
        maker = _MAKERS[kind]
        order = usable[:]
        rng.shuffle(order)
        made = 0
        for row in order:
            if made >= per_kind:
                break
            text = maker(row, entries_by_ref[row["ref"]], rng)
            if not text:
                continue
            queries.append(Query(text, kind, row["ref"], accept(kind, row, text)))
            made += 1
    return queries


# ----------------------------------------------------------------------------- scoring


def person_keys(row: dict, with_father: bool = True) -> str:
    """The keys ``score`` sees for a row: its names, then `` | `` and the father's keys."""
    keys = name_keys(row.get("name_latin", ""), row.get("name_fa", ""), *row.get("aliases", ()))
    if with_father and row.get("father_name"):
        keys += " | " + name_keys(row["father_name"])
    return keys


def rank_brute_force(
    queries: Iterable[Query], rows: Iterable[dict], k: int = 10
) -> dict[Query, list[str]]:
    """The top ``k`` refs per query by ``score`` against every row (ties keep row order)."""
    keyed = [(r["ref"], person_keys(r)) for r in rows]
    results = {}
    for query in queries:
        scored = [(score(query.text, keys), i) for i, (_, keys) in enumerate(keyed)]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        results[query] = [keyed[i][0] for _, i in scored[:k]]
    return results


def recall_at(results_by_query: Mapping[Query, Sequence[str]], k: int) -> dict[str, float]:
    """Share of queries with an accepted ref in the top ``k``, per kind and "overall"."""
    hits: dict[str, list[bool]] = defaultdict(list)
    for query, refs in results_by_query.items():
        hit = any(ref in query.accept for ref in refs[:k])
        hits[query.kind].append(hit)
        hits["overall"].append(hit)
    return {kind: sum(v) / len(v) for kind, v in hits.items()}


def recall_table(results_by_query: Mapping[Query, Sequence[str]]) -> str:
    """recall@1 and recall@10 per kind as a small text table, for logs and reports."""
    r1, r10 = recall_at(results_by_query, 1), recall_at(results_by_query, 10)
    counts: dict[str, int] = defaultdict(int)
    for query in results_by_query:
        counts[query.kind] += 1
        counts["overall"] += 1
    lines = [f"{'kind':<16} {'n':>5} {'R@1':>6} {'R@10':>6}"]
    for kind in [*KINDS, "overall"]:
        if kind in r1:
            lines.append(f"{kind:<16} {counts[kind]:>5} {r1[kind]:>6.3f} {r10[kind]:>6.3f}")
    return "\n".join(lines)
