"""Whole public pages, cached under the version of the data they show.

Every anonymous reader of ``/victims/?fate=executed`` gets the same page until a record
changes, so the rendered page is kept and served again: a page view then costs one
small query (the version) and a cache read, where rendering costs 10-30 ms of CPU.

The version (``site_version``) is read from the database on every request, so a page
is never served after the data under it changed, whichever worker or machine made the
change. It joins:

- ``ChangeCounter``, moved once per committed transaction that saved, deleted or
  relinked any record of the archive's apps (signals, ``count_change``);
- ``MAX(updated_at)`` of every model that has one, which bulk writes without signals
  (imports, ``QuerySet.update``) still move.

A request whose Host the site does not answer to (``ALLOWED_HOSTS``) is refused before
the cache is read; pages are kept per host and scheme, since they hold absolute links.

Only what is the same for every reader is cached: GET/HEAD outside the admin, without
a session or messages cookie (staff and anyone mid-way through a form read fresh pages),
and only answers 200 that set no cookie, use no CSRF token and are not marked private.
A timeout bounds what a change made behind Django's back (raw SQL) could leave stale.

Right after an edit the version moves for every page, but pages are keyed on what they
show: a view may give ``shown()``, a token of what its page shows, read cheaply (the counts
the database keeps, the ids and times of change of the rows it lists; ``victims.shown``).
One worker sees to each page (holding a lock in the shared cache): it answers its reader
with the page the edit may have replaced, marked ``no-cache`` and ``X-Cache: stale``, and
once that answer is sent it reads the token. Unchanged (an edit of a record the page does
not list, of a fact it does not count): the page is kept as the new version's, shared with
the other workers, without a render. Changed, or no token: the page is rendered anew. The
other workers serve the previous page meanwhile (``RENDER_LOCK_SECONDS`` at most). No
reader waits for a check or a render, and readers arriving together are not each a render.
A page from before a withdrawal or a deletion (a new epoch,
``archive.core.caching.forget_previous``) is never served so: it is rendered for its reader.

A search, and a victim's page until it is renewed after an edit (a view with
``shares_pages = False``), are kept by their worker alone: a million addresses, seldom
one asked for twice, each would cost its first reader a write to share. A victim's page
is never answered with the one it replaces: the worker that kept it renders it anew for
its reader after an edit, and shares it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_cache_control

from archive.core.caching import (
    EPOCH_KEY,
    KEPT_READ,
    PREVIOUS_FIGURES,
    current_epoch,
    fail_soft,
    may_serve_previous,
)
from archive.core.pagination import cache_key
from archive.core.versions import REQUEST_VERSION, site_version
from archive.routers import public_reads

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
# How long a worker's render of a page may keep others serving the page it replaces: a
# render that dies (a killed worker) holds the others back no longer than this.
RENDER_LOCK_SECONDS = 10
# While another worker sees to a page, how long this one serves the previous page before
# asking the shared level again whether the new one is there (a query a request).
ASK_AGAIN_SECONDS = 0.05


def anonymous_request(request) -> bool:
    """A read that is the same for every reader: GET/HEAD outside the admin, without a
    session or messages cookie (staff, anyone mid-way through a form)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(settings.PAGE_CACHE_EXCLUDE):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def holds_no_secret(request, response) -> bool:
    """``response`` to an anonymous read holds nothing of one reader: it sets no cookie,
    renders no CSRF token, is not marked private and does not vary on cookies. Such a
    page may be kept for others (the page cache) and compressed (no secret for a
    compression side channel, BREACH, to guess at)."""
    if not anonymous_request(request) or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    control = {
        part.strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if control & {"private", "no-store"}:
        return False
    vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", ""))}
    return "cookie" not in vary and "*" not in vary


def _cacheable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if "no-cache" in response.get("Cache-Control", "").lower():
        return False
    return holds_no_secret(request, response)


def _resolved(request):
    try:
        return resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None


def shares_pages(match) -> bool:
    """Whether the pages of the view ``match`` resolved to are shared between workers
    from their first render: all but those whose class says ``shares_pages = False`` (the
    page of one victim), which are shared only once renewed after an edit."""
    return getattr(getattr(match.func, "view_class", None), "shares_pages", True)


def shown(request, version: str) -> str | None:
    """What the page at ``request`` shows, as a token: its view's ``shown()``, which reads
    only what the page shows (counts the database keeps, the ids and times of change of
    the rows listed) and so costs a few queries, not a render. None when the view has no
    ``shown()``, cannot tell, or read figures from before the last change."""
    match = _resolved(request)
    view_class = getattr(match.func, "view_class", None) if match is not None else None
    if view_class is None or not hasattr(view_class, "shown"):
        return None
    view = view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    marked, read = PREVIOUS_FIGURES.set(None), REQUEST_VERSION.set(version)
    try:
        token = view.shown()
        return None if PREVIOUS_FIGURES.get() is not None else token
    except (Http404, DatabaseError):
        return None  # the view answers it itself when rendered
    finally:
        REQUEST_VERSION.reset(read)
        PREVIOUS_FIGURES.reset(marked)


class PublicPageCacheMiddleware:
    """Placed after LocaleMiddleware (the language is part of the key) and before the
    middleware that touch sessions and CSRF, whose work a cached page does not need.

    Two levels: the worker's memory, then the shared cache (``PAGE_CACHE_SHARED``, the
    database cache by default), so that a page is rendered once per data version for
    all workers and machines, not once per worker."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.PAGE_CACHE_SECONDS
        self.shared_alias = settings.PAGE_CACHE_SHARED
        self.share_after = settings.PAGE_CACHE_SHARE_MS / 1000
        # Views whose pages this worker found cheaper to render than to share (a record,
        # a search): their misses skip the shared level's lookup, a query each.
        self.cheap_views: set[str] = set()
        # Views whose pages read kept figures (``kept``): never cheap. Such a page is cheap
        # only while its figures are kept: the statistics render in 6 ms with them, 20 ms
        # computing them. Taken for cheap after the first kind of render, the page was
        # rendered inline by each worker after the next edit, one computing the figures
        # while its readers waited (every reader of a round 101-123 ms at a million),
        # instead of once, after an answer, by one worker.
        self.shared_views: set[str] = set()
        # Pages another worker is seeing to after an edit: address -> (the version it is
        # for, until when this worker serves the previous page without asking again).
        self.waiting: dict[str, tuple[str, float]] = {}

    def _shared(self, method: str, *args):
        if not self.shared_alias:
            return None
        return fail_soft(self._call_shared, method, *args, what="shared page cache")

    def _call_shared(self, method: str, *args):
        return getattr(caches[self.shared_alias], method)(*args)

    def __call__(self, request):
        # Figures from before the last change are marked per request (``kept``): a
        # worker's next request starts unmarked.
        marked = PREVIOUS_FIGURES.set(None)
        # Work left by an answer that was never closed (no ``request_finished``) is for
        # an older version: dropped (the lock it holds lapses).
        _pending.work.clear()
        try:
            response = self._serve(request)
        finally:
            PREVIOUS_FIGURES.reset(marked)
        return response

    def _serve(self, request):
        # A Host we do not answer to is refused (DisallowedHost: a 400) before any page
        # is read or kept: pages hold absolute links built on the request's host.
        host = request.get_host()
        if not self.timeout or not anonymous_request(request):
            response = self.get_response(request)
            _mark_previous_figures(response)
            return response
        local = caches[CACHE_ALIAS]
        try:
            version = site_version()
        except DatabaseError:
            return self.get_response(request)
        # HEAD is answered from a GET's page (Django strips the body for HEAD). Each of
        # the names and schemes the site answers to (an address, a mirror, an onion
        # service) keeps its own pages: a reader of one never gets links to another.
        # The code's version too: a deploy that changes a template is not served the
        # pages an older release kept. A worker keeps one page per address, with the data
        # version it shows (the previous one stays until the next is rendered); the shared
        # level keeps pages per data version.
        where = (
            settings.ARCHIVE_VERSION, translation.get_language(), request.scheme, host,
            request.get_full_path(),
        )  # fmt: skip
        # (The shared level's entries are a page and what it shows: named apart from the
        # plain pages an earlier release kept there.)
        local_key, key = keys = cache_key("page", *where), cache_key("page+shown", version, *where)
        entry = local.get(local_key)
        if entry is not None and entry.version == version:
            return _served(entry.response, "hit")
        # Another worker is seeing to this page for this very version (nothing has changed
        # since it was asked, not even a withdrawal: that moves the version): the previous
        # page again, without asking the shared level every request.
        waiting = self.waiting.get(local_key)
        if entry is not None and waiting is not None:
            if waiting[0] == version and time.monotonic() < waiting[1]:
                return _previous(entry)
            del self.waiting[local_key]
        # A search is its reader's own text, seldom asked for again: it is kept in this
        # worker's memory only. In the shared level every search cost a lookup, and one
        # that took 10 ms to rank cost a transaction writing it (~3 ms, a WAL flush).
        shared = bool(self.shared_alias) and not request.GET.get("q")
        match = _resolved(request) if shared else None
        view = match.view_name if match is not None else None
        # So is the page of one victim (a million addresses, seldom one asked for twice),
        # until it is read again after an edit: writing each to the shared level cost
        # every first reader a transaction, and distinct records under twenty readers
        # went from 137-139 pages/s to 93-103. A page this worker kept and is asked for
        # after an edit is rendered anew for its reader (5-7 ms of CPU at a million) and
        # shared, never answered with the page it replaces: a worker that had not kept it
        # renders the new page for its first reader without sharing it, so the page
        # from before the edit, from this worker, could follow the new one for the same
        # reader (seen in one walk in three in Chromium after a rename).
        alone = match is not None and not shares_pages(match)
        shared = shared and (not alone or entry is not None)
        epoch = lock = None  # a page kept without its epoch is never served as previous
        if shared and (alone or view not in self.cheap_views):
            # One read for the page, the epoch, and whether another worker renders it.
            lock = cache_key("page-render", *where) if entry is not None and not alone else None
            found = self._shared("get_many", [k for k in (key, EPOCH_KEY, lock) if k]) or {}
            epoch = current_epoch(found.get(EPOCH_KEY), caches[self.shared_alias])
            if key in found:
                response, showing = found[key]
                local.set(local_key, Kept(version, epoch, response, showing), self.timeout)
                return _served(response, "hit")
            # After an edit, one worker sees to the page while the others serve the one it
            # replaces, for as long as that takes (``RENDER_LOCK_SECONDS`` at most):
            # twenty readers arriving together are not twenty renders. Never across a
            # withdrawal or a deletion (a new epoch).
            if entry is not None and not alone and may_serve_previous(entry.epoch, epoch):
                if lock in found or not self._shared("add", lock, version, RENDER_LOCK_SECONDS):
                    if len(self.waiting) > 1000:
                        self.waiting.clear()
                    self.waiting[local_key] = (version, time.monotonic() + ASK_AGAIN_SECONDS)
                    return _previous(entry)
                if request.method == "GET":
                    # That worker answers its own reader with the previous page too, and
                    # sees to the page once the answer is sent: no reader waits for it.
                    _after_answer(self._refresh, request, entry, version, epoch, keys,
                                  shared=shared, view=view, lock=lock)  # fmt: skip
                    return _previous(entry)
            else:
                lock = None
        return self._render(request, version, epoch, keys, shared=shared, view=view, lock=lock,
                            alone=alone)  # fmt: skip

    def _refresh(self, request, entry, version, epoch, keys, *, shared, view, lock) -> None:
        """The page under ``version``, after its reader had the previous one: in the
        request's language, with its own mark of previous figures (the request's were
        reset). Pages are keyed on what they show: when an edit changed nothing this page
        shows (a record it does not list, a fact it does not count), the page it has is
        kept as the new version's, for the price of reading what it shows (``shown``);
        otherwise it is rendered anew."""
        local_key, key = keys
        marked = PREVIOUS_FIGURES.set(None)
        try:
            with public_reads(), translation.override(getattr(request, "LANGUAGE_CODE", None)):
                # A fresh copy: the one answered was marked as previous.
                kept = caches[CACHE_ALIAS].get(local_key)
                try:
                    same = (
                        kept is not None
                        and kept.version == entry.version
                        and kept.shown is not None
                        and shown(request, version) == kept.shown
                    )
                except BaseException:
                    self._release(lock)
                    raise
                if same:
                    kept = kept._replace(version=version)
                    caches[CACHE_ALIAS].set(local_key, kept, self.timeout)
                    self._shared("set", key, (kept.response, kept.shown), self.timeout)
                    self._release(lock)
                else:
                    self._render(request, version, epoch, keys, shared=shared, view=view,
                                 lock=lock)  # fmt: skip
        finally:
            PREVIOUS_FIGURES.reset(marked)

    def _render(self, request, version, epoch, keys, *, shared, view, lock, alone=False):
        """Renders the page under ``version``, keeps it, and frees ``lock``. ``alone``: a
        page of a view that shares none, shared (``shared``) only when renewed after an
        edit, whatever its render cost."""
        local_key, key = keys
        token = REQUEST_VERSION.set(version)
        reading = KEPT_READ.set(False)
        started = time.thread_time()
        try:
            # Read before the render: a change in between makes the next check differ,
            # never a page kept as showing what it does not.
            showing = shown(request, version) if shared else None
            response = self.get_response(request)
        except BaseException:
            self._release(lock)
            raise
        finally:
            REQUEST_VERSION.reset(token)
        rendered = time.thread_time() - started
        read_kept = KEPT_READ.get()
        KEPT_READ.reset(reading)
        _mark_previous_figures(response)
        try:
            self._keep(
                request,
                response,
                local_key,
                key,
                Kept(version, epoch, response, showing),
                shared=shared,
                view=view,
                expensive=alone or rendered >= self.share_after,
                read_kept=read_kept,
            )
        finally:
            # Released once the new page is in the shared level: a worker asking in
            # between finds it there rather than rendering it again.
            self._release(lock)
        return response

    def _release(self, lock) -> None:
        if lock is not None:
            self._shared("delete", lock)

    def _keep(self, request, response, local_key, key, kept, *, shared, view, expensive,
              read_kept=False):  # fmt: skip
        if request.method == "GET" and _cacheable_response(request, response):
            caches[CACHE_ALIAS].set(local_key, kept, self.timeout)
            # Storing in the database cache costs a few queries and a transaction: worth
            # it for the pages that cost more to render (lists, statistics), not for a
            # cheap one. A search is never shared, a victim's page only once it is renewed
            # after an edit (``_serve``): readers seldom ask for one twice.
            if read_kept:
                self.shared_views.add(view)
            if shared and (expensive or view in self.shared_views):
                self._shared("set", key, (response, kept.shown), self.timeout)
                self.cheap_views.discard(view)
            elif shared:
                self.cheap_views.add(view)
            response["X-Cache"] = "miss"  # set after storing: a hit says so itself


class Kept(NamedTuple):
    """A page as a worker keeps it: the data version it shows, the withdrawal epoch it
    was rendered in (None: never to be served as previous), the response, and what it
    shows (``shown``; None: unknown, rendered anew after every change)."""

    version: str
    epoch: str | None
    response: object
    shown: str | None = None


def _served(response, how: str):
    response["X-Cache"] = how
    return response


def _previous(entry: Kept):
    """The page from before the last change, while it is rendered anew: kept by no
    cache, and marked so (``X-Cache: stale``)."""
    previous = _served(entry.response, "stale")
    patch_cache_control(previous, no_cache=True, max_age=0)
    return previous


def _after_answer(work, *args, **kwargs) -> None:
    """Runs ``work(*args, **kwargs)`` once this thread's answer is sent: on
    ``request_finished``, which Django sends when the WSGI server (or the test client)
    closes the response after its last byte, whichever response that is (a 304 made
    outside this middleware replaces ours)."""
    _pending.work.append((work, args, kwargs))


class _Pending(threading.local):
    def __init__(self):
        self.work = []


_pending = _Pending()


@receiver(request_finished, dispatch_uid="archive.pagecache.after_answer")
def _run_after_answer(**kwargs) -> None:
    while _pending.work:
        work, args, kwargs = _pending.work.pop(0)
        try:
            work(*args, **kwargs)
        except Exception:
            # After the answer there is no one to tell: the lock the render held lapses
            # and the next reader's worker renders the page.
            logger.exception("rendering a page after its previous one was sent")


def _mark_previous_figures(response) -> None:
    """A page that shows figures from before the last change (``kept``) is kept by no
    cache: the next reader gets the new figures."""
    if PREVIOUS_FIGURES.get() is not None:
        patch_cache_control(response, no_cache=True, max_age=0)
