"""``python bench/ftm_bench.py [--sizes 10000,50000,100000]``: the FollowTheMoney export's
peak memory (RSS) and speed as the archive grows, to show that it streams.

Builds (or reuses) a SQLite database of clearly synthetic victims (``generate_synthetic``)
at each size in turn, runs ``export_records all FILE --format ftm`` in a fresh process and
reads that process's peak RSS (``getrusage(RUSAGE_CHILDREN)``). Prints one line per size
and the growth per 10,000 people; a million is the last size's figure plus that growth,
which stays far under the 300 MB target when the export streams.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _env(database: Path) -> dict:
    env = dict(os.environ)
    # DEBUG off, as in production (with DEBUG on, Django also keeps the SQL of the last
    # 9,000 queries: bounded, but not what a deployed export does).
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY", "bench-key-" + "x" * 40),
        STATIC_MANIFEST="0",
    )
    return env


def _manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def _count(env: dict) -> int:
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c",
         "from victims.models import Victim; print(Victim.objects.count())"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return int(out.stdout.strip().splitlines()[-1])


def _export(env: dict, out: Path) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB and entities of one export, in a process of its own (its
    own rusage, from wait4: RUSAGE_CHILDREN would count the data generator too)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [PY, "manage.py", "export_records", "all", str(out), "--format", "ftm"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"the export failed ({process.returncode})")
    seconds = time.monotonic() - started
    lines = sum(1 for _ in out.open(encoding="utf-8"))
    return seconds, usage.ru_maxrss / 1024, lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--database", default="/tmp/ftm_bench.sqlite3")
    parser.add_argument("--out", default="/tmp/ftm_bench.ftm.json")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    database, out = Path(args.database), Path(args.out)
    env = _env(database)
    _manage(env, "migrate", "-v0")
    if _count(env) == 0:
        _manage(env, "loaddata", "seed", "-v0")
    results = []
    for size in sizes:
        have = _count(env)
        if have < size:
            subprocess.run(
                [PY, "bench/generate_synthetic.py", "victims", str(size - have),
                 "--start", str(have + 1)],
                cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        seconds, peak_mb, entities = _export(env, out)
        results.append((size, seconds, peak_mb, entities))
        print(
            f"{size:>9,} victims in the database: {entities:>9,} entities in {seconds:6.1f} s "
            f"({entities / seconds:,.0f}/s), peak RSS {peak_mb:6.1f} MB",
            flush=True,
        )
    if len(results) > 1:
        (n0, s0, m0, _), (n1, s1, m1, _) = results[0], results[-1]
        growth = (m1 - m0) / ((n1 - n0) / 10_000)
        per_row = (s1 - s0) / (n1 - n0)
        million_mb = m1 + growth * (1_000_000 - n1) / 10_000
        print(f"growth: {growth:+.2f} MB of peak RSS per 10,000 victims")
        print(
            f"a million victims: about {million_mb:.0f} MB peak RSS and "
            f"{s1 + per_row * (1_000_000 - n1):,.0f} s, by this line"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
