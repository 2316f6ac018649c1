"""People-search evaluation: ``python bench/eval_search.py`` (``make eval-search``).

Writes a synthetic corpus (``bench.synthetic``, 20,000 clearly fictional people) to a
CSV, imports it with ``manage.py import_records victims FILE`` into a FRESH database,
then asks ``/api/victims/?q=`` the known-answer queries of every kind
(``bench.search_eval.build_queries``) and prints recall@1 and recall@10 per kind,
with the median and p95 latency of the API calls. Backends: SQLite (a temporary file)
always; PostgreSQL when a server answers at DATABASE_URL (a postgres:// URL) or at
postgres://archive:archive@127.0.0.1:5432/archive_eval. The script creates its own
database ``<name>_<pid>`` on that server and drops it afterwards: it never writes to
the database the URL names.

A second scenario imports the same corpus with the Latin names of about 10% of the
people removed and asks for those people in Latin spellings: the cross-script case
a Persian-only list creates (goal recall@10 >= 0.9).

The API is called through Django's test Client in a child process with that
DATABASE_URL, so the timings include the view, the search and the JSON, not HTTP.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = [
    "ref", "name_latin", "name_fa", "father_name", "gender", "birth_year",
    "publication_status",
]  # fmt: skip
DEFAULT_PG = "postgres://archive:archive@127.0.0.1:5432/archive_eval"


def corpus(n: int, seed: int) -> list[dict]:
    from bench.synthetic import synthetic_people

    rows = []
    for row in synthetic_people(n, seed=seed):
        # The checker's file has no aliases; the queries are made from what is imported.
        row = dict(row, aliases=[], publication_status="published")
        rows.append(row)
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def latin_removed(rows: list[dict], seed: int, share: float = 0.1, per_kind: int = 300):
    """The corpus with the Latin names of ~``share`` of people (those known in both
    scripts) removed, and Latin-spelling queries for those people."""
    from bench.search_eval import Query, _identity
    from bench.synthetic import name_entries, render_latin

    rng = random.Random(f"latin-removed:{seed}")
    out, removed = [], []
    for row in rows:
        if row["name_latin"] and row["name_fa"] and rng.random() < share:
            row = dict(row, name_latin="")
            removed.append(row)
        out.append(row)
    by_name: dict[tuple, set[str]] = {}
    for row in out:
        entries = name_entries(row)
        if entries:
            by_name.setdefault(_identity(entries), set()).add(row["ref"])
    rng.shuffle(removed)
    queries = []
    for row in removed[:per_kind]:
        entries = name_entries(row)
        if not entries:
            continue
        accept = frozenset(by_name[_identity(entries)] | {row["ref"]})
        queries.append(Query(render_latin(entries, rng), "latin_removed", row["ref"], accept))
    return out, queries


# ----------------------------------------------------------------------------- backends


def sqlite_url(workdir: Path) -> tuple[str, callable]:
    path = workdir / "eval.sqlite3"
    return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)


def postgres_url(base: str) -> tuple[str, callable] | None:
    """A fresh database on the server ``base`` points at, and a function dropping it."""
    try:
        import psycopg2
    except ImportError:
        return None
    parts = urlparse(base)
    name = f"{(parts.path.lstrip('/') or 'archive')}_eval_{os.getpid()}"
    admin = urlunparse(parts._replace(path="/postgres"))
    try:
        conn = psycopg2.connect(admin, connect_timeout=3)
    except psycopg2.Error:
        return None
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()

    return urlunparse(parts._replace(path=f"/{name}")), drop


def child_env(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or "eval-search-not-secret",
        STATIC_MANIFEST="0",
        ALLOWED_HOSTS="localhost",
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def ask(env: dict, queries, workdir: Path) -> tuple[dict, list[float]]:
    """Top-10 refs per query from the API (in a child process), and the latencies (ms)."""
    qfile = workdir / "queries.json"
    rfile = workdir / "results.json"
    qfile.write_text(json.dumps([q.text for q in queries], ensure_ascii=False), "utf-8")
    subprocess.run(
        [sys.executable, __file__, "--worker", str(qfile), str(rfile)],
        env=env,
        cwd=ROOT,
        check=True,
    )
    answers = json.loads(rfile.read_text("utf-8"))
    results = {q: a["refs"] for q, a in zip(queries, answers, strict=True)}
    return results, [a["ms"] for a in answers]


def worker(qfile: str, rfile: str) -> None:
    """Child process: ask the API each query through the test Client."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.db import reset_queries
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    texts = json.loads(Path(qfile).read_text("utf-8"))
    client.get("/api/victims/", {"q": "warm up", "page_size": 10}, secure=True)
    out = []
    for text in texts:
        start = time.perf_counter()
        response = client.get("/api/victims/", {"q": text, "page_size": 10}, secure=True)
        ms = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{text!r}: HTTP {response.status_code} {response.content[:300]!r}")
        refs = [item["ref"] for item in response.json()["results"]]
        out.append({"refs": refs, "ms": ms})
        reset_queries()
    Path(rfile).write_text(json.dumps(out), "utf-8")


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


