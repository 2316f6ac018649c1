"""Duplicate-finding benchmark.

``python bench/dedupe_bench.py N [--rate 0.05] [--pure] [--make lexicon]`` makes a
synthetic list of N people (the realistic make unless ``--make lexicon``: docs/dedupe.md)
(refs SYN-..., clearly fictional) plus about N*rate second entries of the same people, as
the issue's held-out lists are: a third of the people (so of the pairs) without a year of
birth, a fifth of the pairs with each record's name in one script only
(``bench.synthetic.list_with_gaps``). It finds the pairs and prints recall and precision,
overall and by kind of pair (with or without a year of birth, one script or both), and the
time taken.

Without ``--pure`` the list is imported with ``import_records`` on the current DATABASE_URL
and ``find_duplicates victims`` is run, as a researcher would (the database must be
migrated and hold no SYN- records; never run against a production database: it writes).
With ``--pure`` the core (``archive.core.linkage.find_duplicates``) runs on the rows in
memory, without Django: the scoring alone, quicker to tune.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = [
    "ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year", "fate",
    "death_date", "prison", "publication_status", "birth_place", "occupation", "religion",
    "ethnicity", "civil_status", "arrest_date", "event",
]  # fmt: skip


BENCH_REVIEWER = (
    "from django.contrib.auth.models import Group, User; "
    "u, _ = User.objects.get_or_create(username='bench-reviewer'); "
    "u.groups.add(Group.objects.get(name='reviewer'))"
)


def write_rows(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                dict(
                    row,
                    aliases="\n".join(row["aliases"]),
                    death_date=_partial(row["death_date"], row["death_date_precision"]),
                    arrest_date=_partial(
                        row.get("arrest_date", ""), row.get("arrest_date_precision", "")
                    ),
                    birth_year=row["birth_year"] or "",
                )
            )


def _partial(date: str, precision: str) -> str:
    """A date as a list writes it: "1988-08" for a month, "1988" for a year."""
    if date and precision in ("month", "year"):
        return date[: 7 if precision == "month" else 4]
    return date


def write_file(path: Path, n: int, rate: float, seed: int) -> set[frozenset[str]]:
    """The list of earlier benchmarks (every person with a year of birth)."""
    from bench.synthetic import duplicate_pairs, synthetic_people

    rows = list(synthetic_people(n, seed=seed))
    extra, truth = duplicate_pairs(rows, rate=rate, seed=seed)
    write_rows(path, rows + extra)
    return {frozenset(p) for p in truth}


def manage(*args: str) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=os.environ)
    return time.monotonic() - started


def figures(found: set, truth: set, kinds: dict) -> list[str]:
    hits = found & truth
    lines = [
        f"all pairs: true={len(truth)} proposed={len(found)} recall={len(hits) / len(truth):.3f} "
        f"precision={len(hits) / max(1, len(found)):.3f}"
    ]
    for label, test in (
        ("with a birth year", lambda k: k["birth"]),
        ("without a birth year", lambda k: not k["birth"]),
        ("both scripts", lambda k: not k["one_script"]),
        ("one script each", lambda k: k["one_script"]),
    ):
        subset = {p for p in truth if test(kinds[p])}
        got = len(subset & found)
        lines.append(f"  {label:22} pairs={len(subset):6} recall={got / max(1, len(subset)):.3f}")
    return lines


def pure(rows: list[dict]) -> tuple[set, float, float]:
    from archive.core.linkage import find_duplicates
    from bench.dedupe_estimate import candidate

    started, cpu = time.monotonic(), time.process_time()
    people = [candidate(r) for r in rows]
    matches = find_duplicates(people)
    found = {frozenset((m.a.ref, m.b.ref)) for m in matches}
    return found, time.monotonic() - started, time.process_time() - cpu


def without_indistinguishable(found: set, truth: set, rows: list[dict]) -> str:
    """Precision once the false pairs no fact tells apart are left out
    (``bench.dedupe_explain.indistinguishable``): shown beside the figures, never instead."""
    from bench.dedupe_estimate import candidate
    from bench.dedupe_explain import indistinguishable

    by_ref = {r["ref"]: r for r in rows}
    false = found - truth
    alike = sum(1 for p in false if indistinguishable(*(candidate(by_ref[r]) for r in sorted(p))))
    hits = len(found & truth)
    return (
        f"  false pairs={len(false)}, of which indistinguishable on every fact the records "
        f"carry={alike}; precision without them={hits / max(1, len(found) - alike):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pure", action="store_true", help="The core alone, without Django.")
    parser.add_argument(
        "--make",
        choices=("realistic", "lexicon"),
        default="realistic",
        help="The list's make (bench/synthetic.py); lexicon: the earlier one.",
    )
    args = parser.parse_args()
    from bench.synthetic import list_with_gaps

    rows, truth, kinds = list_with_gaps(args.n, rate=args.rate, seed=args.seed, make=args.make)
    if args.pure:
        found, seconds, cpu = pure(rows)
        print(
            f"people={len(rows)} find_duplicates (core, in memory)={seconds:.0f}s (cpu {cpu:.0f}s)"
        )
    else:
        with tempfile.TemporaryDirectory() as tmp:
            people = Path(tmp) / "people.csv"
            pairs = Path(tmp) / "pairs.csv"
            write_rows(people, rows)
            # Most synthetic people are published: imported as a reviewer, every filled
            # cell cited to a synthetic published source (the publication gate).
            from bench.import_bench import BENCH_SOURCE

            manage("shell", "-c", BENCH_REVIEWER)
            made = subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "shell", "-c", BENCH_SOURCE],
                check=True, env=os.environ, capture_output=True, text=True,
            )  # fmt: skip
            source = made.stdout.strip().splitlines()[-1]
            import_seconds = manage(
                "import_records", "victims", str(people), "--as", "bench-reviewer",
                "--source", source,
            )  # fmt: skip
            seconds = manage("find_duplicates", "victims", str(pairs))
            with pairs.open(encoding="utf-8") as fh:
                found = {frozenset((r["ref_a"], r["ref_b"])) for r in csv.DictReader(fh)}
        print(f"people={len(rows)} import={import_seconds:.0f}s find_duplicates={seconds:.0f}s")
    print("\n".join(figures(found, truth, kinds)))
    print(without_indistinguishable(found, truth, rows))


if __name__ == "__main__":
    main()
