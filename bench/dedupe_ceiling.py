"""How much of a synthetic list's recall and precision any method could reach: every false
pair and every miss classified, and the generator's own likelihood ratio as a ceiling.

``python bench/dedupe_ceiling.py N [--seed S] [--make lexicon] [--cut BITS]``

Blocking and the names (the costly part, minutes at 100,000) are run once and remembered in
``/tmp/dedupe_ceiling_<make>_<n>_<seed>.pkl`` (``--fresh`` to redo them after a change to the
blocking or the names); the weighing is redone on every run, so a change to the weights is
measured in seconds.

At the cut (the shipped one unless ``--cut``), it counts:

* (a) false pairs whose two records agree on every field they hold, as the generator's two
  records of one person do (``dedupe_explain.indistinguishable``): no method that reads the
  records could separate them;
* (b) false pairs where a field disagrees, by the fields that disagree (what the model
  ignores or weighs too lightly);
* (c) misses whose names were not recognised as one name (the spellings shown);
* (d) misses separated or weighed down by a fact that disagrees (the generator's noise);
* (e) misses never blocked together;
* (f) misses weighed below the cut though every fact agrees (the namesakes' shadow), and
  how many of them have a stranger as alike as their duplicate.

Then the *oracle*: for the lexicon make, the likelihood ratio the generator itself implies
for each weighed pair (the name's, father's, prison's, fate's and event's frequencies in the
list; the year of birth the same 3 times in 5 and one off otherwise; the day of death kept
or dropped to the month), with none of the generator's artefacts (a year of birth given on
one side only, a date's precision, a Latin spelling repeated) used as evidence. Ranking the
weighed pairs by it gives the best recall and precision any pairwise method could reach on
the pairs the blocking brings (a ceiling, measured on the list it is computed from).
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.core import linkage
from bench.dedupe_explain import _entries, indistinguishable


def _cache(n: int, seed: int, make: str) -> Path:
    return Path(f"/tmp/dedupe_ceiling_{make}_{n}_{seed}.pkl")


def blocked(people: list, truth: set, path: Path, fresh: bool) -> dict:
    """The pairs the names let through (blocked, names similar, no deciding disagreement),
    with their name similarity, and what became of each true pair."""
    if path.exists() and not fresh:
        with path.open("rb") as fh:
            return pickle.load(fh)
    started = time.process_time()
    index = {p.ref: i for i, p in enumerate(people)}
    pairs = linkage.candidate_pairs(people)
    passed = {}
    for i, j in pairs:
        a, b = people[i], people[j]
        if linkage.vetoed(a, b):
            continue
        sim = linkage.name_similarity(a, b)
        if sim >= linkage.NAME_THRESHOLD:
            passed[(i, j)] = sim
    fate = {}
    for pair in truth:
        i, j = sorted(index[r] for r in pair)
        if (i, j) not in pairs:
            fate[pair] = "never blocked"
        elif reason := linkage.vetoed(people[i], people[j]):
            fate[pair] = f"separated: {reason}"
        elif (i, j) not in passed:
            fate[pair] = "names not recognised"
        else:
            fate[pair] = "weighed"
    out = {
        "passed": passed,
        "fate": fate,
        "blocked": len(pairs),
        "cpu": time.process_time() - started,
    }
    with path.open("wb") as fh:
        pickle.dump(out, fh)
    return out


def weigh(people: list, passed: dict) -> dict:
    freq = linkage.Frequencies.of(people)
    out = {}
    for (i, j), sim in passed.items():
        a, b = people[i], people[j]
        if a.ref > b.ref:
            a, b = b, a
        vector = linkage.levels(a, b, sim)
        weight, _reasons = linkage.weigh(a, b, vector, freq)
        out[frozenset((a.ref, b.ref))] = (weight, vector, a, b)
    return out


# --- The generator's likelihood ratio (the lexicon make) ------------------------------


class Oracle:
    """log2 of P(the two records | one person) / P(the two records | strangers), as
    ``bench.synthetic`` makes them, from the list's own frequencies."""

    def __init__(self, people: list):
        self.n = Counter()
        self.count: dict[str, Counter] = defaultdict(Counter)
        for p in people:
            ev = p.event
            self.n[ev] += 1
            self.count["name"][(ev, p.gender, _entries(p))] += 1
            self.count["gender"][(ev, p.gender)] += 1
            self.count["father"][p.father_entry or p.father_keys] += 1
            self.count["prison"][(ev, p.prison or "")] += 1
            self.count["fate"][(ev, p.fate)] += 1
            if p.birth_year:
                self.count["birth"][(ev, p.birth_year)] += 1
                self.count["birth known"][ev] += 1
            if p.death_date:
                self.count["death"][(ev, _shown(p))] += 1
                self.count["death coarse"][(ev, _coarse(p, "month"))] += 1
                self.count["death coarse"][(ev, _coarse(p, "year"))] += 1
                self.count["death known"][ev] += 1
        self.total = sum(self.n.values())

    def _p(self, what: str, key, of: float) -> float:
        return max(self.count[what][key], 1) / of

    def bits(self, a, b, prior_pairs: float) -> float:
        ev = a.event
        n = self.n[ev]
        # The generator's two records of one person never differ on these: a difference
        # is a stranger.
        same = (
            _entries(a) == _entries(b)
            and (a.father_entry or a.father_keys) == (b.father_entry or b.father_keys)
            and (a.prison, a.fate, a.event, a.gender) == (b.prison, b.fate, b.event, b.gender)
        )
        if not same:
            return -60.0
        lr = -math.log2(self._p("name", (ev, a.gender, _entries(a)), n))
        lr -= math.log2(self._p("father", a.father_entry or a.father_keys, self.total))
        lr -= math.log2(self._p("prison", (ev, a.prison or ""), n))
        lr -= math.log2(self._p("fate", (ev, a.fate), n))
        lr -= math.log2(self.n[ev] / self.total)  # same event
        if a.birth_year and b.birth_year:
            gap = abs(a.birth_year - b.birth_year)
            stay = 0.6 if gap == 0 else 0.2 if gap == 1 else 1e-9
            lr += math.log2(
                stay / self._p("birth", (ev, b.birth_year), self.count["birth known"][ev])
            )
        if a.death_date and b.death_date:
            lr += self._death_bits(a, b, ev)
        return lr + math.log2(prior_pairs)

    def _death_bits(self, a, b, ev) -> float:
        known = self.count["death known"][ev]
        ra = linkage._PRECISION_RANK.get(a.death_date_precision, 3)
        rb = linkage._PRECISION_RANK.get(b.death_date_precision, 3)
        level = linkage.death_date_agreement(a, b)
        if level == "different":
            return -30.0
        if ra == rb == 3:  # a day kept (7 times in 10) on both sides
            return math.log2(0.7 / self._p("death", (ev, _shown(b)), known))
        if {ra, rb} == {3, 2}:  # a day dropped to the month (3 times in 10)
            month = a if ra == 2 else b
            return math.log2(0.3 / self._p("death", (ev, _shown(month)), known))
        # Otherwise compared at the coarser precision, without reading the precision
        # itself as evidence (an artefact of the generator, not of real lists).
        coarse = "month" if min(ra, rb) == 2 else "year"
        return -math.log2(self._p("death coarse", (ev, _coarse(b, coarse)), known))


