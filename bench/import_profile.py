"""Where an import's time goes: ``python bench/import_profile.py N`` writes N synthetic
victims (``bench/import_bench.py``'s list), imports them in this process with ``--source``
as a reviewer, in a dry run (rolled back: runs repeat on the same database), and prints
the CPU of this process and of its PostgreSQL backend per row, the wall time, and with
``--profile`` the functions that took the most time (cProfile). ``--commit``: written
for good (delete the SYN- victims afterwards, ``import_bench.py --flush``), with the
backend's CPU at COMMIT apart (the deferred foreign-key checks run then).
``--no-match-check``: without the duplicate check (the victims' possible matches and
their stored keys), to show what the rest of the import costs.

Development tool: only a server on 127.0.0.1 (or localhost) is used, and it writes (then
rolls back).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.search_profile import proc_cpu as _cpu  # (after ROOT on the path)


def _label(sql: str) -> str:
    """A statement's kind: its first words and the tables it names, without the
    staging tables' digests."""
    import re

    words = re.sub(r"import_stage_(\w+?)_[0-9a-f]{8}", r"stage_\1", " ".join(sql.split()))
    tables = re.findall(r"(?:INTO|FROM|UPDATE|TABLE(?: IF NOT EXISTS)?) \"?([\w]+)", words)
    return f"{' '.join(words.split()[:2])} {' '.join(dict.fromkeys(tables))}"[:110]


def _time_statements(writer_class, backend: int, out: dict) -> None:
    """Wraps the writer's loop so that the backend's CPU is read around each statement
    (only the writer uses the connection while it runs: the attribution is exact, to
    /proc's 10 ms tick)."""
    import io as io_

    def run(self, raw, statements):
        started = time.monotonic()
        try:
            with raw.cursor() as cursor:
                for sql, params, text in statements:
                    before = _cpu(backend)
                    if text is None:
                        cursor.execute(sql, params)
                    else:
                        cursor.copy_expert(sql, io_.StringIO(text), size=1 << 20)
                    entry = out.setdefault(_label(sql), [0.0, 0])
                    entry[0] += _cpu(backend) - before
                    entry[1] += 1
        finally:
            self.busy += time.monotonic() - started

    writer_class._run = run


def main(argv=None) -> int:
    from bench.synthetic import MAKES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--save", help="write the profile to this file")
    parser.add_argument("--no-source", action="store_true")
    parser.add_argument("--start", type=int, default=1)
    parser.add_argument("--commit", action="store_true", help="commit (see above)")
    parser.add_argument("--make", choices=MAKES, default="lexicon")
    parser.add_argument("--batch-size", type=int, default=None, help="rows per batch")
    parser.add_argument(
        "--no-match-check",
        action="store_true",
        help="without the duplicate check (possible matches): what the rest of the import costs",
    )
    parser.add_argument(
        "--by-statement",
        action="store_true",
        help="the backend's CPU per kind of statement the writer runs (PostgreSQL)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.db import connection

    from archive.core.importing import import_file
    from bench.import_bench import write_csv
    from sources.models import Source

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and "127.0.0.1" not in url and "localhost" not in url:
        raise SystemExit("127.0.0.1 only")
    user, _ = User.objects.get_or_create(username="bench-reviewer")
    user.groups.add(Group.objects.get(name="reviewer"))
    source, _ = Source.objects.get_or_create(
        title="Synthetic benchmark list (bench, not real)",
        defaults={"kind": "other", "publication_status": "published"},
    )
    postgres = connection.vendor == "postgresql"
    # The writer's figures (PostgreSQL): how long the main thread waited for it, how
    # long it ran statements.
    from archive.core.importing import writer as writing

    writers = []
    made = writing.Writer.__init__

    def remember(self, *args, **kwargs):
        made(self, *args, **kwargs)
        writers.append(self)

    writing.Writer.__init__ = remember
    if args.no_match_check:
        from archive.core.importing.resource import get_resource_class

        resource_class = get_resource_class("victims")
        resource_class.possible_matches = lambda self, rows, read=1.0: []
        resource_class.prepare_possible_matches = lambda self, until=None: None
    by_statement: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"synthetic-{args.n}.csv"
        write_csv(path, args.n, 0, args.start, drafts=args.no_source, make=args.make)
        connection.ensure_connection()
        backend = None
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
        at_commit = []
        if args.commit and backend:
            commit = connection.commit

            def timed_commit():
                before = _cpu(backend), time.monotonic()
                commit()
                at_commit.append((_cpu(backend) - before[0], time.monotonic() - before[1]))

            connection.commit = timed_commit
        if args.by_statement and backend:
            _time_statements(writing.Writer, backend, by_statement)
        b0 = _cpu(backend) if backend else 0.0
        c0, t0 = time.process_time(), time.monotonic()
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        report = import_file(
            "victims", path, user=user, dry_run=not args.commit,
            source=None if args.no_source else source,
            **({"batch_size": args.batch_size} if args.batch_size else {}),
        )  # fmt: skip
        if profiler:
            profiler.disable()
        wall, cpu = time.monotonic() - t0, time.process_time() - c0
        server = (_cpu(backend) - b0) if backend else None
    print(report.summary() if hasattr(report, "summary") else report)
    print(f"problems {len(report.problems)}; citations {report.citations}")
    print(f"wall {wall:.1f} s, {args.n / wall:,.0f} rows/s")
    line = f"CPU per row: process {cpu / args.n * 1000:.3f} ms"
    if server is not None:
        line += f", backend {server / args.n * 1000:.3f} ms"
    print(line + f" (load {os.getloadavg()[0]:.1f})")
    for cpu_s, wall_s in at_commit:
        print(f"COMMIT: backend CPU {cpu_s:.2f} s, {wall_s:.2f} s")
    for w in writers:
        print(
            f"writer: ran statements {w.busy:.1f} s; the main thread waited for it "
            f"{w.waited:.1f} s of {wall:.1f} s"
        )
    if by_statement:
        print("backend CPU per kind of statement the writer ran (ms a row, statements):")
        for label, (cpu_s, count) in sorted(by_statement.items(), key=lambda kv: -kv[1][0]):
            print(f"  {cpu_s / args.n * 1000:7.3f}  {count:5d}  {label}")
    if profiler:
        stats = pstats.Stats(profiler)
        if args.save:
            stats.dump_stats(args.save)
        stats.sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
