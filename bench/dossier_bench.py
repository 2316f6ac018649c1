"""``python bench/dossier_bench.py``: what an event's dossier costs, on synthetic data only.

Builds (or reuses) its own database, ``bench/out/dossier_bench.sqlite3`` (or the bench
PostgreSQL database given with ``--database-url``; never a real archive's), holding clearly
synthetic records: ``generate_synthetic`` victims (refs ``SYN-…``, names recombined from
the lexicon) of the synthetic "1988 massacre of political prisoners (synthetic)" event,
and 40 synthetic sources ("Synthetic list of names no. N, not a real source") cited three
times for each of the 300 victims the dossier lists by name. Then measures:

1. the PDF render in a fresh process (English and Persian): CPU, wall time, peak memory
   (``ru_maxrss``), size;
2. gunicorn (``gunicorn.conf.py``, 2 workers, 30 s timeout) on 127.0.0.1 with an empty PDF
   store: two readers asking for the PDF at once (the audit's case: each got a 500 after
   30 s), and how long until the background renderer has made it;
3. each form of the dossier served by a warm worker: wall time and CPU per request (the
   workers' ``/proc/<pid>/stat`` before and after), and the workers' peak memory
   (``VmHWM``);
4. two readers at once of the pre-rendered dossier on fresh (cold) workers;
5. the first request for a small dossier's PDF (three synthetic perpetrators, no
   commission), rendered in the request within its CPU bound, on a fresh and a warm
   worker.

Prints the figures; the targets are no request over 2 s of CPU or 300 MB, and no 5xx
other than the designed 503 while a render runs. Load goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
HOST = "127.0.0.1"
SQLITE_PATH = ROOT / "bench" / "out" / "dossier_bench.sqlite3"
EVENT = "1988-massacre"  # generate_synthetic's event: "… (synthetic)"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

SETUP = r"""
import random
import django
django.setup()
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from archive.core.models import Event
from sources.models import Citation, Source
from victims.models import Victim

event = Event.objects.get(slug="%(event)s")
assert "(synthetic)" in event.name_en, "not the synthetic event: refusing to add to it"
ct = ContentType.objects.get_for_model(Victim)
if not Citation.objects.filter(content_type=ct).exists():
    now = timezone.now()
    sources = [
        Source.objects.create(
            kind="other", title=f"Synthetic list of names no. {i}, not a real source",
            publisher="Synthetic data, not a real source",
            url=f"https://example.org/synthetic/list-{i}.pdf",
            publication_status="published", published_at=now,
        )
        for i in range(40)
    ]
    rng = random.Random(1)
    listed = Victim.objects.published().filter(event=event).order_by("name_latin", "name_fa", "ref")
    Citation.objects.bulk_create(
        Citation(content_type=ct, object_id=v.pk, source=rng.choice(sources), claim=claim,
                 locator=f"p. {rng.randint(1, 400)}")
        for v in listed[:300] for claim in ("general", "death_date", "prison")
    )
print("SETUP", Victim.objects.published().filter(event=event).count(),
      Citation.objects.filter(content_type=ct).count())