def _shown(p):
    return (p.death_date, p.death_date_precision)


def _coarse(p, to: str):
    d = p.death_date
    return (to, d.year, d.month if to == "month" else 0)


# --- Classification --------------------------------------------------------------------


def _disagreements(vector: dict) -> list[str]:
    bad = []
    for comparison, level in vector.items():
        if comparison == "name" and level != "same":
            bad.append(f"name {level}")
        elif comparison == "father" and level != "same":
            bad.append(f"father {level}")
        elif comparison == "birth" and level == "2":
            bad.append("birth 2 apart")
        elif level in ("different", "days apart"):
            bad.append(f"{comparison} {level}")
    return bad


def curve(scores: dict, truth: set, cuts) -> list[tuple]:
    out = []
    for cut in cuts:
        chosen = {p for p, w in scores.items() if w >= cut}
        hits = len(chosen & truth)
        out.append((cut, hits / len(truth), hits / max(1, len(chosen)), len(chosen)))
    return out


def best_at(scores: dict, truth: set, precision: float) -> tuple[float, float]:
    """The highest recall at which precision is still at least ``precision``, and the
    precision at recall 0.97 (ranking by the scores)."""
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    hits = 0
    best = 0.0
    at97 = None
    for k, (pair, _w) in enumerate(ranked, 1):
        hits += pair in truth
        if hits / k >= precision:
            best = max(best, hits / len(truth))
        if at97 is None and hits / len(truth) >= 0.97:
            at97 = hits / k
    return best, at97 or 0.0


