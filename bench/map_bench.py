"""``python bench/map_bench.py [--victims N] [--places 500] [--requests 200] [--no-keys]``:
the map page (``/map/``, ``/fa/map/``) at size, measured in this process.

Builds synthetic records in the database ``DATABASE_URL`` names (never a real archive's:
refs ``SYN-…``, places "SYN place N"): N victims through ``generate_synthetic`` when the
database holds fewer (on PostgreSQL, past the first 100,000, as copies of them by
``INSERT ... SELECT``: ``grow``), then ``--places`` places with coordinates spread over
Iran's provinces, and gives each synthetic victim a prison, a place of death and a burial
place among them (one UPDATE each). Then, through Django's test client (no network; the
Host is 127.0.0.1):

- **cold**: the page rendered with every cache emptied (both levels of the page cache and
  the data caches: the public places), ``--cold`` times;
- **after an edit**: the page right after a synthetic victim is withdrawn or published
  again through the ORM (the data's version moves: every cache keyed on it misses), as a
  reader meets it after a researcher's change, ``--cold`` times;
- **shared level**: the worker's page cache emptied, the page read from the shared level
  (the database cache), ``--cold`` times;
- **cached**: the page served by the page cache, ``--requests`` times;

and prints p50/p95 of each (wall clock) with the median CPU time per request (this
process's and the PostgreSQL backend's, read from ``/proc``: on a shared machine the wall
clock says more about the others than about the page), the SVG's size and the page's; then
checks that the tallies the database keeps (``victims.tallies``) are what a fresh count
gives, and what that count costs (the query each cold map ran before the tallies). It
stops by itself.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    import django

    django.setup()

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, reset_queries, transaction
from django.db.models import Max, Min
from django.test.utils import CaptureQueriesContext

from archive.core.models import Place
from archive.public import maps
from victims.models import Victim

KINDS = ("prison", "prison", "cemetery", "mass_grave", "city")


def synthetic_places(n: int, seed: int = 0) -> list[Place]:
    """``n`` places with coordinates inside Iran's provinces (drawn at random until one
    falls in a province), kinds mixed, named "SYN place N"."""
    rng = random.Random(seed)
    base = maps.base_map()
    out = []
    while len(out) < n:
        lon, lat = rng.uniform(44.5, 63.0), rng.uniform(25.5, 39.5)
        if base.province_at(lon, lat) is None:
            continue
        i = len(out) + 1
        out.append(
            Place(
                kind=KINDS[i % len(KINDS)],
                name_en=f"SYN place {i}",
                name_fa=f"مکان آزمایشی {i}",
                slug=f"syn-place-{i}",
                latitude=round(lat, 5),
                longitude=round(lon, 5),
            )
        )
    return out


def build(victims: int, places: int, minutes: float, *, keys: bool = True) -> None:
    """Synthetic victims up to ``victims`` (in chunks of 10,000, each its own command and
    transactions, stopping at ``minutes`` of building: whatever was built stays), the
    places, a published synthetic gazetteer cited for every place's coordinates (the map
    draws only cited coordinates), then each synthetic victim's three places, by id
    ranges of 20,000 (each UPDATE its own transaction: an interrupted build keeps what it
    did, and the next run goes on)."""
    from bench.generate_synthetic import Command as Generate

    started = time.monotonic()
    have = Victim.objects.filter(ref__startswith="SYN-").count()
    if connection.vendor == "postgresql" and have >= 100_000:
        grow(victims, minutes, keys=keys)
        have = victims
    while have < victims and time.monotonic() - started < minutes * 60:
        n = min(10_000, victims - have)
        call_command(Generate(), "victims", n, start=have + 1)
        have += n
        print(f"  {have:,} synthetic victims ({time.monotonic() - started:.0f} s)", flush=True)
    with transaction.atomic():
        if not Place.objects.filter(slug__startswith="syn-place-").exists():
            Place.objects.bulk_create(synthetic_places(places))
    ids = sorted(Place.objects.filter(slug__startswith="syn-place-").values_list("pk", flat=True))[
        :places
    ]
    cite_coordinates(ids)
    # Place ids were made in one statement: contiguous on both databases.
    if ids != list(range(ids[0], ids[0] + len(ids))):
        raise SystemExit("synthetic places are not contiguous; use a fresh database")
    first, count = ids[0], len(ids)
    table = connection.ops.quote_name(Victim._meta.db_table)
    low, high = (
        Victim.objects.filter(ref__startswith="SYN-")
        .aggregate(low=Min("pk"), high=Max("pk"))
        .values()
    )
    step = 20_000
    for lo in range(low or 0, (high or -1) + 1, step):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET prison_id = %s + (id %% %s), "
                "death_place_id = %s + ((id / 3) %% %s), "
                "burial_place_id = %s + ((id / 7) %% %s) "
                "WHERE id >= %s AND id < %s AND ref LIKE 'SYN-%%' "
                "AND (prison_id IS NULL OR prison_id < %s)",
                [first, count, first, count, first, count, lo, lo + step, first],
            )
        print(f"  places given up to victim id {lo + step:,}", flush=True)
    call_command("createcachetable", verbosity=0)
    print(f"built in {time.monotonic() - started:.0f} s", flush=True)


def grow(victims: int, minutes: float, *, keys: bool = True) -> None:
    """PostgreSQL: synthetic victims up to ``victims`` as copies of the first 100,000
    synthetic ones (new refs "SYN-…" numbered on, the same names, status and places), by
    ``INSERT ... SELECT`` in chunks of 50,000, each its own transaction (an interrupted run
    keeps what it did). Minutes where the generator would take hours; the tallies'
    triggers see these statements like any import's. No history rows (a benchmark's
    victims have none to show). ``keys=False``: the copies get no search keys
    (``name_keys`` blank), which the map never reads: the three GIN indexes on the keys
    cost most of a copy (50,000 rows: 3 minutes on this busy machine, a few seconds
    without); such victims are not found by a search."""
    table = connection.ops.quote_name(Victim._meta.db_table)
    columns = [f.column for f in Victim._meta.concrete_fields if f.column not in ("id", "ref")]
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    values = cols if keys else cols.replace('"name_keys"', "''")
    started = time.monotonic()
    have = Victim.objects.filter(ref__startswith="SYN-").count()
    low = Victim.objects.filter(ref="SYN-0000001").values_list("pk", flat=True).first()
    if low is None:
        raise SystemExit("no synthetic victims to copy: build some first")
    while have < victims and time.monotonic() - started < minutes * 60:
        n = min(50_000, victims - have, 100_000 - have % 100_000)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (ref, {cols}) "
                f"SELECT 'SYN-' || lpad((%s + row_number() OVER (ORDER BY id))::text, 7, '0'), "
                f"{values} FROM {table} WHERE id >= %s AND id < %s ORDER BY id",
                [have, low + have % 100_000, low + have % 100_000 + n],
            )
            have += cursor.rowcount
        print(f"  {have:,} synthetic victims ({time.monotonic() - started:.0f} s)", flush=True)


def cite_coordinates(place_ids: list[int]) -> None:
    """A published synthetic gazetteer, cited for every synthetic place's coordinates."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from sources.models import Citation, Source

    source, _created = Source.objects.get_or_create(
        title="SYN gazetteer (synthetic)",
        defaults={
            "kind": "other",
            "publication_status": "published",
            "published_at": timezone.now(),
        },
    )
    content_type = ContentType.objects.get_for_model(Place)
    done = set(
        Citation.objects.filter(
            content_type=content_type, source=source, claim="coordinates"
        ).values_list("object_id", flat=True)
    )
    Citation.objects.bulk_create(
        Citation(content_type=content_type, object_id=pk, source=source, claim="coordinates")
        for pk in place_ids
        if pk not in done
    )


