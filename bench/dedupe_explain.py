"""Where the duplicate finding loses recall and precision, on a synthetic list.

``python bench/dedupe_explain.py N [--seed S] [--make lexicon]``
weighs every blocked pair of ``bench.synthetic.list_with_gaps`` with the core
(``archive.core.linkage``, no database) and prints:

* the missed true pairs by cause: never compared (blocking), names not similar enough,
  separated by a deciding disagreement, or weighed below the cut (with the levels seen);
* the false pairs proposed, each marked *indistinguishable* when the two records agree on
  every fact both carry, as the generator's two records of one person do (same name and
  father's name as the lexicon reads them, same event and gender, years of birth at most
  one apart, same prison, fate and date of death as far as both know them): no method
  could tell such strangers from a duplicate, and the figures are given with and without
  them (never silently);
* recall and precision against the cut, in bits, to choose the threshold on one list and
  report it on another made with a different seed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.core import linkage
from archive.core.names.lexicon import parse_name

CUTS = (-4.0, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0)


def _entries(c: linkage.Candidate) -> tuple | None:
    for name in c.names:
        if found := parse_name(name):
            return tuple(e.fa for e in found if e.kind != "title")
    return None


def _same_name(a: linkage.Candidate, b: linkage.Candidate) -> bool:
    """The lexicon reads both as the same names or, for the realistic make's built family
    names, which it cannot read, the names' joined keys meet."""
    x, y = _entries(a), _entries(b)
    if x is not None and y is not None:
        return x == y
    return bool(a.joined & b.joined)


def _agree(x, y) -> bool:
    return not x or not y or x == y


def indistinguishable(a: linkage.Candidate, b: linkage.Candidate) -> bool:
    """Do the two records agree on every fact both carry, as two records of one person
    made by the generator do? (The generator's duplicates are exact copies but for the
    spelling, a year of birth one off and a day of death dropped.)"""
    if not _same_name(a, b):
        return False
    if not _agree(a.father_entry, b.father_entry) or not _agree(a.event, b.event):
        return False
    if not _agree(a.gender, b.gender) or not _agree(a.prison, b.prison):
        return False
    if not _agree(a.fate if a.fate != "unknown" else "", b.fate if b.fate != "unknown" else ""):
        return False
    if a.birth_year and b.birth_year and abs(a.birth_year - b.birth_year) > 1:
        return False
    if not all(_agree(getattr(a, f), getattr(b, f)) for f in linkage.PERSON_LEVELS):
        return False
    if linkage.arrest_date_agreement(a, b) == "different":
        return False
    return linkage.death_date_agreement(a, b) in (None, "same day", "same month", "same year")


def weigh_all(people: list[linkage.Candidate]):
    """The blocked pairs, and every blocked pair the linkage weighs, by pair of refs."""
    pairs = linkage.candidate_pairs(people)
    freq = linkage.Frequencies.of(people)
    scored = {}
    for i, j in pairs:
        a, b = people[i], people[j]
        if a.ref > b.ref:
            a, b = b, a
        if match := linkage.score_pair(a, b, freq=freq):
            scored[frozenset((a.ref, b.ref))] = match
    return pairs, scored


def curve(scored: dict, truth: set, doubtful: set, cuts=CUTS) -> list[tuple]:
    """(cut, recall, precision, precision without the indistinguishable false pairs)."""
    out = []
    for cut in sorted({*cuts, round(linkage.propose_weight(), 2)}):
        chosen = {p for p, m in scored.items() if m.weight >= cut}
        hits = len(chosen & truth)
        honest = len(chosen - doubtful)
        out.append((cut, hits / len(truth), hits / max(1, len(chosen)), hits / max(1, honest)))
    return out


def _show(c: linkage.Candidate) -> str:
    return f"{c.ref} {' / '.join(c.names)} (father {c.father_name or '-'}, {c.birth_year or '-'})"


