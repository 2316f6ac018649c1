"""Import benchmark: ``python bench/import_bench.py N`` writes N synthetic victims to a
CSV (refs SYN-..., names drawn from the archive's lexicon, clearly synthetic) and imports
them with ``manage.py import_records victims --source ID`` in a child process on the
current DATABASE_URL (every filled cell cited to a synthetic published source, as the
publication gate asks of published rows), then prints rows per second and the child's
peak memory. ``--no-source``: every row a draft, imported without a source (no
citations).

On PostgreSQL it then COPYs the same file into a bare temporary table (text columns, no
index, dropped at once) on the same server, and prints the import's rows/s as a ratio of
that: the floor the import is measured against, in the same run so that the ratio holds
on a busy machine. Only a server on 127.0.0.1 (or localhost) is used.

The database must be migrated and should hold no SYN- records (each run uses a fresh
range of refs with --start, or --flush to delete earlier SYN- victims first). Never run
against a production database: it writes.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = [
    "ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year",
    "arrest_date", "prison", "fate", "death_date", "event", "publication_status",
]  # fmt: skip
# What a realistic row gives besides (``--make realistic``): the person's facts.
REALISTIC_COLUMNS = ["birth_place", "occupation", "religion", "ethnicity", "civil_status"]


BENCH_REVIEWER = (
    "from django.contrib.auth.models import Group, User; "
    "u, _ = User.objects.get_or_create(username='bench-reviewer'); "
    "u.groups.add(Group.objects.get(name='reviewer'))"
)
# The source the synthetic list is cited to (its id printed for --source).
BENCH_SOURCE = (
    "from sources.models import Source; "
    "s, _ = Source.objects.get_or_create(title='Synthetic benchmark list (bench, not real)', "
    "defaults={'kind': 'other', 'publication_status': 'published'}); print(s.pk)"
)


def local_people(n: int, seed: int = 0, start: int = 1):
    """A stand-in for bench.synthetic.synthetic_people, from the same lexicon."""
    from archive.core.names import lexicon

    rng = random.Random(seed)
    given = [e for e in lexicon.GIVEN_NAMES if e.gender in {"m", "f"}]
    family = list(lexicon.FAMILY_NAMES)
    prisons = [p[0] + " Prison" if "Prison" not in p[0] else p[0] for p in lexicon.PRISONS]

    def pick(entries):
        return entries[min(int(rng.paretovariate(1.2)) - 1, len(entries) - 1)]

    for i in range(start, start + n):
        g, f, father = pick(given), pick(family), pick(given)
        latin = f"{rng.choice(g.latin)} {rng.choice(f.latin)}"
        month = rng.randint(7, 9)
        script = rng.random()  # many lists give one script only
        yield {
            "ref": f"SYN-{i:07d}",
            "name_latin": latin if script > 0.1 else "",
            "name_fa": f"{g.fa} {f.fa}" if script < 0.9 else "",
            "aliases": f"{g.latin[-1]} {f.latin[-1]}" if rng.random() < 0.2 else "",
            "father_name": rng.choice(father.latin),
            "gender": "male" if g.gender == "m" else "female",
            "birth_year": str(rng.randint(1940, 1970)),
            "arrest_date": rng.choice(["1981", f"1981-{rng.randint(6, 12):02d}", ""]),
            "prison": rng.choice(prisons),
            "fate": "executed",
            "death_date": rng.choice(["1988", f"1988-{month:02d}", f"1988-{month:02d}-15"]),
            "event": "",
            "publication_status": rng.choice(["draft", "published"]),
        }


def copy_baseline(url: str, path: Path) -> float:
    """Seconds to COPY the CSV at ``path`` into a bare temporary table on ``url``."""
    from urllib.parse import urlsplit

    import psycopg2

    parts = urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit(f"the COPY baseline runs against 127.0.0.1 only, not {parts.hostname}")
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            columns = ", ".join(f'"{c}" text' for c in header)
            cursor.execute(f"CREATE TEMPORARY TABLE bench_bare_copy ({columns})")
            with path.open(encoding="utf-8") as handle:
                t0 = time.monotonic()
                cursor.copy_expert(
                    "COPY bench_bare_copy FROM STDIN WITH (FORMAT csv, HEADER true)", handle
                )
                seconds = time.monotonic() - t0
        conn.rollback()
    finally:
        conn.close()
    return seconds


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class BackendWatch:
    """The CPU seconds of the PostgreSQL backend serving the connection named ``app``
    (``application_name``), sampled from /proc five times a second until ``stop``: the
    last sample before each backend ends (so up to 0.2 s short)."""

    def __init__(self, url: str, app: str):
        import threading

        self.url, self.app = url, app
        self.pid = None
        self.seen: dict[int, float] = {}  # backend pid -> its last CPU sample
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def run(self) -> None:
        import psycopg2

        conn = psycopg2.connect(self.url)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                while not self.done.is_set():
                    if self.pid is None:
                        cursor.execute(
                            "SELECT pid FROM pg_stat_activity WHERE application_name = %s "
                            "ORDER BY backend_start DESC LIMIT 1",
                            [self.app],
                        )
                        row = cursor.fetchone()
                        self.pid = row[0] if row else None
                    if self.pid is not None:
                        seconds = _cpu_seconds(self.pid)
                        if seconds is None:
                            self.pid = None  # ended (a command may open another)
                        else:
                            self.seen[self.pid] = seconds
                    self.done.wait(0.2)
        finally:
            conn.close()

    def stop(self) -> float | None:
        self.done.set()
        self.thread.join()
        return sum(self.seen.values()) if self.seen else None


def people(n: int, seed: int, start: int, make: str = "lexicon"):
    try:
        from bench.synthetic import synthetic_people
    except ImportError:
        return local_people(n, seed, start)
    return synthetic_people(n, seed=seed, start=start, make=make)


def write_csv(
    path: Path, n: int, seed: int, start: int, *, drafts: bool = False, make: str = "lexicon"
) -> None:
    columns = COLUMNS + (REALISTIC_COLUMNS if make == "realistic" else [])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for person in people(n, seed, start, make):
            row = {c: person.get(c, "") for c in columns}
            # The generator gives a date and its precision; the file gives the date at its
            # precision (1988, 1988-08, 1988-08-15), as a researcher's list would.
            for date in ("death_date", "arrest_date"):
                precision = person.get(f"{date}_precision")
                if row[date] and precision in {"year", "month"}:
                    row[date] = row[date][: 4 if precision == "year" else 7]
            if isinstance(row["aliases"], (list, tuple)):
                row["aliases"] = " | ".join(row["aliases"])
            if drafts:
                row["publication_status"] = "draft"
            writer.writerow(row)


def timed_import(command: list[str], env: dict, url: str):
    """Runs the import ``command``: (wall seconds, its PostgreSQL backend's CPU seconds or
    None, the finished process)."""
    # The child's PostgreSQL backend is found by its application name and its CPU read
    # from /proc while it runs (same machine only).
    app = f"import-bench-{os.getpid()}"
    child_env = {**env, "PGAPPNAME": app} if url.startswith("postgres") else env
    t0 = time.monotonic()
    process = subprocess.Popen(
        command, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    watch = BackendWatch(url, app) if url.startswith("postgres") else None
    if watch:
        watch.start()
    out, err = process.communicate()
    seconds = time.monotonic() - t0
    backend_cpu = watch.stop() if watch else None
    return (
        seconds,
        backend_cpu,
        subprocess.CompletedProcess(process.args, process.returncode, out, err),
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=30_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=1, help="first SYN- number")
    parser.add_argument("--flush", action="store_true", help="delete SYN- victims first")
    parser.add_argument("--keep", action="store_true", help="keep the generated CSV")
    parser.add_argument(
        "--no-source", action="store_true", help="drafts only, imported without a source"
    )
    parser.add_argument("--batch-size", type=int, help="rows per batch (the command's default)")
    parser.add_argument(
        "--again", action="store_true", help="then import the same file again (rows unchanged)"
    )
    try:
        from bench.synthetic import MAKES
    except ImportError:  # (``local_people`` stands in: the lexicon make alone)
        MAKES = ("lexicon",)
    parser.add_argument(
        "--make", choices=MAKES, default="lexicon", help="which make of synthetic list"
    )
    args = parser.parse_args(argv)

    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    manage = [sys.executable, str(ROOT / "manage.py")]
    database = env.get("DATABASE_URL", "sqlite:///db.sqlite3").split("@")[-1]
    if args.flush:
        code = (
            "from victims.models import Victim; "
            "from sources.models import Citation; "
            "Citation.objects.filter(victim__ref__startswith='SYN-').delete(); "
            "qs = Victim.history.filter(ref__startswith='SYN-'); qs.delete(); "
            "Victim.objects.filter(ref__startswith='SYN-').update(publication_status='draft'); "
            "Victim.objects.filter(ref__startswith='SYN-').delete()"
        )
        subprocess.run([*manage, "shell", "-c", code], env=env, check=True)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"synthetic-{args.n}.csv"
        t0 = time.monotonic()
        write_csv(path, args.n, args.seed, args.start, drafts=args.no_source, make=args.make)
        made = time.monotonic() - t0
        size = path.stat().st_size
        t0 = time.monotonic()
        # Published rows are imported as a reviewer (the command line alone writes drafts).
        subprocess.run([*manage, "shell", "-c", BENCH_REVIEWER], env=env, check=True)
        made_source = subprocess.run(
            [*manage, "shell", "-c", BENCH_SOURCE], env=env, check=True, capture_output=True,
            text=True,
        )  # fmt: skip
        source = made_source.stdout.strip().splitlines()[-1]
        cite = [] if args.no_source else ["--source", source]
        if args.batch_size:
            cite += ["--batch-size", str(args.batch_size)]
        url = env.get("DATABASE_URL", "")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = [*manage, "import_records", "victims", str(path), "--as", "bench-reviewer"]
        seconds, backend_cpu, child = timed_import([*command, *cite], env, url)
        again = None
        if args.again and not child.returncode:
            # A second import of the same file: every row found unchanged (a list sent
            # again with a few corrections reads this way).
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            again = (*timed_import([*command, *cite], env, url), cpu_before)
        copy_seconds = copy_baseline(url, path) if url.startswith("postgres") else None
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kb = usage.ru_maxrss
        ended = again[3] if again else usage
        cpu = ended.ru_utime + ended.ru_stime - before.ru_utime - before.ru_stime
        if args.keep:
            kept = ROOT / path.name
            kept.write_bytes(path.read_bytes())
            print(f"kept {kept}")
    if child.returncode:
        print(child.stdout, child.stderr[-3000:], sep="\n", file=sys.stderr)
        return child.returncode
    print(f"database            {database}")
    print(f"rows                {args.n:,} ({size / 1e6:.1f} MB CSV, generated in {made:.1f} s)")
    print(f"import time         {seconds:.1f} s (whole command: start-up, history, search keys)")
    print(f"import rows/s       {args.n / seconds:,.0f}")
    if m := re.search(r"keys of the records written were made in ([\d.]+) s", child.stdout):
        print(f"of which keys       {float(m.group(1)):.1f} s (duplicate check, after commit)")
    cited = "no (drafts)" if args.no_source else "yes (every filled cell cited)"
    print(f"with source         {cited}")
    if copy_seconds:
        print(f"COPY rows/s         {args.n / copy_seconds:,.0f} (the same file into a bare table)")
        print(f"import / COPY       {copy_seconds / seconds:.4f}")
    print(f"import CPU time     {cpu:.1f} s in the command (the database works apart)")
    if backend_cpu is not None:
        per_row = (cpu / args.n * 1000, backend_cpu / args.n * 1000)
        print(f"PostgreSQL CPU      {backend_cpu:.1f} s in the command's backend")
        print(f"CPU per row         {per_row[0]:.3f} ms command + {per_row[1]:.3f} ms PostgreSQL")
        # On PostgreSQL the server writes a batch while the command checks the next
        # (archive.core.importing.writer): on a quiet machine with a core for each, the
        # slower of the two sets the pace; taking turns, their sum would.
        print(
            f"quiet machine       ~{1000 / max(per_row):,.0f} rows/s (1 / the larger CPU per "
            f"row: the two overlap; ~{1000 / sum(per_row):,.0f} if they took turns)"
        )
    if again:
        seconds2, backend2, child2, _ = again
        cpu2 = usage.ru_utime + usage.ru_stime - ended.ru_utime - ended.ru_stime
        print(f"again rows/s        {args.n / seconds2:,.0f} (the same file again: rows unchanged)")
        pg2 = f" + {backend2 / args.n * 1000:.3f} ms PostgreSQL" if backend2 is not None else ""
        print(f"again CPU per row   {cpu2 / args.n * 1000:.3f} ms command{pg2}")
        print(f"again, command said {child2.stdout.strip().splitlines()[-1]}")
    print(f"peak memory (RSS)   {peak_kb / 1024:,.0f} MB")
    print(f"load average        {os.getloadavg()[0]:.1f} (2 cores: figures above 2 mean waiting)")
    print(f"command said        {child.stdout.strip().splitlines()[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
