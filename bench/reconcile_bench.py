"""Reconciliation benchmark: ``python bench/reconcile_bench.py`` (issue 22's target:
1,000 names in batches of 10 in under 30 s, with the people search's recall).

Writes the synthetic corpus of ``bench/eval_search.py`` (``bench.synthetic``, clearly
fictional people) to a CSV, imports it into a FRESH database (a temporary SQLite file,
or with ``--backend postgres`` a database it creates on the server at DATABASE_URL and
drops afterwards), starts ``manage.py runserver`` on 127.0.0.1 (``--port``, 8103 by
default) against it, and sends ``bench.search_eval``'s known-answer queries (names in
other spellings and scripts, typos, initials, fathers' names) to ``/reconcile/`` as
OpenRefine does: POSTs of form-encoded ``queries=<JSON>``, ten queries a batch, one
batch after another. Prints recall@1 and recall@3 per kind and the wall time; with
``--compare-api`` also asks ``/api/victims/?q=`` each query (the people search itself)
and prints its recall beside. The server is stopped at the end; every request goes to
127.0.0.1 and the number of requests is bounded by the queries.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.eval_search import (
    DEFAULT_PG,
    child_env,
    corpus,
    manage,
    postgres_url,
    sqlite_url,
    write_csv,
)
from bench.import_bench import BENCH_REVIEWER, BENCH_SOURCE
from bench.search_eval import build_queries, recall_at

BATCH = 10
TIMEOUT = 60  # seconds for any one request


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/reconcile/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server on 127.0.0.1:{port} did not answer within 60 s")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (Linux): what the server itself spent,
    whatever else the machine was doing meanwhile."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def post(port: int, queries: dict) -> dict:
    body = urllib.parse.urlencode({"queries": json.dumps(queries, ensure_ascii=False)}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/reconcile/", data=body)
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return json.loads(response.read())


def reconcile_all(port: int, queries) -> tuple[dict, float, list[float]]:
    results, per_batch = {}, []
    started = time.perf_counter()
    for start in range(0, len(queries), BATCH):
        batch = queries[start : start + BATCH]
        sent = {
            f"q{i}": {"query": q.text, "type": "victim", "limit": 3} for i, q in enumerate(batch)
        }
        t0 = time.perf_counter()
        answer = post(port, sent)
        per_batch.append((time.perf_counter() - t0) * 1000)
        for i, q in enumerate(batch):
            results[q] = [c["id"] for c in answer[f"q{i}"]["result"]]
    return results, time.perf_counter() - started, per_batch


def search_all(port: int, queries) -> tuple[dict, float]:
    results = {}
    started = time.perf_counter()
    for q in queries:
        url = f"http://127.0.0.1:{port}/api/victims/?" + urllib.parse.urlencode(
            {"q": q.text, "page_size": 3}
        )
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            results[q] = [item["ref"] for item in json.loads(response.read())["results"]]
    return results, time.perf_counter() - started


def table(reconciled: dict, searched: dict | None) -> str:
    r1, r3 = recall_at(reconciled, 1), recall_at(reconciled, 3)
    a1, a3 = (recall_at(searched, 1), recall_at(searched, 3)) if searched else ({}, {})
    lines = [
        f"{'kind':<16}{'n':>5}{'rec@1':>8}{'rec@3':>8}" + ("  api@1  api@3" if searched else "")
    ]
    counts: dict[str, int] = {}
    for q in reconciled:
        counts[q.kind] = counts.get(q.kind, 0) + 1
    counts["overall"] = len(reconciled)
    for kind, n in counts.items():
        line = f"{kind:<16}{n:>5}{r1[kind]:>8.3f}{r3[kind]:>8.3f}"
        if searched:
            line += f"{a1[kind]:>7.3f}{a3[kind]:>7.3f}"
        lines.append(line)
    return "\n".join(lines)


def make_database(args, rows, workdir: Path) -> tuple[str, callable]:
    """A fresh database holding the corpus, published and cited to a synthetic source,
    and the function that drops it."""
    csv_path = workdir / "people.csv"
    write_csv(rows, csv_path)
    if args.backend == "postgres":
        env_url = os.environ.get("DATABASE_URL", "")
        made = postgres_url(env_url if env_url.startswith("postgres") else DEFAULT_PG)
        if made is None:
            raise SystemExit("no PostgreSQL server answers")
    else:
        made = sqlite_url(workdir)
    url, drop = made
    try:
        env = child_env(url)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "shell", "-c", BENCH_REVIEWER)
        # Published rows are cited (the publication gate): to one synthetic source.
        made = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", BENCH_SOURCE],
            env=env, cwd=ROOT, check=True, capture_output=True, text=True,
        )  # fmt: skip
        source = made.stdout.strip().splitlines()[-1]
        started = time.perf_counter()
        manage(
            env, "import_records", "victims", str(csv_path), "--as", "bench-reviewer",
            "--source", source,
        )  # fmt: skip
        print(f"{len(rows):,} people imported in {time.perf_counter() - started:.0f} s "
              f"({args.backend})")  # fmt: skip
        if url.startswith("postgres"):
            import psycopg2

            conn = psycopg2.connect(url)
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("VACUUM ANALYZE")
            conn.close()
    except BaseException:
        drop()
        raise
    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20_000, help="people in the corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=1000, help="names to reconcile")
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--compare-api", action="store_true", help="the API's recall too")
    parser.add_argument(
        "--existing",
        metavar="DATABASE_URL",
        help="a database that already holds this corpus (same -n and --seed, imported "
        "published): no import, nothing dropped",
    )
    args = parser.parse_args()

    rows = corpus(args.n, args.seed)
    per_kind = -(-args.queries // 10)
    queries = build_queries(rows, seed=args.seed, per_kind=per_kind)[: args.queries]
    with tempfile.TemporaryDirectory(prefix="reconcile-bench-") as tmp:
        workdir = Path(tmp)
        if args.existing:
            url, drop = args.existing, lambda: None
        else:
            url, drop = make_database(args, rows, workdir)
        try:
            env = child_env(url)
            env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
            server = start_server(env, args.port)
            try:
                post(args.port, {"warm": {"query": "warm up"}})
                cpu = cpu_seconds(server.pid)
                load = os.getloadavg()[0]
                reconciled, seconds, per_batch = reconcile_all(args.port, queries)
                cpu = cpu_seconds(server.pid) - cpu
                searched = None
                if args.compare_api:
                    searched, api_seconds = search_all(args.port, queries)
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            drop()
    median, worst = statistics.median(per_batch), max(per_batch)
    print(f"\n{len(queries)} names in {len(per_batch)} batches of {BATCH}: {seconds:.1f} s "
          f"(batch median {median:.0f} ms, max {worst:.0f} ms); the server's CPU "
          f"{cpu:.1f} s; load average {load:.1f} on {os.cpu_count()} cores")  # fmt: skip
    if searched is not None:
        print(f"the same names one by one through /api/victims/?q=: {api_seconds:.1f} s")
    print(table(reconciled, searched))


if __name__ == "__main__":
    main()