def run_backend(label: str, url: str, rows, queries, workdir: Path, csv_path: Path) -> dict:
    from bench.search_eval import recall_at, recall_table

    env = child_env(url)
    manage(env, "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    # The rows are published: imported as a reviewer (the command line alone writes
    # drafts), each cell cited to a synthetic source (the publication gate refuses
    # uncited rows).
    from bench.import_bench import BENCH_REVIEWER, BENCH_SOURCE

    manage(env, "shell", "-c", BENCH_REVIEWER)
    source = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", BENCH_SOURCE],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()[-1]  # fmt: skip
    manage(env, "import_records", "victims", str(csv_path), "--as", "bench-reviewer",
           "--source", source)  # fmt: skip
    imported = time.perf_counter() - started
    if url.startswith("postgres"):
        # What autovacuum does soon after a bulk load: statistics for the planner, and
        # the GIN index's pending list merged (until then every search scans it).
        import psycopg2

        conn = psycopg2.connect(url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        conn.close()
    results, ms = ask(env, queries, workdir)
    print(f"\n== {label}: {len(rows):,} people imported in {imported:.0f} s, "
          f"{len(queries)} queries")  # fmt: skip
    print(recall_table(results))
    print(f"latency ms: median {statistics.median(ms):.1f}, p95 {percentile(ms, 0.95):.1f}, "
          f"max {max(ms):.1f}")  # fmt: skip
    by_kind: dict[str, list[float]] = {}
    for query, took in zip(queries, ms, strict=True):
        by_kind.setdefault(query.kind, []).append(took)
    print("p95 ms by kind: " + ", ".join(
        f"{kind} {percentile(v, 0.95):.0f}" for kind, v in by_kind.items()
    ))  # fmt: skip
    return {"results": results, "ms": ms, "r1": recall_at(results, 1)}


def misses(results: dict, per_kind: int = 4) -> None:
    shown: dict[str, int] = {}
    for query, refs in results.items():
        if not any(r in query.accept for r in refs[:1]) and shown.get(query.kind, 0) < per_kind:
            print(f"  miss@1 {query.kind:<15} {query.text!r} want {query.ref} got {refs[:3]}")
            shown[query.kind] = shown.get(query.kind, 0) + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("-n", type=int, default=20_000, help="people in the corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-kind", type=int, default=100, help="queries per kind")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--show-misses", action="store_true", help="print queries missed at 1")
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return

    from bench.search_eval import build_queries

    rows = corpus(args.n, args.seed)
    queries = build_queries(rows, seed=args.seed, per_kind=args.per_kind)
    removed_rows, removed_queries = latin_removed(rows, args.seed)
    with tempfile.TemporaryDirectory(prefix="eval-search-") as tmp:
        workdir = Path(tmp)
        full_csv, removed_csv = workdir / "people.csv", workdir / "latin-removed.csv"
        write_csv(rows, full_csv)
        write_csv(removed_rows, removed_csv)
        backends = []
        if args.backend in ("sqlite", "both"):
            backends.append(("SQLite", lambda: sqlite_url(workdir)))
        if args.backend in ("postgres", "both"):
            env_url = os.environ.get("DATABASE_URL", "")
            base = env_url if env_url.startswith("postgres") else DEFAULT_PG
            backends.append(("PostgreSQL", lambda: postgres_url(base)))
        for label, make in backends:
            for scenario, data, qs, path in (
                ("", rows, queries, full_csv),
                (" (Latin names of ~10% removed)", removed_rows, removed_queries, removed_csv),
            ):
                made = make()
                if made is None:
                    print(f"\n== {label}: no server reachable, skipped")
                    break
                url, drop = made
                try:
                    out = run_backend(label + scenario, url, data, qs, workdir, path)
                    if args.show_misses:
                        misses(out["results"])
                finally:
                    drop()


if __name__ == "__main__":
    main()
