"""Sends the public's reads to a read replica when one is configured.

A staff member who has just saved a record must see it at once, so only reads made while
serving a public, safe request (GET/HEAD outside the admin) go to the replica; everything
else, and every write, goes to the primary. ``PublicReadsMiddleware`` marks those requests.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_public_read: ContextVar[bool] = ContextVar("public_read", default=False)


@contextmanager
def public_reads():
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows, same ids

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PublicReadsMiddleware:
    """Marks anonymous GET/HEAD requests outside the admin as public reads."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.path.startswith(self.admin_prefix):
            with public_reads():
                return self.get_response(request)
        return self.get_response(request)