def explain(rows: list[dict], truth: set, kinds: dict, cut: float, examples: int = 0) -> list[str]:
    from bench.dedupe_estimate import candidate

    started = time.process_time()
    people = [candidate(r) for r in rows]
    index = {p.ref: i for i, p in enumerate(people)}
    pairs, scored = weigh_all(people)
    seconds = time.process_time() - started
    found = {p for p, m in scored.items() if m.weight >= cut}
    lines = [f"people={len(people):,} blocked pairs={len(pairs):,} weighed={len(scored):,} "
             f"cpu={seconds:.0f}s cut={cut} bits"]  # fmt: skip
    causes: Counter = Counter()
    shown: list[str] = []
    for pair in truth - found:
        i, j = sorted(index[r] for r in pair)
        a, b = people[i], people[j]
        kind = kinds[pair]
        tag = ("birth" if kind["birth"] else "no birth") + (
            ", one script" if kind["one_script"] else ""
        )
        if (i, j) not in pairs:
            cause = "never compared (blocking)"
        elif reason := linkage.vetoed(a, b):
            cause = f"separated: {reason}"
        elif pair not in scored:
            cause = "names not similar enough"
        else:
            levels = ", ".join(f"{k} {v}" for k, v in sorted(scored[pair].levels.items()))
            cause = f"below the cut: {levels}"
        causes[(cause, tag)] += 1
        if examples and not cause.startswith("below") and len(shown) < examples:
            shown.append(f"    {cause}: {_show(a)} | {_show(b)}")
    lines.append(f"missed true pairs: {len(truth - found)} of {len(truth)}")
    lines += [f"  {n:5}  [{tag}] {cause}" for (cause, tag), n in causes.most_common(25)]
    lines += shown
    doubtful = {p for p, m in scored.items() if p not in truth and indistinguishable(m.a, m.b)}
    false = found - truth
    kinds_of_false: Counter = Counter()
    for pair in false:
        m = scored[pair]
        what = "indistinguishable" if pair in doubtful else "told apart by a fact"
        levels = ", ".join(f"{k} {v}" for k, v in sorted(m.levels.items()) if k != "name")
        kinds_of_false[(what, levels)] += 1
        if examples and what != "indistinguishable" and len(shown) < 2 * examples:
            shown.append(f"    false ({levels}): {_show(m.a)} | {_show(m.b)}")
    lines.append(f"false pairs proposed: {len(false)}, of which indistinguishable on every "
                 f"fact the records carry: {len(false & doubtful)}")  # fmt: skip
    lines += [f"  {n:5}  {what}: {lv}" for (what, lv), n in kinds_of_false.most_common(15)]
    lines += shown[len(shown) - sum(1 for x in shown if x.startswith("    false")) :]
    # True pairs with a namesake as alike as the duplicate: whichever of the two pairs a
    # method proposes, it may be wrong.
    alike = {next(iter(p)) for p in doubtful} | {sorted(p)[1] for p in doubtful}
    shadowed = {p for p in truth if p & alike}
    lines.append(f"true pairs with an indistinguishable namesake: {len(shadowed)}")
    from bench.dedupe_bench import figures

    lines.append("at the cut, by kind of pair:")
    lines += figures(found, truth, kinds)
    lines.append("cut (bits)  recall  precision  precision without indistinguishable pairs")
    lines += [f"  {c:6.1f}    {r:.3f}    {p:.3f}      {h:.3f}" for c, r, p, h in
              curve(scored, truth, doubtful)]  # fmt: skip
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cut", type=float, default=None, help="Default: the shipped one.")
    parser.add_argument(
        "--examples", type=int, default=0,
        help="Print this many missed pairs not weighed (and false pairs told apart).",
    )  # fmt: skip
    parser.add_argument(
        "--make",
        choices=("realistic", "lexicon"),
        default="realistic",
        help="The list's make (bench/synthetic.py); lexicon: the earlier one.",
    )
    args = parser.parse_args()
    from bench.synthetic import list_with_gaps

    rows, truth, kinds = list_with_gaps(args.n, seed=args.seed, make=args.make)
    cut = linkage.propose_weight() if args.cut is None else args.cut
    print("\n".join(explain(rows, truth, kinds, cut, args.examples)))


if __name__ == "__main__":
    main()
