"""Rate limiting of the submission form, without storing who asked.

django-ratelimit keeps its counters in a cache; ours is the database cache, shared by all
workers. Two things are added here: the client's address is turned into an HMAC before it
reaches the library (a copy of the cache table does not give back addresses, which a hash
of the IPv4 space would), and increments are atomic, so 40 requests at once cannot all
read "0" and all get through.

A cache that fails (its table missing, its server down) lets the request through, logged
(``archive.core.caching``, ``RATELIMIT_FAIL_OPEN``): a family's submission is never lost to a
counter; the honeypot and the form's own checks still hold.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import connections, router, transaction
from django_ratelimit.core import _get_ip, get_usage

from archive.core.caching import FailSoftDatabaseCache, fail_soft


class AtomicDatabaseCache(FailSoftDatabaseCache):
    """Django's database cache, with ``incr`` done inside one transaction that holds the
    row (PostgreSQL: SELECT ... FOR UPDATE; SQLite: the IMMEDIATE transaction already
    holds the write lock)."""

    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)


def client_key(group, request) -> str:
    """An opaque per-client key: HMAC of the (masked) address with SECRET_KEY."""
    address = _get_ip(request)
    return hmac.new(
        settings.SECRET_KEY.encode(), f"ratelimit:{address}".encode(), hashlib.sha256
    ).hexdigest()


def check(request, group: str, rate: str) -> int | None:
    """Count this request against ``rate``; seconds until the client may try again when
    the limit is reached, None otherwise."""
    usage = fail_soft(_usage, request, group, rate, what="rate-limit counter")
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 60)


def _usage(request, group: str, rate: str):
    return get_usage(request, group=group, key=client_key, rate=rate, increment=True)
