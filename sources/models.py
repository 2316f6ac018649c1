"""Sources and the citations that tie each claim of a record to them."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from archive.core import provenance
from archive.core.dates import DAY, PartialDate
from archive.core.models import (
    IMPORTED_HISTORY,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    WorkflowError,
    partial_date,
    public_records_of,
    workflow_permissions,
)
from archive.core.provenance import GENERAL


@dataclass(frozen=True)
class PublicSource:
    """What the public may see of a source: the one rule that every page, dossier, API
    answer and export follows (``Source.public_view()``, or ``PublicSource.of(row)`` for a
    row read with ``values(*PublicSource.COLUMNS)``).

    A published source shows everything but the staff's notes (and when a testimony
    reached us). A private testimony shows only that it is one and the date it was
    received: never its title, author, URL, publisher, notes, nor (``PublicCitation``)
    the words quoted from it or where they stand in the family's account.
    """

    private: bool
    received_date: datetime.date | None = None
    id: int | None = None
    kind: str = ""
    title: str = ""
    publisher: str = ""
    author: str = ""
    date: datetime.date | None = None
    date_precision: str = ""
    url: str = ""
    archived_url: str = ""
    language: str = ""

    #: The columns the view is made from (the API reads no other column of a source).
    COLUMNS = (
        "id", "kind", "title", "publisher", "author", "date", "date_precision", "url",
        "archived_url", "language", "is_private", "received_date",
    )  # fmt: skip

    @classmethod
    def of(cls, row) -> PublicSource:
        """The public view of a source given as a mapping of ``COLUMNS``."""
        if row["is_private"]:
            return cls(private=True, received_date=row["received_date"])
        shown = {name: row[name] for name in cls.COLUMNS[:-2]}
        return cls(private=False, **shown)

    @property
    def pk(self) -> int | None:
        return self.id

    def partial(self, field: str) -> PartialDate | None:
        """``partial("date")``, as a record's (the templates' date tags ask for it)."""
        return PartialDate.from_parts(getattr(self, field), self.date_precision or DAY)

    def get_kind_display(self) -> str:
        return str(dict(Source.Kind.choices).get(self.kind, self.kind))

    def get_absolute_url(self) -> str:
        """A private testimony has no page."""
        return "" if self.private else reverse("sources:source-detail", kwargs={"pk": self.id})

    @property
    def received_iso(self) -> str | None:
        return self.received_date.isoformat() if self.received_date else None

    def record(self) -> dict:
        """The view as data (a dossier's ``sources``, the base of the API's row)."""
        if self.private:
            return {"private_testimony_received": self.received_iso}
        date = self.partial("date")
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "publisher": self.publisher,
            "author": self.author,
            "date": date.iso() if date else None,
            "url": self.url,
            "archived_url": self.archived_url,
            "language": self.language,
        }


class SourceQuerySet(PublishableQuerySet):
    def public(self):
        """Published sources whose content may be shown (not private testimonies)."""
        return self.published().filter(is_private=False)


class Source(Publishable):
    """A document, article, video, post or testimony that supports claims.

    A private source (a family's testimony) is cited publicly only as "private testimony,
    received <date>": its title, author, URL and content never reach a public page.
    """

    class Kind(models.TextChoices):
        NGO_REPORT = "ngo_report", _("NGO report")
        UN_DOCUMENT = "un_document", _("UN document")
        NEWS_ARTICLE = "news_article", _("news article")
        VIDEO = "video", _("video")
        SOCIAL_MEDIA = "social_media", _("social-media post")
        TESTIMONY = "testimony", _("testimony")
        OFFICIAL = "official", _("official statement or document")
        BOOK = "book", _("book or memoir")
        OTHER = "other", _("other")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(
        _("publisher"), max_length=250, blank=True,
        help_text=_("Organisation, outlet or body that issued it."),
    )  # fmt: skip
    author = models.CharField(_("author"), max_length=250, blank=True)
    date, date_precision = partial_date(_("date of publication"))
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    archived_url = models.URLField(
        _("archived copy"), max_length=1000, blank=True,
        help_text=_("A copy in a web archive, in case the original disappears."),
    )  # fmt: skip
    language = models.CharField(
        _("language"), max_length=8, blank=True, help_text=_("ISO 639-1 code, e.g. en, fa.")
    )
    is_private = models.BooleanField(
        _("private"),
        default=False,
        help_text=_(
            "A testimony that must not be shown: the public sees only "
            "'private testimony, received <date>'."
        ),
    )
    received_date = models.DateField(
        _("received"), null=True, blank=True, help_text=_("When a testimony reached us.")
    )
    notes = models.TextField(_("staff notes"), blank=True, help_text=_("Never shown publicly."))
    history = HistoricalRecords()

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-date", "title"]
        permissions = workflow_permissions("source", "sources")
        indexes = [
            models.Index(fields=["publication_status", "title", "id"], name="source_pub_title"),
            models.Index(fields=["updated_at"], name="source_updated"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sources:source-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.is_private and not self.received_date:
            raise ValidationError(
                {"received_date": _("A private testimony needs the date it was received.")}
            )

    def public_view(self) -> PublicSource:
        """What the public may see of this source (``PublicSource``)."""
        return PublicSource.of({name: getattr(self, name) for name in PublicSource.COLUMNS})

    def check_publication_gate(self, status: str) -> None:
        """A published source stays published while a published record would be left
        with a fact that only it supports (the gate, the other way round)."""
        super().check_publication_gate(status)
        if not self.is_published or status == PublicationStatus.PUBLISHED:
            return
        records = self.dependent_records()
        citations_of = _read_together(records)
        blocked = [
            (record, gaps)
            for record in records
            if (gaps := self._gaps_it_would_open(record, citations_of))
        ]
        if blocked:
            raise WorkflowError(
                _(
                    "This source stays published: published records depend on it. "
                    "%(records)s. Cite another published source for these facts, or "
                    "withdraw the records first."
                )
                % {"records": _named_records(blocked)}
            )

    def _gaps_it_would_open(self, record, citations_of=None) -> list:
        """The facts of ``record`` that only this source supports: counted as unpublished,
        it is among the sources of each such gap. A fact that was uncited already is not
        this source's to answer for."""
        return [
            gap
            for gap in record.publication_gaps(unpublished={self.pk}, citations_of=citations_of)
            if any(source.pk == self.pk for source in gap.sources)
        ]

    def dependent_records(self) -> list[Publishable]:
        """The published records whose page cites this source (directly, or through a
        record shown on it: a perpetrator's position), read one query per record type."""
        found = {}
        cited = self.citations.values_list("content_type_id", "object_id")
        by_type: dict[int, set[int]] = {}
        for content_type_id, object_id in cited:
            by_type.setdefault(content_type_id, set()).add(object_id)
        for content_type_id, ids in by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None:
                continue
            # The records a cited part is shown on (a position's perpetrator), read with it.
            shown_on = [
                f.name
                for f in model._meta.concrete_fields
                if f.is_relation and issubclass(f.related_model, Publishable)
            ]
            targets = model._default_manager.filter(pk__in=ids).select_related(*shown_on)
            if issubclass(model, Publishable):
                targets = targets.filter(publication_status=PublicationStatus.PUBLISHED)
            for target in targets:
                for record in public_records_of(target):
                    if isinstance(record, Publishable) and record.is_published:
                        found[(type(record), record.pk)] = record
        return list(found.values())


NAMED_RECORDS = 20  # a refusal names this many records and counts the rest


def _named_records(blocked) -> str:
    """ "Victim “…”: Date of death: no citation; …" for the first records, then how many
    more: a source an import cited ten thousand times is refused in a readable line."""
    named = "; ".join(
        f"{provenance.record_label(record)}: {provenance.gaps_message(gaps)}"
        for record, gaps in blocked[:NAMED_RECORDS]
    )
    rest = len(blocked) - NAMED_RECORDS
    if rest > 0:
        more = ngettext("and %(n)s more record", "and %(n)s more records", rest) % {"n": rest}
        named = f"{named}; {more}"
    return named


def _read_together(records):
    """``citations_of(obj)`` for ``records`` and the parts their pages show, their
    citations read in one query (and the parts in one per kind): checking a source that
    ten thousand records cite costs a few queries, not ten thousand."""
    by_model: dict[type, list] = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record)
    for model, group in by_model.items():
        prefetch = getattr(model, "prefetch_cited_parts", None)
        if prefetch is not None:
            prefetch(group)
    objects = [*records, *(part for record in records for part in provenance.parts_of(record))]
    found: dict[tuple[int, int], list] = defaultdict(list)
    for citation in Citation.objects.for_objects(objects):
        found[(citation.content_type_id, citation.object_id)].append(citation)
    return lambda obj: found.get(record_key(obj), [])


