"""Pages right after an edit, against the same pages warm (issue 26, item 2).

On a database of synthetic victims (built by ``bench/run.py``'s builder if short), starts
gunicorn (2 workers, DEBUG off) on 127.0.0.1 and, for each page:

1. warm: ``--clients`` readers ask for it together, ``--rounds`` times, nothing changing;
2. after an edit: before each round one synthetic victim is saved (its ``updated_at`` and
   the change counter move, as a researcher's save does), then the readers arrive
   together, as they do on a busy site. ``--edit save`` (the default) changes nothing a
   list or a count shows; ``--edit fact`` changes the victim's fate, which the
   statistics, the lists' choices and totals and the home page's count show.

Prints the median and p95 of each, and their ratio (after an edit ÷ warm), in one run so
that the ratio holds on a noisy machine. Bounded: rounds × clients requests per page.
Writes only to its own database (synthetic rows; never point it at real data).

    .venv/bin/python bench/after_edit_bench.py --size 100000
    .venv/bin/python bench/after_edit_bench.py --database postgres://…/archive_bench
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import HOST, SQLITE_PATH, build, django_env, manage, start_gunicorn, stop

# "{edited}" is the record the edits change, "{other}" one they leave alone, "{last}" the
# number of the sitemap's last page of victims (``page_urls``).
PAGES = [
    "/stats/", "/victims/", "/", "/victims/?fate=executed", "/map/",
    "/victims/{edited}/", "/fa/victims/{edited}/", "/victims/{other}/",
    "/perpetrators/", "/sources/", "/api/victims/",
    # The sitemap's index (its date moves with every edit of a victim) and the page of it
    # that holds the edited person: rendered anew after each edit. Its last page, which
    # counts every published victim before it.
    "/sitemap.xml", "/sitemap-victims.xml", "/sitemap-victims.xml?p={last}",
]  # fmt: skip
# The record the edit script changes: the first synthetic victim.
EDITED = "Victim.objects.filter(ref__startswith='SYN-').order_by('pk')"
EDITS = {
    # A researcher's save that changes nothing a list or a count shows (a biography, a
    # note): pages keyed on what they show stay as they are.
    "save": "v.save(update_fields=['updated_at'])",
    # A change of a counted fact (the fate, back and forth): the statistics, the list's
    # choices and totals, the home page's count change and are rendered anew.
    "fact": (
        "v.fate = 'died_in_custody' if v.fate == 'executed' else 'executed'; "
        "v.save(update_fields=['fate', 'updated_at'])"
    ),
}


def edit_script(kind: str) -> str:
    return (
        "import sys; from django.db import transaction; from victims.models import Victim\n"
        "for line in sys.stdin:\n"
        "    with transaction.atomic():\n"
        f"        v = {EDITED}.first()\n"
        f"        {EDITS[kind]}\n"
        "    print('edited', flush=True)\n"
    )


def page_urls(env: dict, urls: list[str] = PAGES) -> list[str]:
    """``urls`` with the refs of the record the edits change and of a published one they
    leave alone, and the number of the sitemap's last page of victims, filled in."""
    from bench.run import manage

    script = (
        "from victims.models import Victim\n"
        f"edited = {EDITED}.first()\n"
        "other = Victim.objects.published().exclude(pk=edited.pk).order_by('pk').first()\n"
        "assert edited.is_published, 'the edited synthetic victim is not published'\n"
        "from archive.public.sitemaps import VictimSitemap\n"
        "print(edited.ref, other.ref, VictimSitemap().paginator.num_pages)"
    )
    edited, other, last = manage(env, "shell", "-c", script).split()[-3:]
    return [url.format(edited=edited, other=other, last=last) for url in urls]


def together(port: int, url: str, clients: int) -> list[float]:
    """``clients`` readers asking for ``url`` at the same moment; their latencies (ms)."""
    start = threading.Barrier(clients)
    out: list[float] = []
    lock = threading.Lock()

    def reader():
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        start.wait()
        t0 = time.perf_counter()
        conn.request("GET", url, headers={"Accept-Language": "en"})
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - t0) * 1000
        conn.close()
        if response.status != 200:
            raise SystemExit(f"{url}: {response.status}")
        with lock:
            out.append(elapsed)

    threads = [threading.Thread(target=reader) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * 0.95) - 1)]


def measure(port: int, env: dict, *, clients: int = 20, rounds: int = 10,
            pages: list[str] | None = None, edit: str = "save") -> list[dict]:  # fmt: skip
    """Against the gunicorn on ``port``: each page warm and right after an edit (made by a
    ``manage.py shell`` with ``env``), ``rounds`` times ``clients`` readers together. One
    dict per page: its times warm and after an edit (ms)."""
    import subprocess

    editor = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", edit_script(edit)], env=env, cwd=ROOT,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    rows = []
    try:
        for url in pages or page_urls(env):
            together(port, url, clients)  # computed once: what warm means
            warm, after = [], []
            for _ in range(rounds):
                warm += together(port, url, clients)
            for _ in range(rounds):
                editor.stdin.write("edit\n")
                editor.stdin.flush()
                editor.stdout.readline()
                after += together(port, url, clients)
            rows.append({"url": url, "warm": warm, "after": after})
    finally:
        editor.stdin.close()
        editor.wait(30)
    return rows


def report(rows: list[dict]) -> str:
    """A Markdown table: each page's median and p95 warm and after an edit, and the p95
    ratio."""
    lines = [
        "| page | warm median / p95 ms | after an edit median / p95 ms | p95 ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        warm, after = row["warm"], row["after"]
        lines.append(
            f"| {row['url']} | {statistics.median(warm):.1f} / {p95(warm):.1f} | "
            f"{statistics.median(after):.1f} / {p95(after):.1f} | {p95(after) / p95(warm):.1f} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=f"sqlite:///{SQLITE_PATH}")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--edit",
        choices=sorted(EDITS),
        default="save",
        help="what each edit changes (default: nothing a list or count shows)",
    )
    parser.add_argument(
        "--page", action="append", dest="pages", help="a page to load (repeat); default PAGES"
    )
    args = parser.parse_args(argv)

    env = django_env(args.database)
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    build(env, args.size, 5000)
    manage(env, "shell", "-c", "from django.core.cache import caches; caches['default'].clear()")
    server = start_gunicorn(env, args.port, args.workers)
    try:
        rows = measure(
            args.port,
            env,
            clients=args.clients,
            rounds=args.rounds,
            edit=args.edit,
            pages=page_urls(env, args.pages) if args.pages else None,
        )
    finally:
        stop(server)
    print(report(rows), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