def clear(everything: bool = True) -> None:
    """Empties the worker's page cache, and with ``everything`` the shared level and the
    data caches too (the public places, kept under the data's version: as after a change
    of data)."""
    caches["pages"].clear()
    if everything:
        caches["default"].clear()


def backend_cpu() -> float | None:
    """CPU seconds the PostgreSQL backend serving this connection has used (its
    ``/proc/PID/stat``: the server is on this machine), or None where that cannot be read.
    Wall-clock times on a machine others share say little; CPU time says what a request
    costs."""
    if connection.vendor != "postgresql":
        return None
    global _BACKEND_PID
    if _BACKEND_PID is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _BACKEND_PID = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{_BACKEND_PID}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_BACKEND_PID = None


class WorkerClient:
    """Requests sent to ``archive.wsgi.application`` as gunicorn sends them. Django's test
    client was used before and kept every rendered template's context alive (its
    template-capturing signal), 500 map rows a render, which made the garbage collector's
    full collections 100-220 ms: one cold render in ten looked like an outlier that a
    worker never meets."""

    def __init__(self):
        import archive.wsgi  # the worker's warm-up and gc.freeze()

        self.application = archive.wsgi.application

    def get(self, path: str, **extra):
        from django.http import HttpResponse
        from django.test import RequestFactory

        said = {}

        def start_response(status, headers, exc_info=None):
            said["status"], said["headers"] = status, headers

        chunks = self.application(RequestFactory().get(path, **extra).environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        response = HttpResponse(body, status=int(said["status"].split()[0]))
        for name, value in said["headers"]:
            response.headers[name] = value
        return response


def timed(client, path: str, n: int, *, cold: bool, everything: bool = True):
    """``n`` requests; the times (ms), the CPU times (ms: this process's and the
    database backend's, per request), the last body, and how many answers said each
    ``X-Cache`` value (the page cache's "hit" or "miss"; none when it stood aside)."""
    times, cpu, body, caches_said = [], [], b"", {}
    for _ in range(n):
        if cold:
            clear(everything)
        backend = backend_cpu()
        own = time.process_time()
        started = time.perf_counter()
        response = client.get(path, HTTP_HOST="127.0.0.1")
        times.append((time.perf_counter() - started) * 1000)
        used = time.process_time() - own
        after = backend_cpu()
        cpu.append((used + (after - backend if backend is not None else 0.0)) * 1000)
        assert response.status_code == 200, response.status_code
        said = response.headers.get("X-Cache", "none")
        caches_said[said] = caches_said.get(said, 0) + 1
        body = response.content
    return times, cpu, body, caches_said


def cold_queries(client, path: str) -> int:
    """The number of queries of one cold request (every cache emptied)."""
    clear()
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        client.get(path, HTTP_HOST="127.0.0.1")
    return len(captured.captured_queries)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--victims", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cold", type=int, default=15)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--build-minutes", type=float, default=10.0)
    parser.add_argument("--no-check", action="store_true", help="skip the tallies' check")
    parser.add_argument(
        "--no-keys", action="store_true", help="victims copied past 100,000 get no search keys"
    )
    args = parser.parse_args()
    if not args.no_build:
        build(args.victims, args.places, args.build_minutes, keys=not args.no_keys)
    client = WorkerClient()
    published = Victim.objects.published().count()
    print(f"database: {connection.vendor}; published victims: {published:,}; "
          f"public places: {Place.objects.public().count():,}")  # fmt: skip
    for path in ("/map/", "/fa/map/"):
        cold, cold_cpu, body, _said = timed(client, path, args.cold, cold=True)
        edited, edited_cpu = after_edits(client, path, args.cold)
        shared, _cpu, _body, _said = timed(client, path, args.cold, cold=True, everything=False)
        timed(client, path, 1, cold=False)  # into the page cache
        cached, cached_cpu, _body, said = timed(client, path, args.requests, cold=False)
        svg = re.search(rb"<svg[^>]*iran-map.*?</svg>", body, re.S)
        markers = body.count(b'class="marker ')
        print(
            f"{path:9} cold p50 {statistics.median(cold):6.1f} ms  p95 {pct(cold, 95):6.1f} ms "
            f"(CPU p50 {statistics.median(cold_cpu):6.1f} ms) | after an edit p50 "
            f"{statistics.median(edited):6.1f} ms  p95 {pct(edited, 95):6.1f} ms (CPU p50 "
            f"{statistics.median(edited_cpu):6.1f} ms) | shared level p50 "
            f"{statistics.median(shared):6.1f} ms  p95 {pct(shared, 95):6.1f} ms | cached p50 "
            f"{statistics.median(cached):5.2f} ms  p95 {pct(cached, 95):5.2f} ms (CPU p50 "
            f"{statistics.median(cached_cpu):5.2f} ms, X-Cache {said}) | SVG "
            f"{len(svg.group(0)) / 1024:5.1f} KB  page {len(body) / 1024:6.1f} KB | markers "
            f"{markers} | cold queries {cold_queries(client, path)} | load "
            f"{os.getloadavg()[0]:.1f}"
        )
    if not args.no_check:
        check_tallies()


