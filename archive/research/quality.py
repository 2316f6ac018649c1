"""The data-quality view: what researchers should look at next. Each section is a
bounded list (the first ``LIMIT``) with its total count, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.core import provenance
from archive.core.models import Event, PublicationStatus, Publishable
from perpetrators.models import Commission, Perpetrator
from sources.models import Citation, Source, record_key
from victims.models import Victim

LIMIT = 50
WAITING = [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW]
PUBLISHABLE = [Victim, Perpetrator, Commission, Event, Source]
PEOPLE = [Victim, Perpetrator]


@dataclass
class Item:
    record: models.Model
    note: str = ""
    days: int | None = None
    facts: list[str] = field(default_factory=list)

    @property
    def type_name(self) -> str:
        return str(self.record._meta.verbose_name)

    @property
    def ref(self) -> str:
        return getattr(self.record, "ref", "") or ""

    @property
    def change_url(self) -> str:
        opts = self.record._meta
        try:
            return reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.record.pk]
            )
        except NoReverseMatch:
            return ""


@dataclass
class Section:
    items: list[Item]
    total: int


def waiting_longest() -> Section:
    """Drafts and records in review, those untouched the longest first."""
    now = timezone.now()
    total, found = 0, []
    for model in PUBLISHABLE:
        waiting = model.objects.filter(publication_status__in=WAITING)
        total += waiting.count()
        found += list(waiting.order_by("updated_at", "pk")[:LIMIT])
    found.sort(key=lambda record: record.updated_at)
    return Section(
        [
            Item(r, note=r.get_publication_status_display(), days=(now - r.updated_at).days)
            for r in found[:LIMIT]
        ],
        total,
    )


def sources_without_archived_copy() -> Section:
    """Sources a reader may follow that have no copy in a web archive: published ones
    first, since their links are public."""
    missing = Source.objects.filter(archived_url="", is_private=False).exclude(
        publication_status=PublicationStatus.WITHDRAWN
    )
    first = missing.annotate(
        rank=Case(
            When(publication_status=PublicationStatus.PUBLISHED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("rank", "title", "pk")[:LIMIT]
    return Section([Item(s, note=s.url) for s in first], missing.count())


def people_without_both_scripts() -> Section:
    """Victims and perpetrators named in one script only."""
    total, found = 0, []
    for model in PEOPLE:
        one_script = model.objects.filter(Q(name_latin="") | Q(name_fa="")).exclude(
            publication_status=PublicationStatus.WITHDRAWN
        )
        total += one_script.count()
        found += list(one_script.order_by("ref")[:LIMIT])
    items = [Item(p, note=_missing_script(p)) for p in sorted(found, key=lambda p: p.ref)[:LIMIT]]
    return Section(items, total)


def _missing_script(person) -> str:
    if not person.name_fa:
        return _("no name in Persian script")
    return _("no name in Latin script")


# --- Uncited facts ------------------------------------------------------------------------
# The rule is archive.core.provenance's (the facts each page shows, ``Model.FACTS``, and
# what cites them). Counting it over every record in Python would read the whole archive,
# so the count is the same declaration turned into one database condition per model (a
# record's own facts, by claim); the records listed are then checked by the rule itself,
# which also sees texts' markers and the records a page shows with it (a position).

CITED_MODELS = [Victim, Perpetrator, Commission, Event]


def _filled(model, name: str) -> Q:
    model_field = model._meta.get_field(name)
    filled = Q(**{f"{name}__isnull": False})
    if isinstance(model_field, models.CharField | models.TextField):
        filled &= ~Q(**{name: ""})
    return filled


def _shown(model, fact: provenance.Fact) -> Q:
    """Records of ``model`` whose page shows ``fact`` (``Fact.shown_on`` as a condition)."""
    condition = Q(pk__in=[])
    for name in fact.value_fields:
        shown = _filled(model, name)
        if fact.blank:
            shown &= ~Q(**{f"{name}__in": list(fact.blank)})
        target = model._meta.get_field(name).related_model
        if target is not None and issubclass(target, Publishable):
            shown &= Q(**{f"{name}__publication_status": PublicationStatus.PUBLISHED})
        condition |= shown
    return condition


def _uncited_filter(model) -> Q:
    """Records of ``model`` with at least one of their own facts uncited, as one database
    condition. ``NOT IN`` an uncorrelated list of cited ids, not ``NOT EXISTS`` per record:
    PostgreSQL hashes each list once (for 5,000 drafts and 15 facts, 0.8 s a query down to
    0.03 s)."""
    content_type = ContentType.objects.get_for_model(model)
    condition = Q(pk__in=[])
    for fact in provenance.facts_of(model):
        if fact.text:
            continue  # markers are read by the rule itself, on the records listed
        claims = [fact.claim, provenance.GENERAL] if fact.general else [fact.claim]
        cited = Citation.objects.filter(
            content_type=content_type,
            claim__in=claims,
            source__publication_status=PublicationStatus.PUBLISHED,
        ).values("object_id")
        condition |= _shown(model, fact) & ~Q(pk__in=cited)
    return condition


def uncited_facts(records) -> dict[tuple[str, int], list[str]]:
    """For each record, the labels of the facts its page shows that no published source
    supports (``provenance.gaps``), its citations read in one query."""
    records = list(records)
    by_record = defaultdict(list)
    for citation in Citation.objects.for_objects(records):
        by_record[citation.record_key].append(citation)
    return {
        (record._meta.label_lower, record.pk): [
            str(gap.fact.label) for gap in provenance.gaps(record, by_record[record_key(record)])
        ]
        for record in records
    }


UNCITED_ORDER = [PublicationStatus.PUBLISHED, PublicationStatus.IN_REVIEW, PublicationStatus.DRAFT]


def records_with_uncited_facts() -> Section:
    """Published records first (the footer promises every fact is cited), then those in
    review, then drafts."""
    total, found = 0, []
    for model in CITED_MODELS:
        uncited = model.objects.filter(_uncited_filter(model))
        total += uncited.exclude(publication_status=PublicationStatus.WITHDRAWN).count()
        # Status by status, each in the key's order, until the page is full: ordered by a
        # rank of the status, the first fifty sorted every uncited record (1.0 s at a
        # million people).
        first: list = []
        for rank, status in enumerate(UNCITED_ORDER):
            wanted = LIMIT - len(first)
            for record in uncited.filter(publication_status=status).order_by("pk")[:wanted]:
                record.rank = rank
                first.append(record)
            if len(first) >= LIMIT:
                break
        found += first
    found = sorted(found, key=lambda r: (r.rank, str(r)))[:LIMIT]
    facts = uncited_facts(found)
    items = []
    for record in found:
        names = facts[(record._meta.label_lower, record.pk)]
        items.append(Item(record, note=record.get_publication_status_display(), facts=names))
    return Section(items, total)


# --- Facts where sources disagree -------------------------------------------------------


def facts_where_sources_disagree() -> Section:
    """Records with a citation that gives another value for a fact than the record does
    (a source's version): what a researcher weighs before choosing the record's value.
    A bounded number of queries: the count, the first owners, their records (one query a
    record type) and their citations."""
    versions = Citation.objects.exclude(value="").order_by("content_type_id", "object_id")
    owners = versions.values_list("content_type_id", "object_id").distinct()
    total = owners.count()
    by_type = defaultdict(list)
    for content_type_id, object_id in owners[: LIMIT * 4]:
        by_type[content_type_id].append(object_id)
    found = []
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        records = model._default_manager.filter(pk__in=ids)
        if issubclass(model, Publishable):
            records = records.exclude(publication_status=PublicationStatus.WITHDRAWN)
        found += list(records)
    found = sorted(found, key=str)[:LIMIT]
    claims = defaultdict(set)
    for citation in versions.for_objects(found):
        claims[citation.record_key].add(citation.claim)
    items = []
    for record in found:
        labels = dict(provenance.citable_claims(type(record)))
        names = sorted(str(labels.get(c, c)) for c in claims[record_key(record)])
        note = record.get_publication_status_display() if isinstance(record, Publishable) else ""
        items.append(Item(record, note=note, facts=names))
    return Section(items, total)
