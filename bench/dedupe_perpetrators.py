"""The same official spelt two ways: every pair found? A benchmark on synthetic lists.

``python bench/dedupe_perpetrators.py [N] [--seed S]`` makes N synthetic officials
(``bench.synthetic.officials``: each named in two to four lists, Latin spellings from the
lexicon's variants, compounds joined or hyphenated, Persian only in a quarter of the
entries, clerical titles that come and go), runs the perpetrators' duplicate finding on
them (``archive.core.linkage.find_duplicates`` with the perpetrators' prior and threshold,
titles left out as ``perpetrators.dedupe.load_candidates`` does) and prints recall,
precision and the missed pairs. Namesakes (two officials of one name, nothing else
known) are proposed: they are counted, since no method could tell them apart.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(n: int, seed: int) -> list[str]:
    from archive.core.linkage import Candidate, find_duplicates
    from bench.synthetic import officials
    from perpetrators.dedupe import EXPECTED_DUPLICATES, PROPOSE_PROBABILITY, without_titles

    rows, truth = officials(n, seed=seed)
    started = time.process_time()
    people = [
        Candidate(
            ref=r["ref"],
            name_latin=without_titles(r["name_latin"]) if r["name_latin"] else "",
            name_fa=without_titles(r["name_fa"]) if r["name_fa"] else "",
            father_name=r["father_name"],
            gender=r["gender"],
            birth_year=r["birth_year"],
        )
        for r in rows
    ]
    matches = find_duplicates(people, expected=EXPECTED_DUPLICATES, threshold=PROPOSE_PROBABILITY)
    seconds = time.process_time() - started
    found = {frozenset((m.a.ref, m.b.ref)) for m in matches}
    by_ref = {r["ref"]: r for r in rows}
    hits = found & truth
    # A false pair whose names read as the same lexicon names and no fact differs.
    from bench.dedupe_explain import indistinguishable

    index = {p.ref: p for p in people}
    namesakes = {p for p in found - truth if indistinguishable(*(index[r] for r in sorted(p)))}
    lines = [
        f"officials={n} entries={len(rows)} true pairs={len(truth)} proposed={len(found)} "
        f"cpu={seconds:.1f}s",
        f"recall={len(hits) / len(truth):.3f} precision={len(hits) / max(1, len(found)):.3f} "
        f"(without {len(namesakes)} namesake pairs no fact tells apart: "
        f"{len(hits) / max(1, len(found) - len(namesakes)):.3f})",
    ]
    for pair in sorted(sorted(p) for p in truth - found)[:20]:
        a, b = (by_ref[r] for r in pair)
        lines.append(
            f"  missed: {a['name_latin'] or a['name_fa']} / {b['name_latin'] or b['name_fa']}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("\n".join(run(args.n, args.seed)))


if __name__ == "__main__":
    main()
