"""The version of the archive's data: a token that changes whenever a record changes.

Everything kept for readers (whole pages, counts, statistics) is keyed on it, so nothing is
served after the data under it changed, whichever worker or machine made the change. It
joins:

- ``ChangeCounter``, moved once per committed transaction that saved, deleted or
  relinked any record of the archive's apps (signals, ``count_change``);
- ``MAX(updated_at)`` of every model that has one, which bulk writes without signals
  (imports, ``QuerySet.update``) still move.

The apps are named by label only (``TRACKED_APPS``): the kernel imports none of them.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from django.apps import apps
from django.db import DatabaseError, connections, router, transaction
from django.db.models import F
from django.db.models.signals import post_delete

from archive.core.caching import forget_previous
from archive.core.prepared import forget_prepared, prepared

logger = logging.getLogger(__name__)

TRACKED_APPS = ("archive", "victims", "perpetrators", "sources")
# The version read for the request being served (set by the page cache, which reads it
# first), so that the views it reaches need not ask the database again.
REQUEST_VERSION: ContextVar[str | None] = ContextVar("archive_site_version", default=None)


def current_version() -> str | None:
    """The version read for the request being served, if the page cache read one."""
    return REQUEST_VERSION.get()


# name -> (version, what was computed for it): one version at a time.
_KEPT: dict[str, tuple[str, object]] = {}


def for_this_version(name: str, compute):
    """``compute()``, kept in this process for the data's version of the request being
    served and computed afresh when the version moves; computed each time when no
    version was read (outside a public request). For what every page of a kind reads
    from small tables (the places, events and organisations a record names): read once
    per worker and version instead of once per page."""
    version = current_version()
    if version is None:
        return compute()
    found = _KEPT.get(name)
    if found is None or found[0] != version:
        found = _KEPT[name] = (version, compute())
    return found[1]


# Records the public never sees: a flood of family submissions must not empty the cache.
UNTRACKED = {
    "archive.changecounter",
    "victims.submission",
    "victims.submissionattachment",
    "victims.duplicatepair",
    "victims.mergerecord",
    "perpetrators.dossierrendering",  # a stored PDF, not a record
    "sources.custodyevent",  # who opened an original: staff's log, on no public page
}


def _tracked(model) -> bool:
    # History rows (django-simple-history's models carry ``instance_type``) are written
    # with the record they copy, which is tracked itself.
    return (
        model._meta.app_label in TRACKED_APPS
        and model._meta.label_lower not in UNTRACKED
        and not hasattr(model, "instance_type")
    )


def _versioned_tables() -> list[str]:
    tables = []
    for model in apps.get_models():
        if _tracked(model) and not model._meta.proxy:
            names = {f.name for f in model._meta.concrete_fields}
            if "updated_at" in names:
                tables.append(model._meta.db_table)
    return sorted(set(tables))


_TABLES: list[str] = []


def site_version(using: str | None = None) -> str:
    """A token that changes whenever a record of the archive changes (one query)."""
    from archive.core.models import ChangeCounter

    if not _TABLES:
        _TABLES.extend(_versioned_tables())
    db = connections[using or router.db_for_read(ChangeCounter)]
    qn = db.ops.quote_name
    counter = qn(ChangeCounter._meta.db_table)
    # Table names come from the models' metadata, quoted; nothing from a request.
    parts = [f"(SELECT MAX(value) FROM {counter})"]  # noqa: S608
    parts += [f"(SELECT MAX(updated_at) FROM {qn(t)})" for t in _TABLES]  # noqa: S608
    sql = "SELECT " + ", ".join(parts)
    # Prepared once per connection: planning the dozen MAX()s took 0.7 ms of every
    # request, running them 0.1.
    call = prepared(db, sql, prefix="archive_site_version", keyed=True)
    try:
        with db.cursor() as cursor:
            cursor.execute(call or sql)
            row = cursor.fetchone()
    except DatabaseError:
        # A statement the server connection no longer holds (a pooler that switched it:
        # docs/deploy.md, SEARCH_PREPARED): forgotten, and the read made plainly.
        if call is None or db.in_atomic_block:
            raise
        forget_prepared(db)
        with db.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
    return "|".join("0" if v is None else str(v) for v in row)


class _Bump:
    """The on-commit callback that moves the counter (an object, so that a transaction
    can tell it already has one due)."""

    def __init__(self, using: str):
        self.using = using
        self.done = False

    def __call__(self):
        from archive.core.models import ChangeCounter

        self.done = True
        counter = ChangeCounter.objects.using(self.using)
        try:
            if not counter.filter(pk=1).update(value=F("value") + 1):
                counter.get_or_create(pk=1, defaults={"value": 1})
        except DatabaseError:
            # A database without the table (mid-migration): nothing is cached from it.
            logger.warning("change counter unavailable", exc_info=True)


class _Forget:
    """The on-commit callback that starts a new withdrawal epoch (``forget_previous``):
    something left the public, so nothing kept from before is served as previous."""

    def __init__(self, using: str):
        self.using = using
        self.done = False

    def __call__(self):
        self.done = True
        forget_previous()


# What may have removed something from public pages: a deletion, links undone.
_REMOVALS = {"post_remove", "post_clear"}


def count_change(sender, using="default", **kwargs):
    """Signal receiver: move the counter once, when the transaction that changed a
    record commits (a thousand saves in one import move it once). A deletion also starts
    a new withdrawal epoch: the page that showed the deleted row is not served again."""
    if kwargs.get("raw") or not _tracked(sender):
        return
    _once_on_commit(_Bump, using)
    if kwargs.get("signal") is post_delete or kwargs.get("action") in _REMOVALS:
        _once_on_commit(_Forget, using)


def data_changed(using: str = "default") -> None:
    """Moves the version when the current transaction commits. For writes that send no
    signals (the importer's multi-row INSERTs, ``QuerySet.update``): since they may have
    withdrawn anything, nothing kept from before them is served as previous either."""
    _once_on_commit(_Bump, using)
    _once_on_commit(_Forget, using)


def _once_on_commit(callback_class, using: str) -> None:
    db = connections[using]
    # Already due in this transaction? (Django drops the callbacks of a rolled-back
    # transaction or savepoint, so a later change registers again.)
    if db.in_atomic_block and any(
        isinstance(entry[1], callback_class) and not entry[1].done for entry in db.run_on_commit
    ):
        return
    transaction.on_commit(callback_class(using), using=using)
