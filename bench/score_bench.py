"""``python bench/score_bench.py``: what ``names.score`` costs per call when a search
re-ranks hundreds of candidates (a benchmark, not a test: timings belong here, not in the
suite). Synthetic names recombined from the lexicon; prints microseconds per call."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.core.names import name_keys, score
from archive.core.names.lexicon import FAMILY_NAMES, GIVEN_NAMES

QUERIES = ["Muhammad Husseini", "Ali Karimi son of Hassan", "M. Hosseini", "فاطمه احمدی"]


def main(rounds: int = 5) -> None:
    candidates = [
        name_keys(f"{g.latin[0]} {f.latin[0]}", f"{g.fa} {f.fa}")
        for g, f in zip(GIVEN_NAMES * 2, FAMILY_NAMES * 2, strict=False)
    ]
    for q in QUERIES:  # warm the caches, as a long-running server has them
        for keys in candidates:
            score(q, keys)
    figures = []
    for _ in range(rounds):
        start = time.perf_counter()
        for q in QUERIES:
            for keys in candidates:
                score(q, keys)
        figures.append((time.perf_counter() - start) / (len(QUERIES) * len(candidates)))
    figures.sort()
    print(
        f"score(): {len(candidates)} candidates x {len(QUERIES)} queries, "
        f"{figures[0] * 1e6:.1f} / {figures[len(figures) // 2] * 1e6:.1f} / "
        f"{figures[-1] * 1e6:.1f} µs per call (min / median / max of {rounds} rounds)"
    )


if __name__ == "__main__":
    main()
