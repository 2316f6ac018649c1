"""When a gunicorn worker is replaced: once it has grown past a memory limit, not after a
count of requests (``gunicorn.conf.py``'s ``post_request``).

Replaced every 2,000 requests (gunicorn's ``max_requests``), a healthy worker was gone for
a moment while its successor was forked and connected, and the successor, knowing none of
the pages of the one it replaced, rendered its first pages after an edit while their
readers waited: at a million people, the rounds of twenty readers in which a replacement
fell waited 130-200 ms, the only rounds over 100 ms in a sweep of 27 pages after an edit
(docs/benchmarks.md). A worker does not grow with the requests it serves: over 40,000
requests (pages, searches, records, deep list pages) each of two workers went from 187 to
195 MB resident, its caches filling to their bounds. The limit bounds what a leak could
take, and only a worker that has grown is replaced. Reading the worker's size after each
answer costs 11 microseconds (an empty request costs about 1.7 ms).

Imported by ``gunicorn.conf.py`` before Django is loaded: it uses nothing of Django.
"""

from __future__ import annotations

import os

LIMIT_VARIABLE = "GUNICORN_WORKER_MAX_MB"
# Twice and a half what a worker holds at a million people with its caches full (195 MB).
DEFAULT_LIMIT_MB = 512


def memory_limit_mb(environ=os.environ) -> int:
    """The resident memory (MB) past which a worker is replaced: ``GUNICORN_WORKER_MAX_MB``,
    512 by default; 0 never replaces one. Anything else stops gunicorn at start, naming
    the variable: a typo must not leave workers unbounded."""
    raw = environ.get(LIMIT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_LIMIT_MB
    try:
        limit = int(raw)
    except ValueError:
        limit = -1
    if limit < 0:
        raise ValueError(
            f"{LIMIT_VARIABLE} must be a whole number of megabytes (0: never replace a "
            f"worker), not {raw!r}"
        )
    return limit


def resident_mb() -> float | None:
    """This process's resident memory in MB, from ``/proc`` (Linux); None where there is
    no ``/proc`` (the worker is then never replaced for its size)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def grown_past(limit_mb: int, resident: float | None) -> bool:
    """Whether a worker holding ``resident`` MB is to be replaced under ``limit_mb``."""
    return bool(limit_mb) and resident is not None and resident > limit_mb


def replace_if_grown(worker, limit_mb: int) -> None:
    """After an answer is sent: a worker grown past ``limit_mb`` finishes and exits (as
    gunicorn's own ``max_requests`` does, ``alive = False``), and the master forks a new
    one from the application it loaded. With no limit, or a worker already leaving,
    ``/proc`` is not read."""
    if not limit_mb or not worker.alive:
        return
    resident = resident_mb()
    if grown_past(limit_mb, resident):
        worker.log.info(
            "Worker %s holds %.0f MB, over %s MB (%s): replaced", worker.pid, resident,
            limit_mb, LIMIT_VARIABLE,
        )  # fmt: skip
        worker.alive = False
