"""``make bench``: the archive at size, measured on this machine.

Builds (or reuses, when it already holds enough SYN- victims) a PostgreSQL database of
1,000,000 synthetic victims and a SQLite one of 100,000, then for each:

1. the import benchmark (``bench/import_bench.py``: 30,000 rows through
   ``import_records``, rows/s and peak memory); the imported rows are removed afterwards
   so that the database keeps its size;
2. gunicorn (``gunicorn.conf.py``, DEBUG off) on 127.0.0.1 and 20 concurrent clients
   (threads, one keep-alive connection each) for each scenario: API search, list,
   filtered list, deep page, detail and statistics, bounded by a number of requests and
   a number of seconds, after one warm-up pass;
3. database queries per page (a Django test client in a child process, under
   ``CaptureQueriesContext``), peak memory of the gunicorn workers (VmHWM), and the size
   of the name-keys index.

Then prints one table (and with ``--save``, writes it to docs/benchmarks.md). Load goes
to 127.0.0.1 only and stops by itself. It writes to its own databases only
(``archive_bench`` and ``bench/out/archive_bench.sqlite3``); never point it elsewhere.

``--make realistic``: the same on lists of ``bench.synthetic``'s realistic make (family
names as diverse as Iranian ones, and the facts real lists give), in databases of their
own (``archive_bench_realistic``, ``bench/out/archive_bench_realistic.sqlite3``), for the
archive and for the imported file alike. The default make, ``lexicon``, draws every name
from 248 given x 249 family names: its namesakes grow with the square of the list, which
the import's duplicate check pays for (docs/dedupe.md, "The two makes").
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
PG_URL = "postgres://archive:archive@127.0.0.1:5432/archive_bench"
SQLITE_PATH = ROOT / "bench" / "out" / "archive_bench.sqlite3"
HOST = "127.0.0.1"

# --- Child-process probes (Django set up on the bench database) ---------------------------

PROBE = r"""
import json, random, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from archive.core.models import NAME_ORDER, name_order_annotations
from archive.core.pagination import encode_cursor
from victims.models import Victim

mode = sys.argv[1]
out = {}
if mode == "prepare":
    published = Victim.objects.published()
    out["victims"] = Victim.objects.count()
    out["published"] = published.count()
    lo_hi = Victim.objects.order_by("id").values_list("id", flat=True)
    lo, hi = lo_hi.first(), lo_hi.last()
    rng = random.Random(1)
    ids = [rng.randint(lo, hi) for _ in range(600)]
    out["refs"] = list(published.filter(id__in=ids).values_list("ref", flat=True))
    ordering = NAME_ORDER["en"]
    far = int(out["published"] * 0.9)
    row = (published.annotate(**name_order_annotations()).order_by(*ordering)
           .values(*ordering)[far:far + 1].get())
    tag = f"victim-{'-'.join(ordering)}"
    out["far_cursor"] = encode_cursor(tag, "n", [row[k] for k in ordering])
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute(
                "SELECT indexname, pg_relation_size(quote_ident(indexname)::regclass) "
                "FROM pg_indexes WHERE tablename = 'victims_victim' "
                "AND indexdef ILIKE '%%name_keys%%'"
            )
            out["name_key_indexes"] = c.fetchall()
            c.execute("SELECT pg_total_relation_size('victims_victim'), "
                      "pg_database_size(current_database())")
            out["table_bytes"], out["database_bytes"] = c.fetchone()
