"""The data-quality view: what researchers should look at next. Each section is a
bounded list (the first ``LIMIT``) with its total count, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.core.models import Event, PublicationStatus
from perpetrators.models import Commission, Perpetrator
from sources.models import Citation, Source
from victims.models import Victim
from victims.views import FACTS as VICTIM_FACTS

LIMIT = 50
WAITING = [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW]
PUBLISHABLE = [Victim, Perpetrator, Commission, Event, Source]
PEOPLE = [Victim, Perpetrator]

# The facts each page shows with its footnotes (the claims a citation can name).
FACTS = {
    Victim: VICTIM_FACTS,
    # templates/perpetrators/perpetrator_detail.html: the names head the page uncited.
    Perpetrator: ["aliases", "father_name", "birth_year"],
}


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
# TODO(issue 18, items 1/2): swap both functions below for
# archive.core.provenance.publication_gaps(record) once it is merged: it is the one home of
# "which facts of a record are uncited". Until then a fact is uncited when its field is
# filled and no citation naming that field (claim) points to a published source.


def _filled(model, name: str) -> Q:
    model_field = model._meta.get_field(name)
    filled = Q(**{f"{name}__isnull": False})
    if isinstance(model_field, models.CharField | models.TextField):
        filled &= ~Q(**{name: ""})
    return filled


def _uncited_filter(model) -> Q:
    """Records of ``model`` with at least one uncited fact, as one database condition.
    ``NOT IN`` an uncorrelated list of cited ids, not ``NOT EXISTS`` per record: PostgreSQL
    hashes each list once (for 5,000 drafts and 15 facts, 0.8 s a query down to 0.03 s)."""
    content_type = ContentType.objects.get_for_model(model)
    condition = Q(pk__in=[])
    for name in FACTS[model]:
        cited = Citation.objects.filter(
            content_type=content_type,
            claim=name,
            source__publication_status=PublicationStatus.PUBLISHED,
        ).values("object_id")
        condition |= _filled(model, name) & ~Q(pk__in=cited)
    return condition


def uncited_facts(records) -> dict[tuple[str, int], list[str]]:
    """For each record (of a model in ``FACTS``), its filled facts that no citation to a
    published source supports, keyed by (model label, pk): one query."""
    records = list(records)
    if not records:
        return {}
    wanted = Q(pk__in=[])
    for model in {type(r) for r in records}:
        ids = [r.pk for r in records if type(r) is model]
        wanted |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    cited = set(
        Citation.objects.filter(wanted, source__publication_status=PublicationStatus.PUBLISHED)
        .values_list("content_type__app_label", "content_type__model", "object_id", "claim")
        .distinct()
    )
    found = {}
    for record in records:
        opts = record._meta
        found[(opts.label_lower, record.pk)] = [
            name
            for name in FACTS[type(record)]
            if getattr(record, name) not in (None, "")
            and (opts.app_label, opts.model_name, record.pk, name) not in cited
        ]
    return found


def records_with_uncited_facts() -> Section:
    """Published records first (the footer promises every fact is cited), then those in
    review, then drafts."""
    total, found = 0, []
    rank = Case(
        When(publication_status=PublicationStatus.PUBLISHED, then=Value(0)),
        When(publication_status=PublicationStatus.IN_REVIEW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    for model in FACTS:
        uncited = model.objects.filter(_uncited_filter(model)).exclude(
            publication_status=PublicationStatus.WITHDRAWN
        )
        total += uncited.count()
        found += list(uncited.annotate(rank=rank).order_by("rank", "ref")[:LIMIT])
    found = sorted(found, key=lambda r: (r.rank, r.ref))[:LIMIT]
    facts = uncited_facts(found)
    items = []
    for record in found:
        names = facts[(record._meta.label_lower, record.pk)]
        labels = [str(record._meta.get_field(n).verbose_name) for n in names]
        items.append(Item(record, note=record.get_publication_status_display(), facts=labels))
    return Section(items, total)
