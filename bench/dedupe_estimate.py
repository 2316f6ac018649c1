"""Estimating the m and u of ``archive.core.linkage`` from data, offline.

``python bench/dedupe_estimate.py [N] [--seed S] [--splink]`` makes a synthetic list of N
people (``bench.synthetic.list_with_gaps``: a third without a year of birth, a fifth of the
pairs in one script each), then estimates, for every comparison level the linkage uses:

* u, from random pairs of records (strangers, but for a handful): how often two people
  who are not one agree at that level, among pairs where both have the fact;
* m, by expectation-maximisation over the blocked pairs the linkage actually weighs
  (names matching, no deciding disagreement), u held fixed, as Splink does it; the prior
  (the share of those pairs that are one person) is estimated with it;
* m as the truth gives it (the synthetic list knows its pairs), as a check of the EM.

With ``--splink`` it also trains Splink 5 (DuckDB) on the same list (bench/dedupe_splink.py,
a bench-only dependency) and prints its m and u beside ours. The figures go in
docs/dedupe.md beside the hand-set ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.core import linkage
from archive.core.linkage import LEVELS, Candidate


def candidate(row: dict) -> Candidate:
    date = row["death_date"]
    return Candidate(
        ref=row["ref"],
        name_latin=row["name_latin"],
        name_fa=row["name_fa"],
        aliases=tuple(row.get("aliases") or ()),
        father_name=row["father_name"],
        gender=row["gender"],
        birth_year=row["birth_year"],
        prison=row["prison"] or None,
        death_date=dt.date.fromisoformat(date) if date else None,
        death_date_precision=row["death_date_precision"],
        event=row["event"],
        fate=row["fate"],
        # The realistic make's person facts (bench/synthetic_realistic.py); the lexicon
        # make's rows have none.
        birth_place=row.get("birth_place") or None,
        occupation=row.get("occupation", ""),
        religion=row.get("religion", ""),
        ethnicity=row.get("ethnicity", ""),
        civil_status=row.get("civil_status", ""),
        arrest_date=dt.date.fromisoformat(arrest) if (arrest := row.get("arrest_date")) else None,
        arrest_date_precision=row.get("arrest_date_precision", ""),
    )


def all_levels(a: Candidate, b: Candidate) -> dict[str, str]:
    """Every comparison both records have, vetoed levels included (for u)."""
    sim = linkage.name_similarity(a, b)
    out = {}
    if sim >= linkage.NAME_THRESHOLD:
        out["name"] = linkage.name_level(sim)
    else:
        out["name"] = "other"
    return out | {k: v for k, v in linkage.levels(a, b, sim).items() if k != "name"}


def estimate_u(people: list[Candidate], truth: set, pairs: int, seed: int) -> dict:
    rng = random.Random(seed)
    seen: dict[str, Counter] = defaultdict(Counter)
    known: Counter = Counter()
    n = len(people)
    for _ in range(pairs):
        a, b = people[rng.randrange(n)], people[rng.randrange(n)]
        if a is b or frozenset((a.ref, b.ref)) in truth:
            continue
        if (a.event and b.event and a.event != b.event) or (
            a.gender and b.gender and a.gender != b.gender
        ):
            continue  # never weighed: strangers are compared within an event and a gender
        vector = all_levels(a, b)
        # Both known but vetoed: counted as known, in no level.
        if a.father_key and b.father_key:
            known["father"] += 1
        if a.birth_year and b.birth_year:
            known["birth"] += 1
        for comparison in (
            "prison",
            "death",
            "death_place",
            "fate",
            "arrest",
            *linkage.PERSON_LEVELS,
        ):
            if comparison in vector:
                known[comparison] += 1
        known["name"] += 1
        for comparison, level in vector.items():
            seen[comparison][level] += 1
    return {
        c: {level: count / known[c] for level, count in levels.items()}
        for c, levels in seen.items()
    }


def em(vectors: list[dict], u: dict, share: float, rounds: int = 30) -> dict:
    """m per level, by EM with u and the share of pairs that match held fixed (Splink's
    ``fix_probability_two_random_records_match``: left free, the share runs to 1 on pairs
    that all agree on the name, m taking the distribution of every pair)."""
    comparisons = {c for v in vectors for c in v}
    m = {c: {level: m0 for level, (m0, _u0) in LEVELS[c].items()} for c in comparisons}
    if "name" in comparisons:
        m["name"]["other"] = 0.01
    for _ in range(rounds):
        sums: dict[str, Counter] = defaultdict(Counter)
        totals: Counter = Counter()
        matched = 0.0
        for vector in vectors:
            log_m = math.log(share)
            log_u = math.log(1 - share)
            for c, level in vector.items():
                log_m += math.log(max(m[c].get(level, 1e-6), 1e-9))
                log_u += math.log(max(u.get(c, {}).get(level, 1e-6), 1e-9))
            p = 1 / (1 + math.exp(min(50, log_u - log_m)))
            matched += p
            for c, level in vector.items():
                sums[c][level] += p
                totals[c] += p
        m = {
            c: {level: sums[c][level] / totals[c] for level in m[c]} if totals[c] else m[c]
            for c in m
        }
    return m


def deterministic_share(vectors: list[dict], recall: float = 0.8) -> float:
    """The share of weighed pairs that match, from a rule a researcher would trust (same
    father, and a year of birth at most one apart or the same month of death), assuming it
    finds ``recall`` of them (Splink's ``estimate_probability_two_random_records_match``)."""
    sure = sum(
        1
        for v in vectors
        if v.get("father") == "same"
        and (v.get("birth") in ("0", "1") or v.get("death") in ("same day", "same month"))
    )
    return min(0.99, sure / recall / len(vectors))


def other_session(people: list[Candidate]) -> list[dict]:
    blocks = defaultdict(list)
    for person in people:
        if person.father_key and person.birth_year and person.prison:
            blocks[(person.father_key, person.birth_year, person.prison, person.event)].append(
                person
            )
    vectors = []
    for members in blocks.values():
        if len(members) > 50:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if linkage.vetoed(a, b):
                    continue
                vector = {k: v for k, v in all_levels(a, b).items() if k in ("name", "death")}
                vectors.append(vector)
    return vectors


def deterministic_share_names(vectors: list[dict]) -> float:
    # Blocked on father, year and prison: a same-day death is the trusted rule here.
    sure = sum(1 for v in vectors if v.get("death") == "same day")
    return min(0.99, max(sure, 1) / 0.4 / len(vectors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--random-pairs", type=int, default=150_000)
    parser.add_argument("--splink", action="store_true", help="Also train Splink 5 (DuckDB).")
    parser.add_argument(
        "--make",
        choices=("realistic", "lexicon"),
        default="realistic",
        help="The list's make (bench/synthetic.py); lexicon: the earlier one.",
    )
    args = parser.parse_args()
    from bench.synthetic import list_with_gaps

    started = time.monotonic()
    rows, truth, _kinds = list_with_gaps(args.n, seed=args.seed, make=args.make)
    people = [candidate(r) for r in rows]
    u = estimate_u(people, truth, args.random_pairs, args.seed)
    vectors, labelled = [], defaultdict(Counter)
    for i, j in linkage.candidate_pairs(people):
        a, b = people[i], people[j]
        if linkage.vetoed(a, b):
            continue
        sim = linkage.name_similarity(a, b)
        if sim < linkage.NAME_THRESHOLD:
            continue
        vector = linkage.levels(a, b, sim)
        vectors.append(vector)
        if frozenset((a.ref, b.ref)) in truth:
            for c, level in vector.items():
                labelled[c][level] += 1
    # Splink's way: a comparison the pairs were blocked on cannot be estimated from them.
    # The names, blocked on, are estimated from a second session blocked on the father's
    # name, the year of birth and the prison instead.
    share = deterministic_share(vectors)
    m = em([{c: v for c, v in vec.items() if c != "name"} for vec in vectors], u, share)
    second = other_session(people)
    m["name"] = em(second, u, deterministic_share_names(second))["name"]
    print(f"{len(people):,} people, {len(truth):,} true pairs, {len(vectors):,} pairs weighed; "
          f"{share:.4f} of them match by the rule ({time.monotonic() - started:.0f}s)")  # fmt: skip
    print(f"{'comparison':12} {'level':11} {'m set':>6} {'m EM':>6} {'m true':>6} "
          f"{'u set':>7} {'u sampled':>9} {'m Splink':>8} {'u Splink':>8}")  # fmt: skip
    splink = {}
    if args.splink:
        from bench.dedupe_splink import train

        splink = train(rows)
    for c, levels in LEVELS.items():
        total = sum(labelled[c].values()) or 1
        for level, (m0, u0) in levels.items():
            print(
                f"{c:12} {level:11} {m0:6.3f} {m.get(c, {}).get(level, 0):6.3f} "
                f"{labelled[c][level] / total:6.3f} {u0:7.4f} {u.get(c, {}).get(level, 0):9.4f}"
                + (" {:8.3f} {:8.4f}".format(*splink.get(c, {}).get(level, (0, 0))))
            )


if __name__ == "__main__":
    main()
