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

import logging
from contextlib import nullcontext

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

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
