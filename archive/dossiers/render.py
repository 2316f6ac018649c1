"""A dossier's printed forms for one origin and language, and its PDF: rendered outside
requests, stored per record state, served from the store.

Why: one event dossier's PDF took 13 s of CPU to render (300 victims listed, 900
citations; see ``bench/dossier_bench.py``). Rendered inside a request, two readers at once
ran past gunicorn's 30 s worker timeout, were answered 500, and the killed render was never
kept, so the next reader started again. Now:

* The PDF of a record state is stored in the database (``DossierRendering``) under a key
  made of the dossier's content digest (the SHA-256 of ``dossier.json``), the language,
  the origin printed in it, the archive version and the renderer (templates, stylesheet,
  WeasyPrint). The row is also the lock: the key is unique, so one process in the whole
  site renders a key, whatever the number of workers and machines. A change to the
  records makes a new digest, so a stale PDF is never served; a row whose render died is
  taken over once ``LOCK_SECONDS`` have passed.
* A request serves a stored PDF (a read of one row), or, for a PDF never rendered:
  renders it in the request only when it is small (its canonical content under
  ``DOSSIER_INLINE_CONTENT_BYTES``: a perpetrator's dossier, a second or less) and stops
  that render at ``DOSSIER_INLINE_CPU_SECONDS`` of CPU; otherwise it queues the render,
  starts one background renderer
  (``manage.py render_dossiers --pending``, a process of its own, so that neither
  gunicorn's timeout nor the worker's memory is involved) and answers 503 with
  ``Retry-After`` and a page in both languages that reloads itself. A second reader of
  the same PDF meanwhile gets the same answer; no second render starts.
* ``render_dossiers`` (after each deploy and from cron) renders what is stale before
  anyone asks: every dossier that has been rendered before, for the record state of now,
  and with ``--all --base-url`` every published dossier.

Why not an on-commit hook that re-renders on every change: researchers save records in
bursts (twenty victims of one event in ten minutes), and each save would start a render of
the event's dossier that the next save makes obsolete; cron's pass renders the state that
has settled, and a reader who comes between gets the 503 page for a few seconds.

Settings (Django settings, else the environment): ``DOSSIER_RENDER_SPAWN`` (default on:
start a background renderer when a PDF is asked for; off: leave it to cron),
``DOSSIER_INLINE_CONTENT_BYTES`` (20,000), ``DOSSIER_INLINE_CPU_SECONDS`` (1.5),
``DOSSIER_REQUEST_CPU_SECONDS`` (1.9: the whole request, WeasyPrint's import included),
``DOSSIER_RENDER_CPU_SECONDS`` (120: a background render that needs more is stopped and
marked failed), ``DOSSIER_RENDER_CONCURRENCY`` (1 background render at a time).
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from archive.dossiers import common
from archive.dossiers.content import Dossier, event_dossier, perpetrator_dossier
from archive.env import envbool, envint
from perpetrators.models import DossierRendering as Rendering

logger = logging.getLogger(__name__)
Status = Rendering.Status

#: A row being rendered whose renderer has said nothing for this long is taken over.
LOCK_SECONDS = 300
#: A failed render is tried again after this long (a failure is logged each time).
RETRY_FAILED_SECONDS = 600


def _setting(name: str, default):
    value = getattr(settings, name, None)
    if value is not None:
        return value
    if isinstance(default, bool):
        return envbool(name, default)
    if isinstance(default, int):
        return envint(name, default)
    raw = os.environ.get(name)
    return type(default)(raw) if raw else default


def inline_content_bytes() -> int:
    """The largest dossier rendered in a request, by the size of its canonical content
    (known before any HTML is made: 5-8 kB for a perpetrator, whose PDF takes about a
    second; 140 kB for an event listing 300 victims, 11-16 s)."""
    return _setting("DOSSIER_INLINE_CONTENT_BYTES", 20_000)


def inline_cpu_seconds() -> float:
    return float(_setting("DOSSIER_INLINE_CPU_SECONDS", 1.5))


def request_cpu_seconds() -> float:
    """What one request may spend in all, rendering included (the site's bound: 2 s)."""
    return float(_setting("DOSSIER_REQUEST_CPU_SECONDS", 1.9))


def render_cpu_seconds() -> float:
    return float(_setting("DOSSIER_RENDER_CPU_SECONDS", 120.0))


def render_concurrency() -> int:
    return _setting("DOSSIER_RENDER_CONCURRENCY", 1)


def spawn_enabled() -> bool:
    return _setting("DOSSIER_RENDER_SPAWN", True)


# --- The kinds of dossier -----------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    build: Callable[[str], Dossier]
    template: str
    url_name: str  # URL name prefix, e.g. "perpetrators:perpetrator-dossier"
    lookup: str  # URL keyword


KINDS = {
    "perpetrator": Kind(
        "perpetrator",
        perpetrator_dossier,
        "dossier/perpetrator_dossier.html",
        "perpetrators:perpetrator-dossier",
        "ref",
    ),
    "event": Kind(
        "event", event_dossier, "dossier/event_dossier.html", "archive:event-dossier", "slug"
    ),
}


def published_refs(kind: str) -> list[str]:
    """The references of every published dossier of a kind."""
    from archive.core.models import Event
    from perpetrators.models import Perpetrator

    if kind == "event":
        return list(Event.objects.published().order_by("slug").values_list("slug", flat=True))
    return list(Perpetrator.objects.published().order_by("ref").values_list("ref", flat=True))


# --- One dossier as printed for an origin and a language ------------------------------------


class Output:
    """A dossier as it is printed for readers of ``base_url`` (``https://host/``) in
    ``lang``: its URLs, file names, provenance, HTML and PDF. Needs no request, so that a
    background renderer prints the same dossier as a request does."""

    def __init__(self, kind: Kind, dossier: Dossier, *, base_url: str, lang: str):
        self.kind, self.dossier, self.base_url, self.lang = kind, dossier, base_url, lang

    @classmethod
    def build(cls, kind: str, ref: str, *, base_url: str, lang: str) -> Output:
        """Builds the dossier (``Http404`` when it is not published)."""
        return cls(KINDS[kind], KINDS[kind].build(ref), base_url=base_url, lang=lang)

    def absolute(self, path: str) -> str:
        return urljoin(self.base_url, path)

    def url(self, suffix: str) -> str:
        with translation.override(self.lang):
            path = reverse(
                f"{self.kind.url_name}{suffix}", kwargs={self.kind.lookup: self.dossier.ref}
            )
        return self.absolute(path)

    def names(self) -> tuple[str, str, str]:
        stem = f"{self.dossier.kind}-{self.dossier.ref}-dossier"
        return f"{stem}.json", f"{stem}-{self.lang}.pdf", f"{stem}-{self.lang}.sha256"

    def provenance(self, generated_at) -> common.Provenance:
        json_name, pdf_name, sha256_name = self.names()
        with translation.override(self.lang):
            canonical = self.absolute(self.dossier.record.get_absolute_url())
        return common.Provenance(
            digest=self.dossier.digest,
            record_state=self.dossier.record_state(),
            generated_at=generated_at,
            version=settings.ARCHIVE_VERSION,
            canonical_url=canonical,
            html_url=self.url(""),
            pdf_url=self.url("-pdf"),
            json_url=self.url("-json"),
            sha256_url=self.url("-sha256"),
            json_name=json_name,
            pdf_name=pdf_name,
            sha256_name=sha256_name,
        )

    def html(self, *, for_pdf: bool, provenance: common.Provenance | None = None) -> str:
        provenance = provenance or self.provenance(timezone.now())
        context = {
            "dossier": self.dossier,
            "record": self.dossier.record,
            "notes": self.dossier.notes(),
            "provenance": provenance,
            "for_pdf": for_pdf,
            "base_url": self.base_url,
            "LANGUAGE_CODE": self.lang,
        }
        with translation.override(self.lang):
            return render_to_string(self.kind.template, context)

    def pdf(self, *, html: str | None = None, cpu_seconds: float | None = None) -> bytes:
        provenance = self.provenance(timezone.now())
        html = html or self.html(for_pdf=True, provenance=provenance)
        return common.render_pdf(
            html,
            base_url=self.base_url,
            identifier=self.dossier.digest[:32],
            attachments=[
                (
                    provenance.json_name,
                    self.dossier.canonical,
                    "The dossier's content in canonical form; its SHA-256 is the digest.",
                )
            ],
            attachment_time=provenance.record_state,
            cpu_seconds=cpu_seconds,
        )

    @cached_property
    def key(self) -> str:
        """What the PDF's bytes depend on, as one SHA-256."""
        parts = (
            self.dossier.digest,
            self.kind.name,
            self.dossier.ref,
            self.lang,
            self.base_url,
            settings.ARCHIVE_VERSION,
            common.renderer_fingerprint(),
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# --- The store and its lock -----------------------------------------------------------------


@dataclass
class Answer:
    """What a request gets: a stored PDF (its bytes and SHA-256), or how many seconds to
    wait for one."""

    data: bytes | None = None
    sha256: str = ""
    retry_after: int = 0

    @property
    def ready(self) -> bool:
        return self.data is not None


def _fields(output: Output, status: str) -> dict:
    return {
        "key": output.key,
        "kind": output.kind.name,
        "ref": output.dossier.ref,
        "lang": output.lang,
        "origin": output.base_url,
        "content_digest": output.dossier.digest,
        "status": status,
        "requested_at": timezone.now(),
    }


def _create(output: Output, status: str) -> Rendering | None:
    """The new row for ``output``'s key, or None when another process made it first."""
    fields = _fields(output, status)
    if status == Status.RENDERING:
        fields.update(started_at=fields["requested_at"], attempts=1)
    try:
        with transaction.atomic():
            return Rendering.objects.create(**fields)
    except IntegrityError:
        return None


def stored(key: str) -> Rendering | None:
    """The row of a key, without its bytes."""
    return Rendering.objects.defer("pdf").filter(key=key).first()


def stored_pdf(key: str) -> tuple[bytes, str] | None:
    """The bytes and SHA-256 of a key's PDF, if it is ready."""
    row = (
        Rendering.objects.filter(key=key, status=Status.READY)
        .values_list("pdf", "pdf_sha256")
        .first()
    )
    return (bytes(row[0]), row[1]) if row else None


def stored_sha256(key: str) -> str | None:
    """The SHA-256 of a key's PDF, if it is ready (without reading the PDF)."""
    rows = Rendering.objects.filter(key=key, status=Status.READY)
    return rows.values_list("pdf_sha256", flat=True).first()


def _store(rendering: Rendering, data: bytes, cpu: float) -> None:
    Rendering.objects.filter(pk=rendering.pk).update(
        status=Status.READY,
        pdf=data,
        pdf_sha256=common.sha256_hex(data),
        finished_at=timezone.now(),
        cpu_seconds=round(cpu, 3),
        error="",
    )
    # Older states of the same dossier are never served again.
    Rendering.objects.filter(
        kind=rendering.kind, ref=rendering.ref, lang=rendering.lang, origin=rendering.origin
    ).exclude(pk=rendering.pk).exclude(status__in=(Status.PENDING, Status.RENDERING)).delete()


def _fail(rendering: Rendering, error: str) -> None:
    Rendering.objects.filter(pk=rendering.pk).update(
        status=Status.FAILED, finished_at=timezone.now(), error=error[:2000]
    )


def _requeue(rendering: Rendering) -> None:
    Rendering.objects.filter(pk=rendering.pk).update(
        status=Status.PENDING, requested_at=timezone.now(), started_at=None
    )


def _take_over(row: Rendering) -> bool:
    """Queue again a row whose renderer died or whose failure is old: one process wins."""
    now = timezone.now()
    if row.status == Status.FAILED:
        if row.finished_at and now - row.finished_at < timedelta(seconds=RETRY_FAILED_SECONDS):
            return False
    else:
        since = row.started_at or row.requested_at
        if now - since < timedelta(seconds=LOCK_SECONDS):
            return False
    won = Rendering.objects.filter(
        pk=row.pk, status=row.status, requested_at=row.requested_at
    ).update(status=Status.PENDING, requested_at=now, started_at=None)
    return bool(won)


def _render(rendering: Rendering, output: Output, *, html: str | None, cpu_seconds: float):
    started = time.process_time()
    data = output.pdf(html=html, cpu_seconds=cpu_seconds)
    _store(rendering, data, time.process_time() - started)
    return data


def _inline_budget(cpu_started: float) -> float:
    """CPU seconds left for a render in this request: the import of WeasyPrint (once per
    process) is paid first, outside the render's bound, and counted against the request."""
    common.load_renderer()
    spent = time.process_time() - cpu_started
    return min(inline_cpu_seconds(), request_cpu_seconds() - spent)


def pdf_for_request(output: Output, *, cpu_started: float | None = None) -> Answer:
    """The stored PDF of ``output``, rendered now if it is small and the request's CPU
    budget allows (``cpu_started``: ``time.process_time()`` when the request began), else
    queued for the background renderer. Raises ``DatabaseError`` when the store cannot be
    read (the view answers 503)."""
    if cpu_started is None:
        cpu_started = time.process_time()
    ready = stored_pdf(output.key)
    if ready is not None:
        return Answer(data=ready[0], sha256=ready[1])
    row = stored(output.key)
    if row is None:
        small = len(output.dossier.canonical) <= inline_content_bytes()
        row = _create(output, Status.RENDERING if small else Status.PENDING)
        if row is None:  # another reader asked a moment ago
            return Answer(retry_after=10)
        budget = _inline_budget(cpu_started) if small else 0
        if budget >= 0.2:
            try:
                data = _render(row, output, html=None, cpu_seconds=budget)
            except common.RenderTimeout:
                logger.info("dossier %s %s too long to render in a request", row.kind, row.ref)
                _requeue(row)
            except Exception as error:
                logger.exception("dossier PDF %s %s %s failed", row.kind, row.ref, row.lang)
                _fail(row, repr(error))
                return Answer(retry_after=RETRY_FAILED_SECONDS)
            else:
                return Answer(data=data, sha256=common.sha256_hex(data))
        elif small:
            _requeue(row)
        start_renderer()
        return Answer(retry_after=20)
    if row.status == Status.READY:  # stored between the two reads
        return pdf_for_request(output)
    if _take_over(row):
        start_renderer()
        return Answer(retry_after=20)
    if row.status == Status.FAILED:
        return Answer(retry_after=RETRY_FAILED_SECONDS)
    return Answer(retry_after=10 if row.status == Status.RENDERING else 20)


# --- The background renderer ----------------------------------------------------------------


def _database_name() -> str:
    return str(connection.settings_dict["NAME"])


def start_renderer() -> bool:
    """Start ``render_dossiers --pending`` in a process of its own, unless spawning is off
    or no other process could open this database (SQLite in memory, in tests)."""
    if not spawn_enabled():
        return False
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return False
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    base = str(settings.BASE_DIR)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (base, env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "django", "render_dossiers", "--pending"]
    command += ["--database-name", _database_name()]
    try:
        subprocess.Popen(  # noqa: S603 - our own interpreter and command, no reader input
            command,
            cwd=base,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # not killed with the worker that started it
        )
    except OSError:
        logger.exception("could not start the dossier renderer; cron's pass will render")
        return False
    return True


def _claim(row: Rendering) -> bool:
    now = timezone.now()
    won = Rendering.objects.filter(
        pk=row.pk, status=Status.PENDING, requested_at=row.requested_at
    ).update(status=Status.RENDERING, started_at=now, attempts=row.attempts + 1)
    return bool(won)


def _busy() -> int:
    fresh = timezone.now() - timedelta(seconds=LOCK_SECONDS)
    return Rendering.objects.filter(status=Status.RENDERING, started_at__gte=fresh).count()


def render_row(row: Rendering, *, cpu_seconds: float | None = None) -> str:
    """Render one claimed row for the record state of now; returns what happened."""
    try:
        output = Output.build(row.kind, row.ref, base_url=row.origin, lang=row.lang)
    except Http404:
        Rendering.objects.filter(kind=row.kind, ref=row.ref).delete()
        return "withdrawn"
    if output.key != row.key:
        # The records changed since the PDF was asked for: render the state of now.
        Rendering.objects.filter(pk=row.pk).delete()
        fresh = stored(output.key)
        if fresh is not None:
            return "already"
        row = _create(output, Status.RENDERING)
        if row is None:
            return "taken"
    try:
        _render(row, output, html=None, cpu_seconds=cpu_seconds or render_cpu_seconds())
    except Exception as error:
        logger.exception("dossier PDF %s %s %s failed", row.kind, row.ref, row.lang)
        _fail(row, repr(error))
        return "failed"
    return "rendered"


def drain(*, deadline: float, wait: float = 60.0, log=None) -> int:
    """Render the queued PDFs, oldest first, one at a time, until none is left or
    ``deadline`` (``time.monotonic()``) has passed. Waits while ``render_concurrency()``
    renders run elsewhere. Returns how many were rendered."""
    done = 0
    waited_since = None
    while time.monotonic() < deadline:
        for row in Rendering.objects.filter(status=Status.RENDERING).defer("pdf"):
            _take_over(row)  # a renderer that died leaves its row to the queue
        if _busy() >= render_concurrency():
            waited_since = waited_since or time.monotonic()
            if time.monotonic() - waited_since > wait:
                break
            time.sleep(1)
            continue
        waited_since = None
        row = (
            Rendering.objects.filter(status=Status.PENDING)
            .defer("pdf")
            .order_by("requested_at", "pk")
            .first()
        )
        if row is None:
            break
        if not _claim(row):
            continue
        row.refresh_from_db(fields=["attempts", "status", "started_at"])
        result = render_row(row)
        done += result == "rendered"
        if log:
            log(f"{row.kind} {row.ref} {row.lang} {row.origin}: {result}")
    return done


def enqueue(output: Output) -> bool:
    """Queue ``output``'s PDF unless it is stored or queued already."""
    row = stored(output.key)
    if row is None:
        return _create(output, Status.PENDING) is not None
    if row.status != Status.READY:
        return _take_over(row)
    return False


def enqueue_stale(*, base_urls: list[str], every: bool, kinds=None, refs=None, langs=None):
    """Queue the PDF of the record state of now for every dossier that has a stored PDF
    (for its languages and origins) and, with ``every``, every published dossier in every
    language for each of ``base_urls``. Drops the rows of withdrawn dossiers. Returns how
    many were queued."""
    kinds = kinds or list(KINDS)
    langs = langs or [code for code, _name in settings.LANGUAGES]
    wanted: dict[tuple[str, str], set[tuple[str, str]]] = {}
    known = Rendering.objects.filter(kind__in=kinds).values_list("kind", "ref", "lang", "origin")
    for kind, ref, lang, origin in known.distinct():
        if lang in langs:
            wanted.setdefault((kind, ref), set()).add((lang, origin))
    if every:
        for kind in kinds:
            for ref in published_refs(kind):
                pairs = wanted.setdefault((kind, ref), set())
                pairs.update((lang, url) for lang in langs for url in base_urls)
    queued = 0
    for (kind, ref), pairs in sorted(wanted.items()):
        if refs and ref not in refs:
            continue
        try:
            dossier = KINDS[kind].build(ref)
        except Http404:
            Rendering.objects.filter(kind=kind, ref=ref).delete()
            continue
        for lang, origin in sorted(pairs):
            queued += enqueue(Output(KINDS[kind], dossier, base_url=origin, lang=lang))
    return queued