else:
    client = Client(HTTP_HOST="127.0.0.1")  # page cache off (env): rendering's queries
    for url in json.loads(sys.stdin.read()):
        client.get(url)  # warm caches: the figure is a page view's steady state
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        out[url] = [status, len(queries)]
print("PROBE" + json.dumps(out))
"""


def django_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 30),
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": HOST,
        "PYTHONPATH": str(ROOT),
    }


def probe(env: dict, mode: str, urls: list[str] | None = None) -> dict:
    env = {**env, "PAGE_CACHE_SECONDS": "0"}
    result = subprocess.run(
        [PY, "-c", PROBE, mode], env=env, cwd=ROOT, input=json.dumps(urls or []),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    line = next((x for x in result.stdout.splitlines() if x.startswith("PROBE")), None)
    if line is None:
        sys.exit(f"probe {mode} failed:\n{result.stderr[-3000:]}")
    return json.loads(line[5:])


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


# --- Building ---------------------------------------------------------------------------


def bench_databases(make: str) -> tuple[str, Path]:
    """The PostgreSQL URL and the SQLite file of the benchmark's lists of ``make``."""
    if make == "lexicon":
        return PG_URL, SQLITE_PATH
    return f"{PG_URL}_{make}", SQLITE_PATH.with_name(f"archive_bench_{make}.sqlite3")


def ensure_pg_database(url: str = PG_URL) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(
                f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                "LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            )
    conn.close()


def vacuum(url: str) -> None:
    """Fresh bulk-written rows have no visibility hints and no statistics: the first reads
    would pay for both. A real archive is vacuumed by autovacuum; the bench does it now."""
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) victims_victim")
        cursor.execute("VACUUM (ANALYZE) victims_historicalvictim")
    conn.close()


def synthetic_count(env: dict) -> int:
    code = "from victims.models import Victim; print(Victim.objects.filter(ref__lt='SYN-9').filter(ref__startswith='SYN-').count())"  # noqa: E501
    return int(manage(env, "shell", "-c", code).split()[-1])