class Confidence(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


def record_key(obj) -> tuple[int, int]:
    """(content type, id) of a record, as its citations name it (``Citation.record_key``)."""
    return ContentType.objects.get_for_model(obj, for_concrete_model=False).pk, obj.pk


class CitationQuerySet(models.QuerySet):
    def for_objects(self, objects):
        """The citations of all ``objects`` (records of any models; None and unsaved
        ones are skipped) in one query, each with its source, in the order entered:
        ``Citation.objects.public().for_objects([victim, *memberships])``."""
        by_type: dict[int, list[int]] = defaultdict(list)
        for obj in objects:
            if obj is not None and obj.pk is not None:
                content_type, pk = record_key(obj)
                by_type[content_type].append(pk)
        if not by_type:
            return self.none()
        condition = models.Q()
        for content_type, pks in by_type.items():
            condition |= models.Q(content_type_id=content_type, object_id__in=pks)
        return self.filter(condition).select_related("source").order_by("pk")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
        )

    def public(self):
        """Citations the public may see: to published sources only (a private testimony's
        show as ``Citation.public_view()`` says)."""
        return self.filter(source__publication_status="published")

    def gaps_if_deleted(self) -> list[tuple[object, list]]:
        """(record, the facts it would leave uncited) for each record shown on a published
        page that deleting these citations together would leave with a fact no published
        source supports. A fact uncited already is not theirs to answer for. One read of
        the records' citations per record."""
        doomed = set(self.values_list("pk", flat=True))
        records = {}
        for citation in self.model.objects.filter(pk__in=doomed).prefetch_related("content_object"):
            if citation.content_object is not None:
                records[record_key(citation.content_object)] = citation.content_object
        found = []
        for record in records.values():
            shown_on = public_records_of(record)
            if not shown_on or not all(r.is_published for r in shown_on):
                continue
            before = list(record.citations.select_related("source"))
            after = [c for c in before if c.pk not in doomed]
            already = {gap.fact.claim for gap in provenance.gaps(record, before)}
            opened = [g for g in provenance.gaps(record, after) if g.fact.claim not in already]
            if opened:
                found.append((record, opened))
        return found

    def on(self, model):
        """The citations of records of ``model``, by their content type alone: the records'
        ids as ``values("object_id")``. Filtering on the reverse relation instead
        (``victim__isnull=False``) joins the records' table for every citation: the
        count of the victims citing a list of a million took 8.4 s, 1.5 s without."""
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def citing(self, source):
        """The citations of ``source`` (an instance or an id) when it has a public page:
        what "the records citing this source" lists. A private testimony lists nothing,
        so that no one can gather what a family told us by its number."""
        source_id = getattr(source, "pk", source)
        if not Source.objects.public().filter(pk=source_id).exists():
            return self.none()
        # The source's id itself, once it is known to be public: given "among the public
        # sources with this id" (a subquery or a join), the planner hashed every citation
        # of a source that cites a million facts (4.0-7.3 s a count of the victims it
        # supports; 1.4 s so).
        return self.filter(source_id=source_id)


