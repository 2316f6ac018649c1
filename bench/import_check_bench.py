"""What a short file costs to check against a large archive:
``python bench/import_check_bench.py [N] [--runs K]`` writes N synthetic victims (refs
TRY-..., drafts, from ``bench.synthetic.synthetic_people(make="realistic")``: clearly
synthetic) to a CSV and runs ``manage.py import_records victims F --dry-run``
K times in a child process on the current DATABASE_URL, printing each run's wall time,
CPU, peak memory and how many rows the check reported as possibly already in the
archive. Nothing is written (a dry run), except the linkage keys that the first run makes
on PostgreSQL for people whose keys are missing or stale (``archive.core.linkage_store``):
the first run shows that one-time cost, the next ones the check itself.

Run it against an archive of synthetic people (``bench/generate_synthetic.py``), never a
production database.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_bench import COLUMNS  # the columns import_bench's files have
from bench.synthetic import synthetic_people

REPORTED = re.compile(r"(\d+) rows? may be records? already in the archive")


def _partial(date: str, precision: str) -> str:
    """A date as a list writes it to its precision (1988, 1988-08, 1988-08-15)."""
    return {"year": date[:4], "month": date[:7]}.get(precision, date)


def write_file(path: Path, n: int, seed: int, start: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in synthetic_people(n, seed=seed, start=start, make="realistic"):
            writer.writerow(
                dict(
                    row,
                    ref=row["ref"].replace("SYN-", "TRY-"),
                    aliases="\n".join(row["aliases"]),
                    death_date=_partial(row["death_date"], row["death_date_precision"]),
                    arrest_date=_partial(row["arrest_date"], row["arrest_date_precision"]),
                    publication_status="draft",  # a dry run of drafts needs no source
                )
            )


def run_once(path: Path) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds and peak memory (kB) of one dry run, and its last line."""
    command = [sys.executable, str(ROOT / "manage.py"), "import_records", "victims",
               str(path), "--dry-run"]  # fmt: skip
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = child.stdout.read().decode()
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    last = output.strip().splitlines()[-1] if output.strip() else ""
    if child.returncode not in (0, 1):  # 1: the dry run found problems in the file
        raise SystemExit(f"import_records failed ({child.returncode}):\n{output}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, last


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", type=int, default=20001, help="first TRY- number")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"check-{args.n}.csv"
        write_file(path, args.n, args.seed, args.start)
        print(f"{args.n} synthetic rows, import_records --dry-run, {args.runs} runs")
        for run in range(1, args.runs + 1):
            wall, cpu, peak, last = run_once(path)
            found = REPORTED.search(last)
            print(
                f"run {run}: wall {wall:6.1f} s  CPU {cpu:6.1f} s  peak {peak / 1024:6.0f} MB  "
                f"reported {found.group(1) if found else 0}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
