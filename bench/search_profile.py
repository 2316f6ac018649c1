"""A search's cost in-process, against an empty request's (issue 26, item 1).

``python bench/search_profile.py [-n 300] [--profile out.prof] [--explain]`` with
DATABASE_URL set (synthetic data only). Through Django's test Client in this process:
``-n`` distinct empty requests (``/api/?n=i``) and ``-n`` distinct searches
(``/api/victims/?q=``, the names ``bench/run.py`` loads gunicorn with), in turn, in
blocks, so that a noisy machine weighs on both alike. For each: CPU per request of this
process (Python) and of its PostgreSQL backend (``/proc/<pid>/stat`` of
``pg_backend_pid()``), and statements per request. ``--profile`` writes a cProfile of the
searches alone; ``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of every statement one
search issues; ``--by-statement`` splits the backend's CPU by kind of statement.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLOCK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK


def backend_cpu(connection) -> float:
    if connection.vendor != "postgresql":
        return 0.0
    connection.ensure_connection()
    pid = getattr(connection, "_bench_pid", None)
    if pid is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = connection._bench_pid = cursor.fetchone()[0]
    return proc_cpu(pid)


def measure(client, urls, connection) -> dict:
    from django.test.utils import CaptureQueriesContext

    py0, pg0 = time.process_time(), backend_cpu(connection)
    statements = 0
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
        statements = len(queries)
    py, pg = time.process_time() - py0, backend_cpu(connection) - pg0
    return {"py": py, "pg": pg, "n": len(urls), "statements": statements}


def statement_kind(sql: str, params) -> str:
    """What a search's statement is, from its text (``archive.core.search``'s probes)."""
    if "archive_changecounter" in sql or "archive_site_version" in sql:
        return "the data's version"
    if "statement_timeout" in sql:
        return "trigram guess"
    if "enable_seqscan" in sql:
        # The weak step's probes carry LIKE patterns (tokens inside longer keys).
        weak = any(isinstance(p, str) and p.startswith("%") for p in params or ())
        return "weak step (substrings, edits, partial)" if weak else "strong step (tokens)"
    if sql.strip() == "SELECT 1":
        return "after a timed guess"
    if sql.startswith("PREPARE"):
        return "prepare"
    return "other (the page's rows)"


def by_statement(client, urls, connection) -> None:
    """Backend CPU per kind of statement over ``urls`` (``/proc`` of the backend
    around each statement: 10 ms ticks, so only sums over many statements mean much)."""
    spent: dict[str, float] = {}
    count: dict[str, int] = {}
    backend_cpu(connection)  # connects, and knows the backend's pid

    def timed(execute, sql, params, many, context):
        kind = statement_kind(sql, params)
        before = proc_cpu(connection._bench_pid)
        try:
            return execute(sql, params, many, context)
        finally:
            spent[kind] = spent.get(kind, 0.0) + proc_cpu(connection._bench_pid) - before
            count[kind] = count.get(kind, 0) + 1

    with connection.execute_wrapper(timed):
        for url in urls:
            client.get(url)
    n = len(urls)
    for kind, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"{kind:40} {seconds / n * 1000:5.2f} ms a search  ({count[kind] / n:.2f} a search)")


def explain(connection, client, url) -> None:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(f"\n{url}: {len(queries)} statements")
    for q in queries.captured_queries:
        sql = q["sql"]
        print(f"\n-- {q['time']} s: {sql[:300]}")
        # Settings (SET LOCAL) ahead of a probe: run them, explain the statement.
        *settings, statement = [s for s in sql.split("; ") if s.strip()]
        if not statement.lstrip().upper().startswith(("SELECT", "EXECUTE")):
            continue
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            for s in settings:
                cursor.execute(s)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
            for (line,) in cursor.fetchall():
                print("   ", line)
            cursor.execute("ROLLBACK")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=300, help="requests of each kind")
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--profile", help="write a cProfile of the searches here")
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN this many searches")
    parser.add_argument(
        "--by-statement", action="store_true", help="backend CPU per kind of statement"
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.run import search_queries

    client = Client(HTTP_HOST="127.0.0.1")
    searches = search_queries(args.n + 20)
    warm, searches = searches[:20], searches[20:]
    empties = [f"/api/?n={i}" for i in range(args.n + 20)]
    for url in warm + empties[:20]:
        client.get(url)
    empties = empties[20:]
    from victims.models import Victim

    print(f"{Victim.objects.count():,} victims, {connection.vendor}")
    if args.by_statement:
        by_statement(client, searches, connection)
        return 0
    if args.explain:
        for url in searches[: args.explain]:
            explain(connection, client, url)
        return 0
    totals = {"empty": [], "search": []}
    size = max(1, args.n // args.blocks)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU, not the wall: the machine is shared
    for b in range(args.blocks):
        part = slice(b * size, (b + 1) * size)
        totals["empty"].append(measure(client, empties[part], connection))
        if profiler:
            profiler.enable()
        totals["search"].append(measure(client, searches[part], connection))
        if profiler:
            profiler.disable()
    result = {}
    for kind, runs in totals.items():
        n = sum(r["n"] for r in runs)
        py = sum(r["py"] for r in runs) / n * 1000
        pg = sum(r["pg"] for r in runs) / n * 1000
        statements = sum(r["statements"] for r in runs) / n
        result[kind] = py + pg
        print(f"{kind:7} CPU per request {py + pg:6.2f} ms: Python {py:5.2f}, PostgreSQL "
              f"{pg:5.2f}; statements {statements:.2f}  (n={n})")  # fmt: skip
    print(f"search / empty (CPU) {result['search'] / result['empty']:.2f}")
    if profiler:
        profiler.dump_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