class Citation(models.Model):
    """Says that ``source`` supports one claim (a field, or ``general``) of a record."""

    # No index of its own: the (content_type, object_id) index serves every lookup by
    # record type, and each index is one more entry to write per citation (an import
    # writes one a filled cell).
    # Not checked by the database for each citation (an import writes one per filled
    # cell, each checked at commit): the record types are Django's own table, written
    # by migrations, and a type's citations are deleted with it by Django (CASCADE).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("record type"), db_index=False,
        db_constraint=False,
    )  # fmt: skip
    object_id = models.PositiveBigIntegerField(_("record id"))
    content_object = GenericForeignKey("content_type", "object_id")
    # Indexed with the record it supports (Meta.indexes), not alone: see there.
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source"),
        db_index=False,
    )  # fmt: skip
    claim = models.CharField(
        _("claim"),
        max_length=60,
        default=GENERAL,
        help_text=_("The field this source supports (e.g. death_date), or 'general'."),
    )
    locator = models.CharField(
        _("locator"), max_length=200, blank=True,
        help_text=_("Page, paragraph, footnote or timestamp, e.g. 'p. 12', 'fn. 2', '03:15'."),
    )  # fmt: skip
    quote = models.TextField(
        _("quotation"), blank=True, help_text=_("The words of the source that support the claim.")
    )
    confidence = models.CharField(
        _("confidence"), max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    value = models.TextField(
        _("this source's value"),
        blank=True,
        help_text=_(
            "What this source gives for the claim, when it differs from the record's (e.g. "
            "1988-09 where the record says August 1988). Empty: the source supports the "
            "record's value. Dates as 1988, 1988-09 or 1988-09-05; a place by its name."
        ),
    )
    # Which of the source's documents holds the passage (its locator's page, its quote):
    # empty, the source's first public document with pages (or with a time, for "03:15").
    document = models.ForeignKey(
        "sources.Document", on_delete=models.PROTECT, null=True, blank=True,
        related_name="citations", verbose_name=_("document"),
        help_text=_("Which of the source's documents the locator points into (optional)."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The history is read by record (its id), by date and by who (the change log); an
    # index on its other links would be written for every citation and read by nothing.
    history = HistoricalRecords(
        no_db_index=["content_type", "source", "document"], **IMPORTED_HISTORY
    )

    objects = CitationQuerySet.as_manager()

    # Whose public page a citation changes (archive.models.public_records_of): the record
    # it supports, not the source it cites. A source's page lists only published records
    # that cite it, so a draft's citation of a published source changes nothing public.
    SHOWN_ON = ("content_object",)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # "The published victims citing this source" (a source's page, the list's
            # ?source=) reads the ids of the records it supports from this index alone,
            # in order: a count over a list cited by 200,000 of a million people read
            # every citation of the archive (0.75 s) where it now reads that list's
            # (0.33 s). It serves the source's foreign key as the index on it did.
            models.Index(
                fields=["source", "content_type", "object_id"], name="citation_source_record"
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.claim_label()}"

    def claim_label(self) -> str:
        return self.label_of_claim(self.content_type_id, self.claim)

    @staticmethod
    def label_of_claim(content_type_id, claim: str) -> str:
        """A claim as the admin offers it ("Date of death"), in the reader's language; the
        stored word where the record's type has no such fact."""
        if content_type_id is None or not claim:
            return claim
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        labels = dict(provenance.citable_claims(model)) if model is not None else {}
        return str(labels.get(claim, claim))

    @property
    def record_key(self) -> tuple[int, int]:
        """(content type, id) of the record cited (``record_key(record)``)."""
        return self.content_type_id, self.object_id

    def public_view(self) -> PublicCitation:
        """What the public may see of this citation (``PublicCitation``)."""
        source = self.source.public_view()
        if source.private:
            return PublicCitation(claim=self.claim, source=source, value=self.value)
        return PublicCitation(
            claim=self.claim,
            source=source,
            value=self.value,
            locator=self.locator,
            quote=self.quote,
            confidence=self.confidence,
        )

    def clean(self):
        if self.document_id and self.source_id and self.document.source_id != self.source_id:
            raise ValidationError(
                {"document": _("This document belongs to another source: choose one of the "
                               "cited source's documents, or none.")}
            )  # fmt: skip
        # A claim is chosen among the facts the record's page shows, never typed: a
        # claim no page asks for ("date of death") would be a footnote nobody sees.
        model = self.content_type.model_class() if self.content_type_id else None
        if model is None:
            return
        claims = provenance.citable_claims(model)
        if self.claim in {claim for claim, _label in claims} and self.value:
            try:
                self.value = provenance.normalise_value(model, self.claim, self.value)
            except ValueError as exc:
                raise ValidationError({"value": str(exc)}) from None
        if self.claim not in {claim for claim, _label in claims}:
            choices = ", ".join(f"{claim} ({label})" for claim, label in claims)
            raise ValidationError(
                {
                    "claim": _(
                        "“%(claim)s” is not a fact that a %(model)s's page shows. Choose one "
                        "of: %(choices)s."
                    )
                    % {"claim": self.claim, "model": model._meta.verbose_name, "choices": choices}
                }
            )


@dataclass(frozen=True)
class PublicCitation:
    """What the public may see of a citation (``Citation.public_view()``): the claim and
    the source's public view; the locator, the words quoted and the confidence only when
    the source is not a private testimony (where in a family's account a sentence stands
    says as much as the sentence)."""

    claim: str
    source: PublicSource
    locator: str = ""
    quote: str = ""
    confidence: str = ""
    # A source's own version of the fact (its value where it differs from the record's):
    # what it says, never where in a private account it says it, so shown for both.
    value: str = ""

    def record(self) -> dict:
        """The view as data (a dossier's citations, the base of the API's)."""
        if self.source.private:
            return {"private_testimony_received": self.source.received_iso, "value": self.value}
        return {
            "source": self.source.id,
            "locator": self.locator,
            "quote": self.quote,
            "confidence": self.confidence,
            "value": self.value,
        }


def public_versions(record, citations) -> dict[str, list[dict]]:
    """Each other value sources give for a claim of ``record``, as data (the API's and
    the dossiers' ``versions``): ``{"death_date": [{"value": "1988-09", "sources": [7]}]}``,
    a private testimony named as ``{"private_testimony_received": "2024-05-02"}``.
    ``citations``: the record's public citations (``Citation.objects.public()``)."""
    found: dict[str, dict[str, list]] = {}
    for citation in citations:
        if citation.record_key != record_key(record) or provenance.supports(record, citation):
            continue
        shown = citation.public_view().source
        name = shown.id if not shown.private else {"private_testimony_received": shown.received_iso}
        sources = found.setdefault(citation.claim, {}).setdefault(citation.value.strip(), [])
        if name not in sources:
            sources.append(name)
    return {
        claim: [{"value": value, "sources": sources} for value, sources in values.items()]
        for claim, values in found.items()
    }


# The documents of a source (the files themselves) live in their own module.
from sources.documents import CustodyEvent, Document, DocumentPage  # noqa: E402, F401