def after_edits(client, path: str, n: int):
    """``n`` requests each right after an edit (a synthetic victim withdrawn, then
    published again, saved through the ORM: the version moves, the page cache and the
    data caches keyed on it miss): the times and CPU times (ms)."""
    from archive.core.groups import CommandLine

    victim = Victim.objects.published().filter(ref__startswith="SYN-", prison__isnull=False)
    victim = victim.order_by("pk").first()
    times, cpu = [], []
    for i in range(n):
        status = "withdrawn" if i % 2 == 0 else "published"
        victim._enter_status(status, user=CommandLine(), reason="map benchmark")
        victim.save()
        _times, _cpu, _body, said = timed(client, path, 1, cold=False)
        assert said.get("hit", 0) == 0, said
        times += _times
        cpu += _cpu
    if not victim.is_published:
        victim._enter_status("published", user=CommandLine(), reason="map benchmark")
        victim.save()
    return times, cpu


def check_tallies() -> None:
    """Whether the kept tallies are what a fresh count of every published victim gives,
    and what that count costs (the query each cold map used to run)."""
    from victims import tallies

    backend, started = backend_cpu(), time.perf_counter()
    fresh = tallies.counted()
    took = (time.perf_counter() - started) * 1000
    backend = (backend_cpu() - backend) * 1000 if backend is not None else float("nan")
    started = time.perf_counter()
    kept = tallies.place_tallies()
    read = (time.perf_counter() - started) * 1000
    wrong = sorted(p for p in set(kept) | set(fresh) if kept.get(p) != fresh.get(p))
    print(
        f"tallies: {len(kept)} places, {'exact' if not wrong else f'{len(wrong)} WRONG'}; "
        f"read as kept {read:.1f} ms | counted afresh {took:.0f} ms (backend CPU "
        f"{backend:.0f} ms)"
    )


if __name__ == "__main__":
    main()
