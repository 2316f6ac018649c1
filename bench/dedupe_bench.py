"""Duplicate-finding benchmark: ``python bench/dedupe_bench.py N [--rate 0.05]`` writes N
synthetic victims (refs SYN-..., clearly fictional) plus about N*rate second entries of
the same people in another spelling or script, imports them with ``import_records`` on
the current DATABASE_URL, runs ``find_duplicates`` and prints its time, recall and
precision against the known pairs.

The database must be migrated and hold no SYN- records. Never run against a production
database: it writes.
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
    "death_date", "prison", "publication_status",
]  # fmt: skip


BENCH_REVIEWER = (
    "from django.contrib.auth.models import Group, User; "
    "u, _ = User.objects.get_or_create(username='bench-reviewer'); "
    "u.groups.add(Group.objects.get(name='reviewer'))"
)


def write_file(path: Path, n: int, rate: float, seed: int) -> set[frozenset[str]]:
    from bench.synthetic import duplicate_pairs, synthetic_people

    rows = list(synthetic_people(n, seed=seed))
    extra, truth = duplicate_pairs(rows, rate=rate, seed=seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows + extra:
            date, precision = row["death_date"], row["death_date_precision"]
            if date and precision in ("month", "year"):
                date = date[: 7 if precision == "month" else 4]
            writer.writerow(dict(row, aliases="\n".join(row["aliases"]), death_date=date))
    return {frozenset(p) for p in truth}


def manage(*args: str) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=os.environ)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        people = Path(tmp) / "people.csv"
        pairs = Path(tmp) / "pairs.csv"
        truth = write_file(people, args.n, args.rate, args.seed)
        # Most synthetic people are published: imported as a reviewer.
        manage("shell", "-c", BENCH_REVIEWER)
        import_seconds = manage("import_records", "victims", str(people), "--as", "bench-reviewer")
        find_seconds = manage("find_duplicates", "victims", str(pairs))
        with pairs.open(encoding="utf-8") as fh:
            found = {frozenset((r["ref_a"], r["ref_b"])) for r in csv.DictReader(fh)}
    hits = len(found & truth)
    print(
        f"people={args.n + len(truth)} true pairs={len(truth)} proposed={len(found)} "
        f"recall={hits / len(truth):.3f} precision={hits / max(1, len(found)):.3f} "
        f"import={import_seconds:.0f}s find_duplicates={find_seconds:.0f}s"
    )


if __name__ == "__main__":
    main()