def _show(c) -> str:
    return f"{' / '.join(c.names)} (father {c.father_name or '-'}, {c.birth_year or '-'})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--make", choices=("realistic", "lexicon"), default="lexicon")
    parser.add_argument("--cut", type=float, default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    from bench.dedupe_estimate import candidate
    from bench.synthetic import list_with_gaps

    rows, truth, kinds = list_with_gaps(args.n, seed=args.seed, make=args.make)
    people = [candidate(r) for r in rows]
    cut = linkage.propose_weight() if args.cut is None else args.cut
    data = blocked(people, truth, _cache(args.n, args.seed, args.make), args.fresh)
    started = time.process_time()
    scored = weigh(people, data["passed"])
    print(f"people={len(people):,} true pairs={len(truth):,} blocked={data['blocked']:,} "
          f"weighed={len(scored):,} cpu: blocking and names {data['cpu']:.0f}s, "
          f"weighing {time.process_time() - started:.0f}s; cut {cut:.2f} bits")  # fmt: skip
    found = {p for p, (w, *_r) in scored.items() if w >= cut}
    false = found - truth
    hits = found & truth
    print(f"at the cut: recall {len(hits) / len(truth):.3f} precision "
          f"{len(hits) / max(1, len(found)):.3f} ({len(found):,} proposed)")  # fmt: skip
    from bench.dedupe_bench import figures

    print("\n".join(figures(found, truth, kinds)))

    doubtful = {p for p in scored if p not in truth and indistinguishable(*scored[p][2:])}
    a_count = len(false & doubtful)
    b_fields: Counter = Counter()
    b_examples = []
    for pair in false - doubtful:
        _w, vector, a, b = scored[pair]
        bad = _disagreements(vector) or ["none weighed (a fact the model does not compare)"]
        b_fields[", ".join(bad)] += 1
        if len(b_examples) < args.examples:
            b_examples.append(f"      {vector} | {_show(a)} | {_show(b)}")
    print(f"\nfalse pairs proposed: {len(false)}")
    print(f"  (a) indistinguishable on every field both hold: {a_count}")
    print(f"  (b) a field disagrees: {len(false) - a_count}")
    for what, k in b_fields.most_common(20):
        print(f"      {k:5}  {what}")
    print("\n".join(b_examples))

    missed = truth - found
    by = Counter()
    examples = defaultdict(list)
    shadowed = {r for p in doubtful for r in p}
    for pair in missed:
        what = data["fate"][pair]
        i_ref, j_ref = sorted(pair)
        if what == "never blocked":
            cls = "(e) never blocked together"
        elif what == "names not recognised":
            cls = "(c) names not recognised as one"
        elif what.startswith("separated"):
            cls = f"(d) {what}"
        else:
            _w, vector, a, b = scored[pair]
            bad = _disagreements(vector)
            if any(x.startswith("name") for x in bad):
                cls = "(c) names weighed as similar, not the same"
            elif bad:
                cls = f"(d) below the cut with {', '.join(bad)}"
            elif pair & shadowed:
                cls = "(f) every fact agrees; a stranger as alike exists"
            else:
                cls = "(f) every fact agrees; below the cut"
        by[cls] += 1
        if cls[:3] in ("(c)", "(e)", "(d)") and len(examples[cls]) < args.examples:
            idx = {p.ref: p for p in people}
            examples[cls].append(f"      {_show(idx[i_ref])} | {_show(idx[j_ref])}")
    print(f"\nmissed true pairs: {len(missed)}")
    for cls, k in sorted(by.items()):
        print(f"  {k:5}  {cls}")
        print("\n".join(examples.get(cls, [])))

    weights = {p: w for p, (w, *_r) in scored.items()}
    cuts = (-5.0, -4.0, -3.0, -2.5, -2.0, -1.58, -1.0, -0.5, 0.0, 1.0, 2.0)
    print("\nthe shipped model: cut, recall, precision, proposed")
    for c, r, p, k in curve(weights, truth, cuts):
        print(f"  {c:6.2f}  {r:.3f}  {p:.3f}  {k:,}")
    best, at97 = best_at(weights, truth, 0.95)
    print(f"  best recall at precision >= 0.95: {best:.3f}; precision at recall 0.97: {at97:.3f}")
    if args.make == "lexicon":
        oracle = Oracle(people)
        prior = len(truth) / (len(people) * (len(people) - 1) / 2)
        ratio = {p: oracle.bits(a, b, prior) for p, (_w, _v, a, b) in scored.items()}
        best, at97 = best_at(ratio, truth, 0.95)
        print("\nthe generator's likelihood ratio (the oracle), on the same weighed pairs:")
        for c, r, p, k in curve(ratio, truth, (-4.0, -2.0, -1.0, 0.0, 1.0, 2.0)):
            print(f"  {c:6.2f}  {r:.3f}  {p:.3f}  {k:,}")
        print(f"  best recall at precision >= 0.95: {best:.3f}; "
              f"precision at recall 0.97: {at97:.3f}")  # fmt: skip
        reach = sum(1 for p in truth if p in scored) / len(truth)
        print(f"  (true pairs weighed at all: {reach:.3f})")


if __name__ == "__main__":
    main()
