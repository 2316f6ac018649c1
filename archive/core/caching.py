"""A cache is a speed-up, never a condition of a request.

Whatever reads or writes a cache (counts and statistics, whole pages, the submission
form's rate limit, PDFs) goes on without it when it fails: its table not created (a
deploy that skipped ``migrate``, a restore of a dump without it), its server down, a
stored value that no longer unpickles. The failure is logged; a read is a miss, a write is
skipped, and a rate limit lets the request through (``RATELIMIT_FAIL_OPEN``): a family's
submission is never lost to a cache.

``fail_soft`` is the rule; ``FailSoftDatabaseCache`` applies it to every call made on the
database cache, so code that reads ``cache`` directly degrades too.
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from archive.core.pg_settings import settings_for

logger = logging.getLogger(__name__)


def fail_soft(call, *args, default=None, what: str = "cache", using: str = DEFAULT_DB_ALIAS):
    """``call(*args)``, or ``default`` (logged) when it raises.

    Inside a transaction (a test, an atomic block around the caller) a failed statement
    would abort it on PostgreSQL and break the caller's own queries: a savepoint keeps the
    failure to itself. Outside one, no savepoint is paid for."""
    guard = transaction.atomic(using=using) if connections[using].in_atomic_block else nullcontext()
    try:
        with guard:
            return call(*args)
    except Exception as exc:  # any backend's error: a cache is never a condition
        reason = f"{type(exc).__name__}: {exc}"[:200]
        logger.warning("%s unavailable, going on without it (%s)", what, reason)
        return default


class FailSoftDatabaseCache(DatabaseCache):
    """Django's database cache, where a failing call is a miss (reads) or a no-op
    (writes), logged."""

    def _reads(self) -> str:
        return router.db_for_read(self.cache_model_class)

    def _writes(self) -> str:
        return router.db_for_write(self.cache_model_class)

    def get_many(self, keys, version=None):
        return fail_soft(
            super().get_many, keys, version, default={}, what="database cache",
            using=self._reads(),
        )  # fmt: skip

    def has_key(self, key, version=None):
        return fail_soft(
            super().has_key, key, version, default=False, what="database cache",
            using=self._reads(),
        )  # fmt: skip

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        return fail_soft(
            super()._base_set, mode, key, value, timeout, default=False,
            what="database cache", using=self._writes(),
        )  # fmt: skip

    def _base_delete_many(self, keys):
        return fail_soft(
            super()._base_delete_many, keys, default=False, what="database cache",
            using=self._writes(),
        )  # fmt: skip

    def clear(self):
        fail_soft(super().clear, what="database cache", using=self._writes())


# --- One computation for all readers -------------------------------------------------------
#
# After an edit, every worker found the statistics cold at once and each computed them
# (0.5-0.8 s at a million victims): twenty readers arriving together paid twenty
# computations. ``kept`` keeps the last figures under a name with the data version they
# were computed for; when the version moves, one worker (whoever takes the lock in the
# shared cache) computes the new figures while the others are served the previous ones,
# marked with their time. Whole pages work the same way (archive.pagecache). Never across a
# withdrawal or a deletion: those start a new epoch (``forget_previous``), and what was kept
# in an older epoch is not served as previous.

LOCK_SECONDS = 60  # a computation that dies leaves the lock this long at most
WAIT_SECONDS = 5.0  # with nothing to serve yet (first computation), how long to wait
POLL_SECONDS = 0.05

# When the request being served used figures from before the last change: their time
# (the page says so, and is not kept in the page cache).
PREVIOUS_FIGURES: ContextVar[datetime.datetime | None] = ContextVar(
    "archive_previous_figures", default=None
)


# Whether the request being rendered read kept figures (``kept``), read by the page cache:
# such a page is worth sharing however cheap its render is while the figures are kept.
KEPT_READ: ContextVar[bool] = ContextVar("archive_kept_read", default=False)

EPOCH_KEY = "kept-epoch"


def kept(name: str, version: str, compute, *, timeout: int):
    """``compute()`` for data ``version``, computed once for all workers and kept under
    ``name``. While another worker computes a newer version, the previous value is
    returned and ``PREVIOUS_FIGURES`` holds its time, unless a record was withdrawn
    since (``forget_previous``): then every reader waits for the new figures."""
    from django.core.cache import cache

    KEPT_READ.set(True)
    key, lock = f"kept:{name}", f"kept-lock:{name}"
    found = fail_soft(cache.get_many, [key, EPOCH_KEY], default={}, what="kept figures")
    entry, epoch = found.get(key), current_epoch(found.get(EPOCH_KEY), cache)
    if entry is not None and entry.get("version") == version:
        return entry["value"]
    if fail_soft(cache.add, lock, version, LOCK_SECONDS, default=False, what="kept figures"):
        try:
            return _compute_and_keep(key, version, compute, timeout, epoch)
        finally:
            fail_soft(cache.delete, lock, what="kept figures")
    if entry is not None and "value" in entry and may_serve_previous(entry.get("epoch"), epoch):
        _mark_previous(entry.get("at"))
        return entry["value"]
    # Nothing to serve yet: wait for the worker computing it, unless no one holds the lock
    # (it finished or failed, or the cache cannot be read: then compute here).
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and fail_soft(cache.get, lock, what="kept figures"):
        time.sleep(POLL_SECONDS)
        entry = fail_soft(cache.get, key, what="kept figures")
        if entry is not None and entry.get("version") == version:
            return entry["value"]
    return _compute_and_keep(key, version, compute, timeout, epoch)


def _compute_and_keep(key: str, version: str, compute, timeout: int, epoch):
    from django.core.cache import cache

    # On the database its reads go to: a replica, when one serves the public.
    with on_one_core(router.db_for_read(None)):
        value = compute()
    entry = {
        "version": version,
        "value": value,
        "at": datetime.datetime.now(datetime.UTC),
        "epoch": epoch,
    }
    fail_soft(cache.set, key, entry, timeout, what="kept figures")
    return value


PARALLEL = "max_parallel_workers_per_gather"


@contextmanager
def on_one_core(using: str = DEFAULT_DB_ALIAS):
    """PostgreSQL computes what is kept with one process, not with parallel workers: the
    readers are served the previous figures meanwhile, so a recount's own time matters
    less than the cores it leaves them. A count over the 200,000 people citing a list,
    spread over three processes on two cores, held both for 0.4 s after each edit."""
    with settings_for(connections[using], **{PARALLEL: "0"}):
        yield


def current_epoch(found, cache):
    """The withdrawal epoch ``found`` in ``cache``, or a new one when it is missing (never
    set, or evicted: a cache culls its entries). A lost epoch must not let values from
    before a withdrawal pass as current: what was kept under no epoch, or under the lost
    one, no longer matches. None when the cache cannot be read."""
    if found is not None:
        return found
    fail_soft(cache.add, EPOCH_KEY, uuid.uuid4().hex, None, what="kept figures")
    return fail_soft(cache.get, EPOCH_KEY, what="kept figures")


def may_serve_previous(kept_under, now) -> bool:
    """Whether a value kept under epoch ``kept_under`` may be served while a newer one is
    computed: only when nothing left publication since (the epoch is the same) and both
    epochs are known."""
    return kept_under is not None and kept_under == now


def forget_previous() -> None:
    """A record left publication: no figures computed before may be served again, even
    for the second another worker takes to count anew (they could count it)."""
    from django.core.cache import cache

    fail_soft(cache.set, EPOCH_KEY, uuid.uuid4().hex, None, what="kept figures")


def _mark_previous(at) -> None:
    current = PREVIOUS_FIGURES.get()
    if at is not None and (current is None or at < current):
        PREVIOUS_FIGURES.set(at)
