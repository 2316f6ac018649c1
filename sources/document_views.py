"""The public side of a source's documents: the public copy (derived, without metadata),
a page shown as an image rendered on the server with a quoted passage marked where it
stands (an SVG over the page image: no JavaScript), and the page image itself.

Every read goes through ``Document.objects.public()``: a document of a draft, withdrawn
or private source, or one withheld, is a 404 like a page that does not exist. The
original (the evidentiary copy) is never served here: staff open it in the admin, which
writes the custody log.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.generic import TemplateView

from archive.core.models import Publishable, public_records_of
from archive.core.search import clean_query
from sources import evidence
from sources.documents import Document, DocumentPage
from sources.models import Citation

# A derived file may stop being public (its source withdrawn): kept by browsers and
# proxies for minutes, not days.
MAX_AGE = 300


def public_document(pk: int, doc: int) -> Document:
    return get_object_or_404(Document.objects.public().select_related("source"), source_id=pk,
                             pk=doc)  # fmt: skip


def _file(field, content_type: str, filename: str):
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, filename=filename)
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def document_file(request, pk: int, doc: int):
    """The public copy of a document (a document with none, such as a WebM video that
    cannot be cleaned of its tags, is not served: its digest is public, its file is not)."""
    document = public_document(pk, doc)
    if not document.public_copy:
        raise Http404
    ext = document.public_copy.name.rsplit(".", 1)[-1]
    return _file(
        document.public_copy, document.public_media_type,
        f"source-{pk}-document-{doc}.{ext}",
    )  # fmt: skip


def page_image(request, pk: int, doc: int, n: int):
    document = public_document(pk, doc)
    page = get_object_or_404(DocumentPage, document=document, number=n)
    if not page.image:
        raise Http404
    return _file(page.image, "image/png", f"source-{pk}-document-{doc}-page-{n}.png")


def shown_publicly(citation: Citation) -> bool:
    """Whether the record a citation supports is on a public page (a citation of a draft
    says nothing public, not even which words it quotes)."""
    records = public_records_of(citation)
    for record in list(records):
        if not isinstance(record, Publishable):
            records.remove(record)
            records.extend(public_records_of(record))
    return bool(records) and all(isinstance(r, Publishable) and r.is_published for r in records)


def quoted_phrase(request, document: Document) -> tuple[str, Citation | None]:
    """The passage to mark: a citation's quote (``?c=ID``, a public citation of this
    source) or a phrase searched for (``?q=``)."""
    raw = request.GET.get("c", "")
    if raw.isdigit() and len(raw) < 12:
        citation = Citation.objects.public().filter(source=document.source, pk=int(raw)).first()
        if citation is not None and citation.public_view().quote and shown_publicly(citation):
            return citation.quote, citation
    return clean_query(request.GET.get("q"))[:300], None


class DocumentPageView(TemplateView):
    template_name = "sources/document_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = public_document(kwargs["pk"], kwargs["doc"])
        if not document.paged:
            raise Http404
        page = get_object_or_404(DocumentPage, document=document, number=kwargs["n"])
        phrase, citation = quoted_phrase(self.request, document)
        boxes, before, marked, after = [], page.text, "", ""
        if phrase and document.kind == evidence.PDF:
            boxes = self._boxes(document, page, phrase)
        if phrase:
            span = evidence.find_span(page.text, phrase)
            if span:
                before, marked, after = (
                    page.text[: span[0]],
                    page.text[span[0] : span[1]],
                    page.text[span[1] :],
                )
        context.update(
            {
                "source": document.source.public_view(),
                "document": document,
                "page": page,
                "phrase": phrase,
                "citation": citation,
                "found": bool(marked),
                "boxes": [
                    (x * page.width, y * page.height, w * page.width, h * page.height)
                    for x, y, w, h in boxes
                ],
                "before": before,
                "marked": marked,
                "after": after,
                "previous": page.number - 1 if page.number > 1 else None,
                "next": page.number + 1 if page.number < document.page_count else None,
                "query": self.request.GET.urlencode(),
            }
        )
        return context

    @staticmethod
    def _boxes(document: Document, page: DocumentPage, phrase: str) -> list:
        """Where the phrase stands, read from the public copy (the pages the public sees)."""
        if not document.public_copy:
            return []
        with document.public_copy.open("rb") as handle:
            pdf = evidence.open_pdf(handle.read())
        try:
            if page.number > len(pdf):
                return []
            return evidence.phrase_boxes(pdf[page.number - 1], phrase)
        finally:
            pdf.close()
