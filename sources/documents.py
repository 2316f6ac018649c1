"""The documents of a source: the file itself, kept byte for byte with its SHA-256 (the
evidentiary copy, for staff), the files derived from it for the public (a copy without
metadata, page images, the text of each page) and the custody log of every later access
or change.

Originals are stored under their digest (``originals/ab/abcdef….pdf``) in the evidence
store (``settings.EVIDENCE_ROOT``), which no URL maps to: the public reaches a derived
file only through a view that asks ``Document.objects.public()``, staff reach the
original only through the admin, which writes the custody log.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from archive.core.storage import UnservedStorage
from sources import evidence
from sources.evidence import DocumentError

PAGE_IMAGE_WIDTH = 1240  # pixels: an A4 page at 150 dpi, legible on a laptop's screen


@deconstructible(path="sources.documents.EvidenceStorage")
class EvidenceStorage(UnservedStorage):
    """Files under ``settings.EVIDENCE_ROOT``: no URL maps to it. Files are read-only
    once written (an original is never rewritten; a derived file is replaced by a new
    one, never edited)."""

    ROOT_SETTING = "EVIDENCE_ROOT"
    FILE_MODE = 0o440
    DIRECTORY_MODE = 0o750
    REFUSAL = "Evidence files have no URL; the views serve them."


def evidence_storage():
    return EvidenceStorage()


def refusal(code: str, **params) -> str:
    """The sentence for a refused file (``DocumentError``'s code)."""
    messages = {
        "empty": _("The file is empty."),
        "unknown_type": _(
            "This file is not a PDF, an image (JPEG, PNG, GIF, WebP, TIFF), audio or video "
            "(MP3, M4A, OGG, FLAC, WAV, MP4, MOV, WebM) or UTF-8 text, whatever its name "
            "says: its first bytes are those of none of them."
        ),
        "bad_pdf": _("The file starts like a PDF but cannot be read as one."),
        "bad_image": _("The file starts like an image but cannot be read as one."),
        "not_text": _("The file is neither a known type nor UTF-8 text."),
        "too_many_pixels": _("The image has more than %(limit)s pixels (DOCUMENT_MAX_PIXELS)."),
        "too_many_pages": _(
            "The PDF has %(pages)s pages; at most %(limit)s are kept (DOCUMENT_MAX_PAGES)."
        ),
        "too_big": _("The file is %(size)s; a %(kind)s may be at most %(limit)s (%(setting)s)."),
        "duplicate": _("This source already holds this file (SHA-256 %(sha256)s)."),
    }
    return str(messages[code]) % params


def size_limit(kind: str) -> tuple[int, str]:
    """(bytes, setting's name) of the largest file of a kind."""
    if kind in (evidence.AUDIO, evidence.VIDEO):
        return settings.DOCUMENT_MAX_MEDIA_BYTES, "DOCUMENT_MAX_MEDIA_BYTES"
    return settings.DOCUMENT_MAX_BYTES, "DOCUMENT_MAX_BYTES"


class Refused(ValueError):
    """A file not added: the message is the sentence to show."""


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """The documents the public may see: of a published source that is not a
        private testimony (``Source.objects.public()``), and not withheld."""
        from sources.models import Source

        return self.filter(withheld=False, source__in=Source.objects.public())


class Document(models.Model):
    class Kind(models.TextChoices):
        PDF = evidence.PDF, _("PDF")
        IMAGE = evidence.IMAGE, _("image")
        AUDIO = evidence.AUDIO, _("audio")
        VIDEO = evidence.VIDEO, _("video")
        TEXT = evidence.TEXT, _("text")

    source = models.ForeignKey(
        "sources.Source", on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("source"),
    )  # fmt: skip
    title = models.CharField(
        _("title"), max_length=300, blank=True,
        help_text=_("What the file is, e.g. 'the statement as published'. Shown publicly."),
    )  # fmt: skip
    original = models.FileField(
        _("original (evidentiary copy)"), storage=evidence_storage, max_length=200,
        editable=False,
    )  # fmt: skip
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    media_type = models.CharField(_("type"), max_length=60, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, editable=False)
    original_name = models.CharField(
        _("file name as received"), max_length=255, blank=True, editable=False,
        help_text=_("Staff only: a name may say who sent it."),
    )  # fmt: skip
    url = models.URLField(_("retrieved from"), max_length=1000, blank=True)
    retrieved = models.DateField(_("retrieval date"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("added by"), editable=False,
    )  # fmt: skip
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    withheld = models.BooleanField(
        _("withheld"), default=False,
        help_text=_("Not shown publicly even when its source is."),
    )  # fmt: skip
    # Derived from the original: a copy without metadata, for the public.
    public_copy = models.FileField(
        _("public copy (derived, metadata removed)"), storage=evidence_storage,
        max_length=200, blank=True, editable=False,
    )  # fmt: skip
    public_sha256 = models.CharField(
        _("SHA-256 of the public copy"), max_length=64, blank=True, editable=False
    )
    public_media_type = models.CharField(max_length=60, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), default=0, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["source", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "sha256"], name="document_once_per_source")
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.sha256[:12]}"

    def get_absolute_url(self) -> str:
        """The public copy (a derived file)."""
        return reverse("sources:document-file", kwargs={"pk": self.source_id, "doc": self.pk})

    def public_record(self) -> dict:
        """What the public may know of the document, as data (a dossier's sources): its
        digests let anyone check a copy. Only for ``Document.objects.public()``."""
        return {
            "id": self.pk,
            "title": self.title,
            "kind": self.kind,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
            "pages": self.page_count if self.kind == evidence.PDF else None,
            "public_copy_sha256": self.public_sha256 or None,
            "url": self.url,
            "retrieved": self.retrieved.isoformat() if self.retrieved else None,
        }

    @property
    def paged(self) -> bool:
        return self.kind in (evidence.PDF, evidence.TEXT)

    @property
    def timed(self) -> bool:
        return self.kind in (evidence.AUDIO, evidence.VIDEO)

    def page_url(self, number: int) -> str:
        return reverse(
            "sources:document-page", kwargs={"pk": self.source_id, "doc": self.pk, "n": number}
        )

    def log(self, action: str, *, user=None, detail: str = "") -> CustodyEvent:
        return CustodyEvent.objects.create(document=self, action=action, user=user, detail=detail)

    def read_original(self) -> bytes:
        with self.original.open("rb") as handle:
            return handle.read()

    def verify(self) -> str | None:
        """None when the stored original matches its digest and size; else what differs."""
        try:
            with self.original.open("rb") as handle:
                digest, size = evidence.sha256_of(handle)
        except (FileNotFoundError, OSError) as exc:
            return f"missing ({exc.__class__.__name__})"
        if digest != self.sha256 or size != self.size:
            return f"SHA-256 {digest}, {size} bytes; recorded {self.sha256}, {self.size} bytes"
        return None

    # --- derived files -----------------------------------------------------------------

    def process(self, *, raw: bool = False) -> None:
        """Makes the derived files from the original: the public copy, the text of each
        page and (PDF) each page's image. Run when added; safe to run again.

        ``raw``: the document was loaded from a fixture, whose rows move no data version
        (``versions.count_change`` ignores raw saves); its derived files then do not
        either (a version change due in a test's transaction would hide the next one)."""
        data = self.read_original()
        storage = self.original.storage
        for page in self.pages.all():
            if page.image:
                page.image.delete(save=False)
        self.pages.all().delete()
        if self.public_copy:
            self.public_copy.delete(save=False)
        written: list[str] = []
        try:
            pages = self._derive(data, storage, written)
            DocumentPage.objects.bulk_create(pages, batch_size=200)
            self.page_count = len(pages)
            fields = ["public_copy", "public_sha256", "public_media_type", "page_count"]
            if raw:
                Document.objects.filter(pk=self.pk).update(
                    **{name: getattr(self, name) for name in fields}
                )
            else:
                self.save(update_fields=fields)
        except BaseException:
            # Failed partway (a page PDFium cannot render, a full disk, the database): the
            # files made so far are removed; the caller's transaction drops the rows.
            for name in written:
                storage.delete(name)
            raise

    def _derive(self, data: bytes, storage, written: list[str]) -> list[DocumentPage]:
        """Writes the public copy and the page images (their names added to ``written``
        as they are saved); returns the pages, not yet saved."""
        folder = f"derived/{self.sha256[:2]}/{self.sha256}"
        copy, media_type = self._public_copy(data)
        if copy is not None:
            name = f"{folder}/public.{_extension(media_type, self.original.name)}"
            if storage.exists(name):
                storage.delete(name)
            self.public_copy.name = storage.save(name, ContentFile(copy))
            written.append(self.public_copy.name)
            self.public_sha256 = evidence.sha256_of(io.BytesIO(copy))[0]
            self.public_media_type = media_type
        else:
            self.public_copy.name, self.public_sha256, self.public_media_type = "", "", ""
        pages = []
        if self.kind == evidence.PDF:
            pages = self._pdf_pages(copy, storage, folder, written)
        elif self.kind == evidence.TEXT:
            text = evidence.check_text(data)
            pages = [
                DocumentPage(document=self, number=n, text=part, folded=evidence.fold(part))
                for n, part in enumerate(text.split("\f"), start=1)
            ]
        return pages

    def _public_copy(self, data: bytes) -> tuple[bytes | None, str]:
        if self.kind == evidence.PDF:
            return evidence.pdf_public_copy(data), "application/pdf"
        if self.kind == evidence.IMAGE:
            return evidence.image_public_copy(data, max_pixels=settings.DOCUMENT_MAX_PIXELS)
        if self.kind == evidence.TEXT:
            return data, "text/plain; charset=utf-8"  # text carries no metadata
        copy = evidence.media_public_copy(data, Path(self.original.name).suffix.lstrip("."))
        return copy, self.media_type

    def _pdf_pages(self, copy: bytes, storage, folder: str, written: list[str]) -> list:
        """Text and image of each page, read from the public copy (the same pages)."""
        pdf = evidence.open_pdf(copy)
        try:
            pages = []
            for number, page in enumerate(pdf, start=1):
                textpage = page.get_textpage()
                text = textpage.get_text_range().replace("\r\n", "\n")
                textpage.close()
                png, width, height = evidence.render_page(page, width=PAGE_IMAGE_WIDTH)
                page.close()
                name = f"{folder}/page-{number:05d}.png"
                if storage.exists(name):
                    storage.delete(name)
                row = DocumentPage(
                    document=self, number=number, text=text, folded=evidence.fold(text),
                    width=width, height=height,
                )  # fmt: skip
                row.image.name = storage.save(name, ContentFile(png))
                written.append(row.image.name)
                pages.append(row)
            return pages
        finally:
            pdf.close()


