"""Searches against empty requests on gunicorn, in one run (issue 26, items 1 and 4).

Starts gunicorn (``gunicorn.conf.py``, DEBUG off, 2 workers) on 127.0.0.1 over a database of
synthetic victims and loads it with ``--clients`` closed-loop clients, in turn: a block of
empty requests (``/api/?n=i``: the API's index, no rows, each address distinct so that the
page cache answers none), then a block of distinct searches (``/api/victims/?q=``, the
names ``bench/run.py`` uses), ``--rounds`` times. Taken in turn, a noisy machine weighs on
both alike. For each kind: requests per second, and CPU per request of the gunicorn
workers (Python) and of the PostgreSQL backends serving them (``/proc/<pid>/stat``). The
ratio search ÷ empty is what issue 26 asks for (target: throughput ratio >= 0.5).

    .venv/bin/python bench/search_cost_bench.py --database postgres://…/archive_requests

Bounded (rounds × block requests, each block also capped in seconds), 127.0.0.1 only,
stops its server. Synthetic data only: never point it at a real archive.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import django_env, load, search_queries, start_gunicorn, stop, worker_peaks_kb
from bench.search_profile import proc_cpu


def _children(master: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("PPid:"):
                if int(line.split()[1]) == master:
                    pids.append(int(status.parent.name))
                break
    return pids


def _backends(database_url: str) -> list[int]:
    """PostgreSQL backends connected to the database of ``database_url`` (but this one)."""
    import psycopg2

    conn = psycopg2.connect(database_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
            return [pid for (pid,) in cursor.fetchall()]
    finally:
        conn.close()


def _cpu(pids) -> dict[int, float]:
    out = {}
    for pid in pids:
        with suppress(OSError, ValueError):  # gone meanwhile
            out[pid] = proc_cpu(pid)
    return out


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    # A process that appeared meanwhile counts from zero; one that left is not counted.
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def measure(port: int, master: int, database_url: str | None, *, clients: int, rounds: int,
            block: int, seconds: float) -> dict:  # fmt: skip
    """Empty requests and distinct searches in turn against the gunicorn at ``port``."""
    searches = search_queries(rounds * block + 20)
    for url in searches[:20]:  # warm-up: each worker's first search loads what it keeps
        load(port, [url], 1, 1, 10)
    searches = searches[20:]
    kinds = {
        "empty": [f"/api/?n={i}" for i in range(rounds * block)],
        "search": searches,
    }
    totals = {kind: {"requests": 0, "wall": 0.0, "py": 0.0, "pg": 0.0, "errors": 0}
              for kind in kinds}  # fmt: skip
    postgres = bool(database_url and database_url.startswith("postgres"))
    for r in range(rounds):
        for kind, urls in kinds.items():
            part = urls[r * block : (r + 1) * block]
            workers = _children(master)
            backends = _backends(database_url) if postgres else []
            py0, pg0 = _cpu(workers), _cpu(backends)
            started = time.monotonic()
            result = load(port, part, clients, len(part), seconds)
            wall = time.monotonic() - started
            py1 = _cpu(_children(master))
            pg1 = _cpu(_backends(database_url)) if postgres else {}
            t = totals[kind]
            t["requests"] += result["requests"]
            t["errors"] += result["errors"]
            t["wall"] += wall
            t["py"] += _spent(py0, py1)
            t["pg"] += _spent(pg0, pg1)
    out = {}
    for kind, t in totals.items():
        n = max(1, t["requests"])
        out[kind] = {
            "requests": t["requests"],
            "errors": t["errors"],
            "per_s": t["requests"] / t["wall"] if t["wall"] else 0.0,
            "py_ms": t["py"] / n * 1000,
            "pg_ms": t["pg"] / n * 1000,
        }
    e, s = out["empty"], out["search"]
    out["ratio"] = s["per_s"] / e["per_s"] if e["per_s"] else 0.0
    out["cpu_ratio"] = (s["py_ms"] + s["pg_ms"]) / max(1e-9, e["py_ms"] + e["pg_ms"])
    return out


def report(result: dict) -> str:
    lines = [
        "| requests | n | errors | req/s | CPU/request: Python (workers) | PostgreSQL | total |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, label in (("empty", "empty (/api/)"), ("search", "distinct searches")):
        r = result[kind]
        lines.append(
            f"| {label} | {r['requests']} | {r['errors']} | {r['per_s']:.0f} | "
            f"{r['py_ms']:.2f} ms | {r['pg_ms']:.2f} ms | {r['py_ms'] + r['pg_ms']:.2f} ms |"
        )
    lines.append("")
    lines.append(
        f"search ÷ empty: throughput {result['ratio']:.2f} (target >= 0.5), CPU per request "
        f"{result['cpu_ratio']:.2f} (Python {result['search']['py_ms'] / max(1e-9, result['empty']['py_ms']):.2f}, "  # noqa: E501
        f"PostgreSQL {result['search']['pg_ms'] / max(1e-9, result['empty']['pg_ms']):.2f})"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="DATABASE_URL (synthetic data)")
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--block", type=int, default=200, help="requests per block")
    parser.add_argument("--seconds", type=float, default=60, help="cap per block")
    args = parser.parse_args(argv)
    server = start_gunicorn(django_env(args.database), args.port, args.workers)
    try:
        result = measure(args.port, server.pid, args.database, clients=args.clients,
                         rounds=args.rounds, block=args.block, seconds=args.seconds)  # fmt: skip
        peaks = worker_peaks_kb(server.pid)
    finally:
        stop(server)
    print(report(result))
    if peaks:
        print(f"worker peak RSS {max(peaks) / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
