"""Dossiers of a perpetrator and of an event: HTML (print-ready), PDF, the canonical
content as JSON, and the SHA-256 digests beside them. Every read goes through
``.published()`` (in the builders); an unpublished record is a 404 in every form."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone, translation
from django.views import View

from archive import dossier as common
from archive.views import checked_ref
from perpetrators.dossier import event_dossier, perpetrator_dossier


class DossierMixin:
    """The four forms of one dossier; subclasses say how to build it and its URLs."""

    template_name: str
    url_prefix: str  # URL name prefix, e.g. "perpetrators:perpetrator-dossier"
    lookup: str  # URL keyword

    def build(self):
        raise NotImplementedError

    def key(self) -> str:
        return self.kwargs[self.lookup]

    def lang(self) -> str:
        return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]

    def url(self, suffix: str) -> str:
        return self.request.build_absolute_uri(
            reverse(f"{self.url_prefix}{suffix}", kwargs={self.lookup: self.key()})
        )

    def names(self, dossier) -> tuple[str, str, str]:
        stem = f"{dossier.kind}-{dossier.ref}-dossier"
        lang = self.lang()
        return f"{stem}.json", f"{stem}-{lang}.pdf", f"{stem}-{lang}.sha256"

    def provenance(self, dossier, generated_at) -> common.Provenance:
        json_name, pdf_name, sha256_name = self.names(dossier)
        return common.Provenance(
            digest=dossier.digest,
            record_state=dossier.record_state(),
            generated_at=generated_at,
            version=settings.ARCHIVE_VERSION,
            canonical_url=self.request.build_absolute_uri(dossier.record.get_absolute_url()),
            html_url=self.url(""),
            pdf_url=self.url("-pdf"),
            json_url=self.url("-json"),
            sha256_url=self.url("-sha256"),
            json_name=json_name,
            pdf_name=pdf_name,
            sha256_name=sha256_name,
        )

    def render_html(self, dossier, provenance, *, for_pdf: bool) -> str:
        context = {
            "dossier": dossier,
            "record": dossier.record,
            "notes": dossier.notes(),
            "provenance": provenance,
            "for_pdf": for_pdf,
        }
        return render_to_string(self.template_name, context, request=self.request)

    def pdf_bytes(self, dossier) -> bytes:
        provenance_now = self.provenance(dossier, timezone.now())
        key = (
            dossier.kind,
            dossier.ref,
            self.lang(),
            dossier.digest,
            settings.ARCHIVE_VERSION,
            provenance_now.canonical_url,
        )

        def make():
            html = self.render_html(dossier, provenance_now, for_pdf=True)
            return common.render_pdf(
                html,
                base_url=self.request.build_absolute_uri("/"),
                identifier=dossier.digest[:32],
                attachments=[
                    (
                        provenance_now.json_name,
                        dossier.canonical,
                        "The dossier's content in canonical form; its SHA-256 is the digest.",
                    )
                ],
                attachment_time=provenance_now.record_state,
            )

        return common.cached_pdf(key, make)


class DossierHTMLView(DossierMixin, View):
    def get(self, request, **kwargs):
        dossier = self.build()
        provenance = self.provenance(dossier, timezone.now())
        html = self.render_html(dossier, provenance, for_pdf=False)
        return HttpResponse(html)


class DossierPDFView(DossierMixin, View):
    def get(self, request, **kwargs):
        dossier = self.build()
        data = self.pdf_bytes(dossier)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{self.names(dossier)[1]}"'
        response["ETag"] = f'"{common.sha256_hex(data)}"'
        return response


class DossierJSONView(DossierMixin, View):
    def get(self, request, **kwargs):
        dossier = self.build()
        response = HttpResponse(dossier.canonical, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{self.names(dossier)[0]}"'
        response["ETag"] = f'"{dossier.digest}"'
        return response


class DossierSHA256View(DossierMixin, View):
    """``sha256sum`` lines: the digest of the canonical content (the dossier.json) and
    of the PDF served now in this language."""

    def get(self, request, **kwargs):
        dossier = self.build()
        json_name, pdf_name, sha256_name = self.names(dossier)
        text = common.sha256sum_text(
            [
                (dossier.digest, json_name),
                (common.sha256_hex(self.pdf_bytes(dossier)), pdf_name),
            ]
        )
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{sha256_name}"'
        return response


class PerpetratorDossierMixin(DossierMixin):
    template_name = "dossier/perpetrator_dossier.html"
    url_prefix = "perpetrators:perpetrator-dossier"
    lookup = "ref"

    def build(self):
        # A reference no record can have (a NUL, which PostgreSQL refuses) is a 404.
        return perpetrator_dossier(checked_ref(self.key()))


class EventDossierMixin(DossierMixin):
    template_name = "dossier/event_dossier.html"
    url_prefix = "archive:event-dossier"
    lookup = "slug"

    def build(self):
        return event_dossier(self.key())


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
    """The dossier's four forms, for ``perpetrators/urls.py``."""
    return _urls(
        "<str:ref>/",
        "perpetrator-dossier",
        PerpetratorDossierView,
        PerpetratorDossierPDFView,
        PerpetratorDossierJSONView,
        PerpetratorDossierSHA256View,
    )


def event_dossier_urls() -> list:
    """The dossier's four forms, for ``archive/public_urls.py`` (namespace ``archive``)."""
    return _urls(
        "events/<slug:slug>/",
        "event-dossier",
        EventDossierView,
        EventDossierPDFView,
        EventDossierJSONView,
        EventDossierSHA256View,
    )