def _extension(media_type: str, original_name: str) -> str:
    return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
        media_type.split(";")[0], Path(original_name).suffix.lstrip(".") or "bin"
    )


class DocumentPage(models.Model):
    """One page of a document (a text file without page breaks is one page): its text
    and its image, both derived from the original."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(_("text (derived)"), blank=True)
    folded = models.TextField(blank=True, help_text="The text as search folds it.")
    image = models.FileField(
        _("page image (derived)"), storage=evidence_storage, max_length=200, blank=True
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document page")
        verbose_name_plural = _("document pages")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_page_once")
        ]

    def __str__(self):
        return f"{self.document}, p. {self.number}"


class CustodyEvent(models.Model):
    """One entry of a document's chain of custody: never changed, never deleted."""

    class Action(models.TextChoices):
        ADDED = "added", _("added")
        ORIGINAL_READ = "original_read", _("evidentiary copy opened")
        CHANGED = "changed", _("description changed")
        PROCESSED = "processed", _("derived files made")
        VERIFIED = "verified", _("verified against its digest")
        ALTERED = "altered", _("differs from its digest")

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="custody", verbose_name=_("document")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("who"),
    )  # fmt: skip
    action = models.CharField(_("what"), max_length=16, choices=Action.choices)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("custody log entry")
        verbose_name_plural = _("custody log")
        ordering = ["document", "at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


# --- citations that open the passage -------------------------------------------------


def link_locators(notes) -> None:
    """Sets ``note.links`` of each footnote: "p. 12" to that page of the document the
    citation names, else of the source's first public paged document (PDF or text), with
    the citation's quote marked; "03:15" to its (first) audio or video at that time (a
    media fragment, ``#t=195``); a quote without a page in a one-page text (the
    statement) to that page. One query for all the notes. A named document that is not
    public (withheld) is no link, and no other document stands in for it."""
    public = [n for n in notes if not n.source.private and n.cited]
    for note in notes:
        note.links = [(locator, "") for locator in note.locators]
    if not public:
        return
    paged, timed, by_pk = {}, {}, {}
    documents = Document.objects.public().filter(source_id__in={n.source.id for n in public})
    for document in documents.order_by("pk").only(
        "pk", "source_id", "kind", "page_count", "public_copy"
    ):
        by_pk[document.pk] = document
        if document.paged and document.page_count:
            paged.setdefault(document.source_id, document)
        elif document.timed and document.public_copy:
            timed.setdefault(document.source_id, document)
    for note in public:
        links, note.passage = [], ""
        for locator, citation_id, document_id in note.cited:
            where = evidence.read_locator(locator)
            url = ""
            if document_id:
                named = by_pk.get(document_id)
                document = named if named and named.paged and named.page_count else None
                media = named if named and named.timed and named.public_copy else None
            else:
                document, media = paged.get(note.source.id), timed.get(note.source.id)
            # "#passage": the page opens where the passage is marked (a long text page
            # would open at its top, the passage out of sight).
            if where and where[0] == "page" and document and where[1] <= document.page_count:
                url = f"{document.page_url(where[1])}?c={citation_id}#passage"
            elif where and where[0] == "time" and media:
                url = f"{media.get_absolute_url()}#t={where[1]}"
            elif not where and document and document.page_count == 1:
                url = f"{document.page_url(1)}?c={citation_id}#passage"
            if locator:
                links.append((locator, url))
            else:
                note.passage = url
        note.links = links


# --- adding a document ---------------------------------------------------------------


def add_document(
    *,
    source,
    fileobj,
    name: str = "",
    url: str = "",
    retrieved: datetime.date | None = None,
    user=None,
    title: str = "",
    via: str = "",
) -> Document:
    """Adds a file to ``source``: checked by its bytes, stored byte for byte under its
    digest, its derived files made, the custody log begun. Raises ``Refused`` (with the
    sentence to show) and leaves nothing behind when the file is not kept."""
    size = getattr(fileobj, "size", None)
    fileobj.seek(0)
    head = fileobj.read(64)
    fileobj.seek(0)
    if not head:
        raise Refused(refusal("empty"))
    found = evidence.sniff(head)
    if found is None:
        raise Refused(refusal("unknown_type"))
    limit, setting = size_limit(found.kind)
    if size is not None and size > limit:
        raise Refused(_too_big(size, limit, setting, found.kind))
    data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise Refused(_too_big(len(data), limit, setting, found.kind))
    digest, size = evidence.sha256_of(io.BytesIO(data))
    if Document.objects.filter(source=source, sha256=digest).exists():
        raise Refused(refusal("duplicate", sha256=digest))
    try:
        if found.kind == evidence.PDF:
            pdf = evidence.open_pdf(data)
            pages = len(pdf)
            pdf.close()
            if pages > settings.DOCUMENT_MAX_PAGES:
                raise DocumentError(
                    "too_many_pages", pages=pages, limit=settings.DOCUMENT_MAX_PAGES
                )
        elif found.kind == evidence.TEXT:
            evidence.check_text(data)
    except DocumentError as exc:
        raise Refused(refusal(exc.code, **exc.params)) from None
    storage = evidence_storage()
    stored = f"originals/{digest[:2]}/{digest}.{found.extension}"
    created = not storage.exists(stored)  # the same file on another source: one copy
    if created:
        stored = storage.save(stored, ContentFile(data))
    try:
        with transaction.atomic():
            document = Document.objects.create(
                source=source, title=title, sha256=digest, size=size,
                media_type=found.media_type, kind=found.kind,
                original_name=Path(name or "").name[:255], url=url, retrieved=retrieved,
                added_by=user,
            )  # fmt: skip
            document.original.name = stored
            document.save(update_fields=["original"])
            document.process()
            where = ", ".join(filter(None, [via, url, retrieved and retrieved.isoformat()]))
            document.log(CustodyEvent.Action.ADDED, user=user, detail=where)
    except DocumentError as exc:
        if created:
            storage.delete(stored)
        raise Refused(refusal(exc.code, **exc.params)) from None
    except BaseException:
        if created:
            storage.delete(stored)
        raise
    return document


def _too_big(size: int, limit: int, setting: str, kind: str) -> str:
    label = dict(Document.Kind.choices).get(kind, kind)
    return refusal(
        "too_big", size=filesizeformat(size), limit=filesizeformat(limit), setting=setting,
        kind=label,
    )  # fmt: skip


def restore_fixture_file(sender, instance: Document, raw=False, **kwargs) -> None:
    """A document loaded from a fixture (``loaddata seed``): its bytes ship beside the
    fixture as ``fixtures/documents/<sha256>.<ext>``; they are copied into the evidence
    store when checked against the digest the fixture records, and the derived files made.
    A fixture names the digest, never a path to trust."""
    if not raw or instance.pages.exists():
        return
    storage = instance.original.storage
    if not storage.exists(instance.original.name):
        shipped = Path(settings.BASE_DIR) / "fixtures" / "documents" / Path(
            instance.original.name).name  # fmt: skip
        data = shipped.read_bytes()
        if evidence.sha256_of(io.BytesIO(data))[0] != instance.sha256:
            raise ValueError(f"{shipped} does not match the fixture's SHA-256")
        storage.save(instance.original.name, ContentFile(data))
        instance.log(CustodyEvent.Action.ADDED, detail=f"loaddata: {shipped.name}")
    instance.process(raw=True)