"""

RENDER = r"""
import json, resource, sys, time
t0, w0 = time.process_time(), time.perf_counter()
import django
django.setup()
from archive.dossiers.render import Output
lang = sys.argv[1]
t1 = time.process_time()
out = Output.build("event", "%(event)s", base_url="http://%(host)s/", lang=lang)
html = out.html(for_pdf=True)
t2 = time.process_time()
pdf = out.pdf(html=html)
t3, w3 = time.process_time(), time.perf_counter()
print("PROBE" + json.dumps({
    "setup_cpu": t1 - t0, "html_cpu": t2 - t1, "pdf_cpu": t3 - t2, "wall": w3 - w0,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "pdf_kb": len(pdf) / 1024, "html_kb": len(html.encode()) / 1024,
}))
"""


def django_env(database_url: str, port: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 30),
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": HOST,
        "PYTHONPATH": str(ROOT),
        "PAGE_CACHE_SECONDS": "0",  # measure the views, not the page cache
        "GUNICORN_BIND": f"{HOST}:{port}",
    }


def run(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        args, env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"{' '.join(args[:3])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def manage(env: dict, *args: str) -> str:
    return run(env, PY, "manage.py", *args)


def python(env: dict, code: str, *args: str) -> str:
    return run(env, PY, "-c", code, *args)


def build(env: dict, victims: int) -> tuple[int, int]:
    manage(env, "migrate", "--noinput", "-v", "0")
    count = "from victims.models import Victim; print(Victim.objects.count())"
    have = int(manage(env, "shell", "-c", count).strip().splitlines()[-1])
    if have < victims:
        print(f"writing {victims - have:,} synthetic victims …", flush=True)
        synthesize(env, "victims", str(victims - have), "--start", str(have + 1))
    count = "from perpetrators.models import Perpetrator; print(Perpetrator.objects.count())"
    if int(manage(env, "shell", "-c", count).strip().splitlines()[-1]) < 3:
        synthesize(env, "perpetrators", "3")  # small dossiers
    line = next(x for x in python(env, SETUP % {"event": EVENT}).splitlines() if "SETUP" in x)
    _, published, citations = line.split()
    return int(published), int(citations)


# --- gunicorn and its workers -----------------------------------------------------------


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    env = {**env, "GUNICORN_WORKERS": str(workers), "GUNICORN_TIMEOUT": "30"}
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "-c", "gunicorn.conf.py", "archive.wsgi"],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(port, "/robots.txt")
            return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    sys.exit("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def workers(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def peak_mb(pids: list[int]) -> list[float]:
    peaks = []
    for pid in pids:
        text = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"^VmHWM:\s+(\d+) kB", text, re.M).group(1)) / 1024)
    return peaks


def get(port: int, path: str) -> tuple[int, float, dict, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, time.perf_counter() - started, dict(response.getheaders()), len(body)


def together(port: int, paths: list[str]) -> list[tuple[int, float, dict, int]]:
    results: list = [None] * len(paths)

    def one(i, p):
        results[i] = get(port, p)

    threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(paths)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def per_request(port: int, master: int, path: str, n: int) -> dict:
    pids = workers(master)
    walls, cpus, statuses = [], [], set()
    for _ in range(n):
        before = cpu_seconds(pids)
        status, wall, _headers, size = get(port, path)
        cpus.append(cpu_seconds(pids) - before)
        walls.append(wall)
        statuses.add(status)
    return {
        "path": path,
        "statuses": sorted(statuses),
        "wall_ms": statistics.median(walls) * 1000,
        "cpu_ms_max": max(cpus) * 1000,
        "kb": size / 1024,
    }


def synthesize(env: dict, *args: str) -> str:
    """``bench/generate_synthetic.py`` (a development tool, not a command of the site)."""
    result = subprocess.run(
        [PY, "bench/generate_synthetic.py", *args], env=env, cwd=ROOT, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    if result.returncode:
        sys.exit(f"generate_synthetic {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--victims", type=int, default=20_000)
    parser.add_argument("--database-url", default=f"sqlite:///{SQLITE_PATH}")
    parser.add_argument("--port", type=int, default=8024)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if "bench" not in args.database_url:
        sys.exit("The database's name must contain 'bench': this script writes to it.")
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    env = django_env(args.database_url, args.port)
    published, citations = build(env, args.victims)
    print(
        f"Synthetic event: {published:,} published victims (300 listed by name), "
        f"{citations:,} citations of 40 synthetic sources. Synthetic data only."
    )

    for lang in ("en", "fa"):
        line = next(
            x
            for x in python(
                env, RENDER % {"event": EVENT, "host": f"{HOST}:{args.port}"}, lang
            ).splitlines()
            if x.startswith("PROBE")
        )
        r = json.loads(line[5:])
        print(
            f"render {lang} (fresh process): PDF {r['pdf_cpu']:.1f} s CPU "
            f"(+ {r['setup_cpu']:.1f} s start-up, {r['html_cpu']:.2f} s building the HTML), "
            f"{r['wall']:.1f} s wall, peak RSS {r['rss_mb']:.0f} MB, "
            f"PDF {r['pdf_kb']:.0f} kB from {r['html_kb']:.0f} kB of HTML"
        )

    base = f"/events/{EVENT}/dossier"
    manage(
        env,
        "shell",
        "-c",
        "from perpetrators.models import DossierRendering as R; R.objects.all().delete()",
    )
    server = start_gunicorn(env, args.port, args.workers)
    fivexx = 0
    try:
        master = server.pid
        for ref, worker in (("SYN-0000001", "a fresh worker"), ("SYN-0000002", "a warm one")):
            r = per_request(args.port, master, f"/perpetrators/{ref}/dossier.pdf", 1)
            fivexx += any(s >= 500 and s != 503 for s in r["statuses"])
            print(
                f"a small (perpetrator's) dossier's first PDF, on {worker}: {r['statuses']} "
                f"in {r['wall_ms']:.0f} ms, {r['cpu_ms_max']:.0f} ms of CPU"
            )
        first = together(args.port, [f"{base}.pdf", f"{base}.pdf"])
        fivexx += sum(s >= 500 and s != 503 for s, *_ in first)
        print(
            f"two readers of the unrendered PDF at once ({args.workers} workers): "
            + ", ".join(
                f"{s} in {w:.2f} s (Retry-After {h.get('Retry-After', '-')})"
                for s, w, h, _ in first
            )
        )
        started = time.monotonic()
        while time.monotonic() - started < 300:
            status, *_ = get(args.port, f"{base}.pdf")
            fivexx += status >= 500 and status != 503
            if status == 200:
                break
            time.sleep(1)
        print(f"  the background renderer made it in {time.monotonic() - started:.1f} s: {status}")
        for path, n in (
            (f"{base}.pdf", 10),
            (f"/fa{base}.pdf", 1),  # rendered in the background meanwhile? else 503
            (f"{base}/", 3),
            (f"/fa{base}/", 3),
            (f"{base}.json", 3),
            (f"{base}.sha256", 3),
        ):
            r = per_request(args.port, master, path, n)
            fivexx += any(s >= 500 and s != 503 for s in r["statuses"])
            print(
                f"  {path}: {r['statuses']} median {r['wall_ms']:.0f} ms, "
                f"CPU at most {r['cpu_ms_max']:.0f} ms, {r['kb']:.0f} kB"
            )
        print("  workers' peak RSS: " + ", ".join(f"{m:.0f} MB" for m in peak_mb(workers(master))))
    finally:
        stop(server)

    server = start_gunicorn(env, args.port, args.workers)
    try:
        cold = together(args.port, [f"{base}.pdf", f"{base}.pdf"])
        fivexx += sum(s >= 500 and s != 503 for s, *_ in cold)
        print(
            "two readers at once of the stored PDF, fresh workers: "
            + ", ".join(f"{s} in {w:.2f} s" for s, w, *_ in cold)
        )
    finally:
        stop(server)
    print(f"answers 5xx other than 503: {fivexx}")


if __name__ == "__main__":
    main()