def synthesize(env: dict, *args: str) -> str:
    """``bench/generate_synthetic.py`` (a development tool, not a command of the site)."""
    result = subprocess.run(
        [PY, "bench/generate_synthetic.py", *args], env=env, cwd=ROOT, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    if result.returncode:
        sys.exit(f"generate_synthetic {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def build(env: dict, size: int, batch_size: int, make: str = "lexicon") -> tuple[int, float]:
    """Migrate and top the database up to ``size`` synthetic victims; returns the count
    before and the build's rows/s (0 when nothing was built)."""
    manage(env, "migrate", "--noinput", "-v", "0")
    have = synthetic_count(env)
    if have >= size:
        print(f"  reusing {have:,} synthetic victims", flush=True)
        return have, 0.0
    print(f"  building {size - have:,} synthetic victims (have {have:,}) ...", flush=True)
    started = time.monotonic()
    synthesize(env, "victims", str(size - have), "--start", str(have + 1),
           "--batch-size", str(batch_size), "--make", make)  # fmt: skip
    return have, (size - have) / (time.monotonic() - started)


KEYS = """
import time
from archive.core.linkage_store import refresh
from django.db import connection
from victims.models import Victim
began = time.monotonic()
made = refresh(connection, Victim)
print("KEYS", made, time.monotonic() - began)
"""


def make_keys(env: dict) -> dict:
    """The duplicate check's stored keys of every victim the build wrote (which, like an
    import's rows, the next check would otherwise make): timed apart, so that the import
    benchmark measures the import and not a million people's keys."""
    line = manage(env, "shell", "-c", KEYS).split("KEYS", 1)[1].split()
    made, seconds = int(line[0]), float(line[1])
    print(f"  duplicate check's keys of {made:,} people made in {seconds:.1f} s", flush=True)
    return {"made": made, "seconds": seconds}


IMPORT_START = 9_000_001  # SYN-9000001 on: the import benchmark's rows, removed after


def import_benchmark(env: dict, rows: int, *, source: bool = True, make: str = "lexicon") -> dict:
    extra = ([] if source else ["--no-source"]) + ["--make", make]
    result = subprocess.run(
        [PY, str(ROOT / "bench" / "import_bench.py"), str(rows), "--start", str(IMPORT_START),
         "--seed", "8", *extra], env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    cleanup = (
        "from victims.models import Victim; "
        "from sources.models import Citation; "
        "Citation.objects.filter(victim__ref__gte='SYN-9', victim__ref__startswith='SYN-').delete(); "  # noqa: E501
        "Victim.history.filter(ref__gte='SYN-9').filter(ref__startswith='SYN-').delete(); "
        "qs = Victim.objects.filter(ref__gte='SYN-9').filter(ref__startswith='SYN-'); "
        "qs.update(publication_status='draft'); qs.delete(); "
        # The import's people out of the duplicate check's stored keys now, not in the
        # next import's timed refresh (5.2 s for 30,000 at a million).
        "from victims.dedupe import refresh_stored_keys; refresh_stored_keys()"
    )
    manage(env, "shell", "-c", cleanup)
    if env["DATABASE_URL"].startswith("postgres"):
        # The next import starts on a settled database, as the first did, not with
        # autovacuum due on the clean-up's dead rows. (The second import of the
        # nineteenth session had the CPU 41 % of the time and waited on PostgreSQL the
        # rest, for a cause not measured.)
        vacuum(env["DATABASE_URL"])
    if result.returncode:
        print(result.stdout, result.stderr[-2000:], file=sys.stderr)
        return {}
    figures = {}
    for line in result.stdout.splitlines():
        if m := re.match(r"import rows/s\s+([\d,]+)", line):
            figures["rows_per_s"] = int(m.group(1).replace(",", ""))
        if m := re.match(r"peak memory \(RSS\)\s+([\d,]+) MB", line):
            figures["peak_mb"] = int(m.group(1).replace(",", ""))
        if m := re.match(r"COPY rows/s\s+([\d,]+)", line):
            figures["copy_rows_per_s"] = int(m.group(1).replace(",", ""))
        if m := re.match(r"import / COPY\s+([\d.]+)", line):
            figures["ratio"] = float(m.group(1))
    return figures


# --- Serving and load ---------------------------------------------------------------------


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    env = {**env, "GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_WORKERS": str(workers)}
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "-c", "gunicorn.conf.py", "archive.wsgi"],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/stats/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    sys.exit("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()


def worker_peaks_kb(master: int) -> list[int]:
    """VmHWM (peak resident memory) of each gunicorn worker, the master's children."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", text, re.M)
        hwm = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
        if ppid and hwm and int(ppid.group(1)) == master:
            peaks.append(int(hwm.group(1)))
    return peaks


def load(port: int, urls: list[str], clients: int, total: int, seconds: float) -> dict:
    """``total`` requests (cycling through ``urls``) from ``clients`` threads, or as many
    as ``seconds`` allow; latencies in ms and the count of non-200 answers."""
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    errors: list[int] = []
    hits = 0
    deadline = time.monotonic() + seconds

    def client():
        nonlocal issued, hits
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while True:
            with lock:
                if issued >= total or time.monotonic() > deadline:
                    break
                url = urls[issued % len(urls)]
                issued += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Accept-Language": "en"})
                response = conn.getresponse()
                response.read()
                status = response.status
                hit = response.getheader("X-Cache") == "hit"
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                status = 0
                hit = False
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                hits += hit
                if status != 200:
                    errors.append(status)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else 0.0
    return {
        "median": statistics.median(latencies) if latencies else 0.0,
        "p95": p95,
        "requests": len(latencies),
        "errors": len(errors),
        "error_codes": sorted(set(errors)),
        "per_s": len(latencies) / wall if wall else 0.0,
        "hits": hits / len(latencies) if latencies else 0.0,
    }


def fetch(port: int, url: str) -> str:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", url, headers={"Accept-Language": "en"})
    body = conn.getresponse().read().decode()
    conn.close()
    return body


def search_queries(count: int = 400) -> list[str]:
    """Distinct names from the lexicon, so that no search is answered from the page
    cache: given and family name in Latin (one of the spellings), in Persian, family
    name first with a comma, with an initial, and with a letter dropped (a typo)."""
    import random
    from urllib.parse import quote

    from archive.core.names.lexicon import FAMILY_NAMES, GIVEN_NAMES

    rng = random.Random(8)
    terms: dict[str, None] = {}
    while len(terms) < count:
        g, f = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        given, family = rng.choice(g.latin), rng.choice(f.latin)
        kind = len(terms) % 5
        if kind == 0:
            term = f"{given} {family}"
        elif kind == 1:
            term = f"{g.fa} {f.fa}"
        elif kind == 2:
            term = f"{family}, {given}"
        elif kind == 3:
            term = f"{given[0]}. {family}"
        else:
            cut = rng.randrange(1, len(family))
            term = f"{given} {family[:cut]}{family[cut + 1 :]}"
        terms[term] = None
    return [f"/api/victims/?q={quote(t)}" for t in terms]


# Scenarios measured with one client instead of ``--clients``: the latency of a search on
# an otherwise idle server, without the queueing of twenty clients on two cores.
SINGLE_CLIENT = {"API search, 1 client"}


def scenarios(port: int, prepared: dict) -> dict[str, list[str]]:
    queries = search_queries(700)
    deep = []
    url = "/victims/"
    for _ in range(12):  # follow the list's "next" links, as a reader paging on would
        match = re.search(
            r'href="(\?[^"]*cursor=[^"]+)"[^>]*rel="next"|rel="next"[^>]*href="(\?[^"]*cursor=[^"]+)"',
            fetch(port, url),
        )
        if not match:
            break
        url = "/victims/" + (match.group(1) or match.group(2)).replace("&amp;", "&")
        deep.append(url)
    deep.append(f"/victims/?cursor={prepared['far_cursor']}")
    filtered = [
        "/victims/?fate=executed&event=1988-massacre",
        "/victims/?fate=killed_protesting&event=november-2019-protests",
        "/victims/?fate=died_in_custody&event=1988-massacre&gender=female",
    ]
    return {
        "API search": queries[:400],
        "API search, 1 client": queries[400:],
        "list": ["/victims/"],
        "filtered list": filtered,
        "deep page": deep[-6:],
        "detail": [f"/victims/{ref}/" for ref in prepared["refs"]],
        "stats": ["/stats/"],
        # Yardsticks, not targets: what a request costs this server with no search at all.
        # A search's JSON is a list page plus the search; neither can be faster than these.
        "yardstick: API index": [f"/api/?n={i}" for i in range(1000)],
        "yardstick: API list": [f"/api/victims/?n={i}" for i in range(1000)],
    }


# --- One database --------------------------------------------------------------------------


def bench_one(label: str, url: str, size: int, args) -> dict:
    env = django_env(url)
    print(f"{label}: {url.split('@')[-1]}", flush=True)
    _before, build_rate = build(env, size, args.batch_size, args.make)
    keys = make_keys(env)
    rows, make = args.import_rows, args.make
    imported = {} if args.skip_import else import_benchmark(env, rows, make=make)
    print(f"  import with --source: {imported or 'skipped'}", flush=True)
    drafts = {} if args.skip_import else import_benchmark(env, rows, source=False, make=make)
    print(f"  import of drafts without a source: {drafts or 'skipped'}", flush=True)
    if url.startswith("postgres"):
        vacuum(url)
    prepared = probe(env, "prepare")
    # Pages kept by an earlier run under the same data version would answer every search
    # and record from the cache: start cold.
    manage(env, "shell", "-c", "from django.core.cache import caches; caches['default'].clear()")
    server = start_gunicorn(env, args.port, args.workers)
    results = {}
    try:
        plan = scenarios(args.port, prepared)
        for name, urls in plan.items():
            # Warm-up: one pass over the last URLs, so that caches hold what they would;
            # scenarios of distinct URLs (searches, records) never ask for these again.
            for u in urls[-10:]:
                fetch(args.port, u)
            clients = 1 if name in SINGLE_CLIENT else args.clients
            results[name] = load(args.port, urls, clients, args.requests, args.seconds)
            r = results[name]
            print(
                f"  {name:14} median {r['median']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
                f"n={r['requests']} errors={r['errors']} {r['error_codes']} "
                f"hits={r['hits']:.0%}",
                flush=True,
            )
        # Issue 26: empty requests and distinct searches in turn, CPU per request split
        # between the workers (Python) and PostgreSQL's backends, as a ratio.
        from bench.search_cost_bench import measure

        search_cost = measure(args.port, server.pid, url, clients=args.clients, rounds=3,
                              block=min(200, args.requests), seconds=args.seconds)  # fmt: skip
        # Issue 26: pages right after an edit against the same pages warm, same server.
        from bench import after_edit_bench

        after_edit = {
            edit: after_edit_bench.measure(args.port, env, clients=args.clients, rounds=6,
                                           edit=edit)
            for edit in ("save", "fact")
        }  # fmt: skip
        peaks = worker_peaks_kb(server.pid)
    finally:
        stop(server)
    counted = probe(env, "queries", [urls[0] for urls in plan.values()])
    for name, urls in plan.items():
        results[name]["queries"] = counted.get(urls[0], [0, None])[1]
    return {
        "label": label, "size": prepared["victims"], "published": prepared["published"],
        "build_rate": build_rate, "keys": keys, "import": imported, "import_drafts": drafts,
        "results": results,
        "worker_peak_mb": max(peaks) / 1024 if peaks else None, "workers": len(peaks),
        "indexes": prepared.get("name_key_indexes", []),
        "table_bytes": prepared.get("table_bytes"),
        "database_bytes": prepared.get("database_bytes"), "search_cost": search_cost,
        "after_edit": after_edit,
    }  # fmt: skip


TARGETS = {"API search": 50, "API search, 1 client": 50, "list": 100, "filtered list": 100,
           "deep page": 100, "detail": 100, "stats": 100}  # fmt: skip


def table(runs: list[dict], args) -> str:
    lines = [
        "| database | scenario | median ms | p95 ms | target p95 | requests | errors | req/s | "
        "page cache hits | queries/page |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        db = f"{run['label']} {run['size']:,}"
        for name, r in run["results"].items():
            target = TARGETS.get(name, "") if run["label"].startswith("PostgreSQL") else ""
            mark = "" if not target else (" ok" if r["p95"] <= target else " MISSED")
            lines.append(
                f"| {db} | {name} | {r['median']:.1f} | {r['p95']:.1f} | "
                f"{f'{target}{mark}' if target else '-'} | {r['requests']} | {r['errors']} | "
                f"{r['per_s']:.0f} | {r['hits']:.0%} | {r['queries']} |"
            )
    lines.append("")
    lines.append(
        "errors: answers other than 200; 0 in the log means no answer within the client's 30 s. "
        "page cache hits: answers served whole from the page cache (X-Cache: hit); searches "
        "and records are distinct URLs, so each is rendered. queries/page: a page rendered "
        "with the cache off (a cached page costs one query, the data's version). "
        "yardstick: the API's index (a small JSON document, no rows) and its first page of "
        "victims, each at a distinct address so that nothing comes from the page cache: "
        "the cost of a request with no search in it."
    )
    lines.append("")
    for run in runs:
        parts = [f"**{run['label']}** ({run['size']:,} victims, {run['published']:,} published)"]
        for key, what in (("import", "with --source"), ("import_drafts", "of drafts, no source")):
            imp = run.get(key)
            if not imp:
                continue
            if not imp.get("rows_per_s"):
                parts.append(f"import {what}: see log")
                continue
            ratio = (
                # Two significant digits: at a million a ratio of 0.0002 read "0.000".
                f", {imp['ratio']:.2g} of a COPY of the same file into a bare table "
                f"({imp['copy_rows_per_s']:,} rows/s)"
                if imp.get("ratio") else ""
            )  # fmt: skip
            parts.append(
                f"import {what} {imp['rows_per_s']:,} rows/s{ratio} "
                f"({1e6 / imp['rows_per_s'] / 60:.1f} min per million), "
                f"peak memory {imp.get('peak_mb')} MB for {args.import_rows:,} rows"
            )
        if run["build_rate"]:
            parts.append(f"build (generate_synthetic) {run['build_rate']:,.0f} rows/s")
        keys = run.get("keys") or {}
        if keys.get("made"):
            parts.append(
                f"the duplicate check's keys of {keys['made']:,} people made in "
                f"{keys['seconds']:.0f} s ({keys['made'] / keys['seconds']:,.0f} people/s)"
            )
        if run["worker_peak_mb"]:
            parts.append(
                f"gunicorn worker peak RSS {run['worker_peak_mb']:.0f} MB "
                f"(max of {run['workers']} workers)"
            )
        for name, size in run["indexes"]:
            parts.append(
                f"index {name} {size / 2**20:.0f} MB ({size / run['size']:.0f} bytes per victim)"
            )
        if run["table_bytes"]:
            parts.append(
                f"victims table with indexes {run['table_bytes'] / 2**20:.0f} MB "
                f"({run['table_bytes'] / run['size']:.0f} bytes per victim), database "
                f"{run['database_bytes'] / 2**20:.0f} MB"
            )
        lines.append("- " + "; ".join(parts) + ".")
    from bench.search_cost_bench import report

    for run in runs:
        if run.get("search_cost"):
            lines.append("")
            lines.append(
                f"Search ÷ empty request, {run['label']} (issue 26; in turn, same server):"
            )
            lines.append("")
            lines.append(report(run["search_cost"]))
    from bench.after_edit_bench import report as after_edit_report

    edits = {
        "save": "one synthetic victim saved, changing nothing a list or a count shows",
        "fact": "one synthetic victim's fate changed, which the counts show",
    }
    for run in runs:
        for edit, rows in (run.get("after_edit") or {}).items():
            lines += [
                "",
                f"Pages right after an edit ÷ the same pages warm, {run['label']} (issue 26; "
                f"20 readers arriving together; before each round after an edit, {edits[edit]}):",
                "",
                after_edit_report(rows),
            ]
    return "\n".join(lines)


def main(argv=None) -> int:
    from bench.synthetic import MAKES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-size", type=int, default=1_000_000)
    parser.add_argument("--sqlite-size", type=int, default=100_000)
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=300, help="per scenario")
    parser.add_argument("--seconds", type=float, default=60, help="cap per scenario")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2,
        help="gunicorn workers (default: one per core, as gunicorn.conf.py)",
    )  # fmt: skip
    parser.add_argument("--port", type=int, default=8108)
    parser.add_argument("--import-rows", type=int, default=30_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--save", help="write the table to this Markdown file")
    parser.add_argument(
        "--make", choices=MAKES, default="lexicon",
        help="which make of synthetic list, in databases of its own (see above)",
    )  # fmt: skip
    args = parser.parse_args(argv)

    runs = []
    pg_url, sqlite_path = bench_databases(args.make)
    made = "" if args.make == "lexicon" else f" ({args.make} make)"
    if args.only in (None, "postgresql"):
        ensure_pg_database(pg_url)
        runs.append(bench_one("PostgreSQL" + made, pg_url, args.pg_size, args))
    if args.only in (None, "sqlite"):
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        runs.append(bench_one("SQLite" + made, f"sqlite:///{sqlite_path}", args.sqlite_size, args))
    result = table(runs, args)
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    head = (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}: {os.cpu_count()} "
        f"cores ({cpu}), {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}; {args.clients} concurrent clients, gunicorn "
        f"{args.workers} sync workers, up to {args.requests} requests or {args.seconds:.0f} s "
        f"per scenario, load average at the end {os.getloadavg()[0]:.1f}."
    )
    print("\n" + head + "\n\n" + result)
    if args.save:
        save(Path(args.save), head, result)
    return 0


TITLE = "# Benchmarks\n"


def save(path: Path, head: str, result: str) -> None:
    """Adds this run at the top of ``path``, under its title, and keeps what is there: the
    file is the record of every run and of what each change measured, and a run that wrote
    it anew would lose that record."""
    kept = path.read_text() if path.exists() else ""
    kept = kept.removeprefix(TITLE).lstrip("\n")
    # The file's opening words (what it is, where its numbers come from) stay first.
    first = re.search(r"^## ", kept, re.MULTILINE)
    at = first.start() if first else len(kept)
    preamble, sections = kept[:at], kept[at:]
    preamble = preamble.strip("\n") + "\n\n" if preamble.strip() else ""
    section = f"## make bench, {head}\n\n{result}\n"
    path.write_text(TITLE + "\n" + preamble + section + ("\n" + sections if sections else ""))


if __name__ == "__main__":
    sys.exit(main())
