"""Dossiers of a perpetrator and of an event: HTML (print-ready), PDF, the canonical
content as JSON, and the SHA-256 digests beside them. Every read goes through
``.published()`` (in the builders); an unpublished record is a 404 in every form.

The PDF is never rendered at length inside a request: it is served from the store, or
rendered in the request when small and bounded, or answered 503 with ``Retry-After`` while
a background renderer makes it (``perpetrators/dossier_render.py``)."""

from __future__ import annotations

import io
import logging
import time

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.urls import path
from django.utils import translation
from django.views import View

from archive.dossiers import common
from archive.dossiers.render import (
    Answer,
    Output,
    pdf_for_request,
    stored_pdf,
    stored_sha256,
)

logger = logging.getLogger(__name__)


class DossierMixin:
    """The four forms of one dossier; subclasses say which kind and its URL keyword."""

    kind: str  # a key of ``dossier_render.KINDS``
    lookup: str  # URL keyword

    def lang(self) -> str:
        return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]

    def output(self) -> Output:
        """The dossier as printed for this site's address (``Http404`` if unpublished)."""
        return Output.build(
            self.kind,
            self.kwargs[self.lookup],
            base_url=self.request.build_absolute_uri("/"),
            lang=self.lang(),
        )


def preparing(request, output: Output, retry_after: int) -> HttpResponse:
    """503 with ``Retry-After``: the PDF is being made; the page reloads itself (no
    script needed) and says so in both languages."""
    context = {
        "retry_after": retry_after,
        "pdf_url": output.url("-pdf"),
        "html_url": output.url(""),
        "other_lang": "en" if output.lang == "fa" else "fa",
    }
    response = HttpResponse(render_to_string("dossier/preparing.html", context), status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    # An answer by design, not a fault: Django would log every 5xx as an error.
    response._has_been_logged = True
    logger.info("dossier PDF %s being prepared; Retry-After %s", output.key[:12], retry_after)
    return response


class DossierHTMLView(DossierMixin, View):
    def get(self, request, **kwargs):
        return HttpResponse(self.output().html(for_pdf=False))


class DossierPDFView(DossierMixin, View):
    def get(self, request, **kwargs):
        started = time.process_time()
        output = self.output()
        try:
            # The first read in a savepoint: a missing table must not break a transaction
            # around the request. Not the rest: the row that locks a render must be seen
            # by the other workers and by the renderer at once, not when a request ends.
            with transaction.atomic():
                ready = stored_pdf(output.key)
            answer = (
                Answer(data=ready[0], sha256=ready[1])
                if ready
                else pdf_for_request(output, cpu_started=started)
            )
        except DatabaseError:
            logger.exception("the dossier PDF store cannot be read (migrate?)")
            return preparing(request, output, 60)
        if not answer.ready:
            return preparing(request, output, answer.retry_after)
        # Streamed, so that the page cache does not keep a second copy of what the store
        # already holds (in every worker's memory).
        response = FileResponse(io.BytesIO(answer.data), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{output.names()[1]}"'
        response["ETag"] = f'"{answer.sha256}"'
        return response


class DossierJSONView(DossierMixin, View):
    def get(self, request, **kwargs):
        output = self.output()
        dossier = output.dossier
        response = HttpResponse(dossier.canonical, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{output.names()[0]}"'
        response["ETag"] = f'"{dossier.digest}"'
        return response


class DossierSHA256View(DossierMixin, View):
    """``sha256sum`` lines: the digest of the canonical content (the dossier.json) and,
    once it is rendered, of the PDF served for this record state in this language."""

    def get(self, request, **kwargs):
        output = self.output()
        json_name, pdf_name, sha256_name = output.names()
        entries = [(output.dossier.digest, json_name)]
        try:
            with transaction.atomic():
                pdf_digest = stored_sha256(output.key)
        except DatabaseError:
            logger.exception("the dossier PDF store cannot be read (migrate?)")
            pdf_digest = None
        if pdf_digest:
            entries.append((pdf_digest, pdf_name))
        response = HttpResponse(
            common.sha256sum_text(entries), content_type="text/plain; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{sha256_name}"'
        return response


class PerpetratorDossierMixin(DossierMixin):
    kind = "perpetrator"
    lookup = "ref"


class EventDossierMixin(DossierMixin):
    kind = "event"
    lookup = "slug"


class PerpetratorDossierView(PerpetratorDossierMixin, DossierHTMLView):
    pass


class PerpetratorDossierPDFView(PerpetratorDossierMixin, DossierPDFView):
    pass


class PerpetratorDossierJSONView(PerpetratorDossierMixin, DossierJSONView):
    pass


class PerpetratorDossierSHA256View(PerpetratorDossierMixin, DossierSHA256View):
    pass


class EventDossierView(EventDossierMixin, DossierHTMLView):
    pass


class EventDossierPDFView(EventDossierMixin, DossierPDFView):
    pass


class EventDossierJSONView(EventDossierMixin, DossierJSONView):
    pass


class EventDossierSHA256View(EventDossierMixin, DossierSHA256View):
    pass


def _urls(prefix: str, name: str, html, pdf, json, sha256) -> list:
    return [
        path(f"{prefix}dossier/", html.as_view(), name=name),
        path(f"{prefix}dossier.pdf", pdf.as_view(), name=f"{name}-pdf"),
        path(f"{prefix}dossier.json", json.as_view(), name=f"{name}-json"),
        path(f"{prefix}dossier.sha256", sha256.as_view(), name=f"{name}-sha256"),
    ]


def perpetrator_dossier_urls() -> list:
    """The dossier's four forms, in the perpetrators' URLs (archive/public/urls.py)."""
    return _urls(
        "<str:ref>/",
        "perpetrator-dossier",
        PerpetratorDossierView,
        PerpetratorDossierPDFView,
        PerpetratorDossierJSONView,
        PerpetratorDossierSHA256View,
    )


def event_dossier_urls() -> list:
    """The dossier's four forms, in the site's URLs (namespace ``archive``)."""
    return _urls(
        "events/<slug:slug>/",
        "event-dossier",
        EventDossierView,
        EventDossierPDFView,
        EventDossierJSONView,
        EventDossierSHA256View,
    )
