"""The dossiers of a perpetrator and of an event, built from published records and
public citations only.

Each builder gathers what its dossier shows in a constant number of queries, hands the
citations of every record it shows to one ``Footnotes``, and writes the same facts as
canonical content (``content()``), whose SHA-256 is the dossier's digest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q
from django.http import Http404
from django.utils import translation

from archive.core.listing import checked_ref
from archive.core.models import Event
from archive.dossiers import common
from perpetrators.models import Commission, CommissionMembership, Perpetrator, Position, Statement
from sources.footnotes import Footnotes
from sources.models import Citation
from victims.models import Victim


def _victims():
    return Victim


def _public_citations(objects) -> list[Citation]:
    """The public citations of all ``objects``, in one query."""
    by_type: dict[int, list[int]] = defaultdict(list)
    for obj in objects:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        by_type[ct.pk].append(obj.pk)
    if not by_type:
        return []
    condition = Q()
    for ct, pks in by_type.items():
        condition |= Q(content_type_id=ct, object_id__in=pks)
    return list(Citation.objects.public().filter(condition).select_related("source").order_by("pk"))


def _english_path(obj) -> str:
    with translation.override("en"):
        return obj.get_absolute_url()


@dataclass
class Dossier:
    """What both dossiers share: the records shown, their citations, the victims."""

    victims: common.VictimSummary
    citations: list[Citation] = field(default_factory=list)

    def __post_init__(self):
        self._by_owner: dict[tuple[int, int], list[Citation]] = defaultdict(list)
        for citation in self.citations:
            self._by_owner[(citation.content_type_id, citation.object_id)].append(citation)

    def notes(self) -> Footnotes:
        """A fresh set of footnotes: numbers are handed out as the template asks."""
        return Footnotes(self.citations)

    def cited(self, obj) -> dict:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return common.citations_by_claim(self._by_owner.get((ct.pk, obj.pk), []))

    def sources(self) -> list:
        seen = {}
        for citation in self.citations:
            seen.setdefault(citation.source_id, citation.source)
        return [seen[k] for k in sorted(seen)]

    def sources_content(self) -> list[dict]:
        public = [common.source_content(s) for s in self.sources() if not s.is_private]
        private = sorted(
            (common.source_content(s) for s in self.sources() if s.is_private),
            key=lambda d: str(d["private_testimony_received"]),
        )
        return public + private

    def victims_content(self) -> dict:
        return {
            **self.victims.content(),
            "listed": [
                {**common.victim_content(v), "citations": self.cited(v)}
                for v in self.victims.listed
            ],
        }

    def places_content(self, places) -> list[dict]:
        unique = {p.pk: p for p in places if p is not None}
        return [common.place_content(unique[k]) for k in sorted(unique)]

    def citation_state(self):
        return max((c.created_at for c in self.citations), default=None)

    def source_state(self):
        return max((s.updated_at for s in self.sources()), default=None)

    @cached_property
    def canonical(self) -> bytes:
        return common.canonical_json(self.content())

    @cached_property
    def digest(self) -> str:
        return common.sha256_hex(self.canonical)


def _victim_queryset():
    return _victims().objects.published().select_related("prison")


def _fate_choices():
    return _victims()._meta.get_field("fate").choices


# --- A perpetrator ----------------------------------------------------------------------


@dataclass
class PerpetratorDossier(Dossier):
    perpetrator: Perpetrator = None
    positions: list[Position] = field(default_factory=list)
    memberships: list[CommissionMembership] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    kind = "perpetrator"

    @property
    def record(self):
        return self.perpetrator

    @property
    def ref(self) -> str:
        return self.perpetrator.ref

    @property
    def commissions(self) -> list[Commission]:
        unique = {m.commission_id: m.commission for m in self.memberships}
        return list(unique.values())

    def content(self) -> dict:
        p = self.perpetrator
        return {
            "format": common.FORMAT,
            "type": "perpetrator",
            "path": _english_path(p),
            "perpetrator": {
                "ref": p.ref,
                "name_latin": p.name_latin,
                "name_fa": p.name_fa,
                "aliases": p.alias_list(),
                "father_name": p.father_name,
                "gender": p.gender,
                "birth_year": p.birth_year,
                "biography": p.biography,
                "citations": self.cited(p),
            },
            "positions": [
                {
                    "title_en": pos.title_en,
                    "title_fa": pos.title_fa,
                    "organisation": (
                        {"name_en": pos.organisation.name_en, "name_fa": pos.organisation.name_fa}
                        if pos.organisation
                        else None
                    ),
                    "start_date": common.partial_iso(pos, "start_date"),
                    "end_date": common.partial_iso(pos, "end_date"),
                    "as_reported": pos.as_of,
                    "citations": self.cited(pos),
                }
                for pos in self.positions
            ],
            "memberships": [
                {
                    "commission": m.commission.slug,
                    "role": m.role,
                    "start_date": common.partial_iso(m, "start_date"),
                    "end_date": common.partial_iso(m, "end_date"),
                    "citations": self.cited(m),
                }
                for m in self.memberships
            ],
            "commissions": [_commission_content(self, c) for c in self.commissions],
            "statements": [
                {
                    "date": common.partial_iso(s, "date"),
                    "summary_en": s.summary_en,
                    "summary_fa": s.summary_fa,
                    "quote": s.quote,
                    "citations": self.cited(s),
                }
                for s in self.statements
            ],
            "victims": self.victims_content(),
            "places": self.places_content(
                [c.place for c in self.commissions]
                + [place for place, _n in self.victims.by_prison]
            ),
            "sources": self.sources_content(),
        }

    def record_state(self):
        """When anything this dossier shows last changed (history covers deletions of
        the perpetrator's positions, memberships and statements)."""
        p = self.perpetrator
        child_history = [
            model.history.filter(perpetrator_id=p.pk).aggregate(t=Max("history_date"))["t"]
            for model in (Position, CommissionMembership, Statement)
        ]
        victims = _victims().objects.filter(commission__in=self.commissions)
        return common.latest(
            p.updated_at,
            *child_history,
            *(c.updated_at for c in self.commissions),
            victims.aggregate(t=Max("updated_at"))["t"],
            self.citation_state(),
            self.source_state(),
        )


def _commission_content(dossier: Dossier, c: Commission) -> dict:
    return {
        "slug": c.slug,
        "name_en": c.name_en,
        "name_fa": c.name_fa,
        "place": c.place_id,
        "event": c.event.slug if c.event and c.event.is_published else None,
        "start_date": common.partial_iso(c, "start_date"),
        "end_date": common.partial_iso(c, "end_date"),
        "description_en": c.description_en,
        "description_fa": c.description_fa,
        "citations": dossier.cited(c),
    }


def perpetrator_dossier(ref: str) -> PerpetratorDossier:
    """The dossier of a published perpetrator, or ``Http404``."""
    perpetrator = Perpetrator.objects.published().filter(ref=checked_ref(ref)).first()
    if perpetrator is None:
        raise Http404("No published perpetrator with this reference.")
    positions = list(perpetrator.positions.select_related("organisation"))
    memberships = list(
        perpetrator.memberships.filter(commission__publication_status="published")
        .select_related("commission", "commission__place", "commission__event")
        .order_by("start_date", "commission__start_date", "pk")
    )
    statements = list(perpetrator.statements.all())
    commission_ids = {m.commission_id for m in memberships}
    victims = _victim_queryset().filter(commission_id__in=commission_ids)
    summary = common.summarise_victims(victims, fate_choices=_fate_choices())
    commissions = {m.commission_id: m.commission for m in memberships}.values()
    citations = _public_citations(
        [perpetrator, *positions, *memberships, *commissions, *statements, *summary.listed]
    )
    return PerpetratorDossier(
        victims=summary,
        citations=citations,
        perpetrator=perpetrator,
        positions=positions,
        memberships=memberships,
        statements=statements,
    )


# --- An event ----------------------------------------------------------------------------


@dataclass
class EventDossier(Dossier):
    event: Event = None
    commissions: list[Commission] = field(default_factory=list)
    memberships: list[CommissionMembership] = field(default_factory=list)

    kind = "event"

    @property
    def record(self):
        return self.event

    @property
    def ref(self) -> str:
        return self.event.slug

    def members_of(self, commission) -> list[CommissionMembership]:
        return [m for m in self.memberships if m.commission_id == commission.pk]

    def content(self) -> dict:
        e = self.event
        return {
            "format": common.FORMAT,
            "type": "event",
            "path": _english_path(e),
            "event": {
                "slug": e.slug,
                "name_en": e.name_en,
                "name_fa": e.name_fa,
                "start_date": common.partial_iso(e, "start_date"),
                "end_date": common.partial_iso(e, "end_date"),
                "description_en": e.description_en,
                "description_fa": e.description_fa,
                "citations": self.cited(e),
            },
            "commissions": [_commission_content(self, c) for c in self.commissions],
            "memberships": [
                {
                    "commission": m.commission.slug,
                    "perpetrator": m.perpetrator.ref,
                    "name_latin": m.perpetrator.name_latin,
                    "name_fa": m.perpetrator.name_fa,
                    "role": m.role,
                    "start_date": common.partial_iso(m, "start_date"),
                    "end_date": common.partial_iso(m, "end_date"),
                    "citations": self.cited(m),
                }
                for m in self.memberships
            ],
            "victims": self.victims_content(),
            "places": self.places_content(
                [c.place for c in self.commissions]
                + [place for place, _n in self.victims.by_prison]
            ),
            "sources": self.sources_content(),
        }

    def record_state(self):
        membership_history = CommissionMembership.history.filter(
            commission_id__in=[c.pk for c in self.commissions]
        ).aggregate(t=Max("history_date"))["t"]
        victims = _victims().objects.filter(event=self.event)
        return common.latest(
            self.event.updated_at,
            *(c.updated_at for c in self.commissions),
            *(m.perpetrator.updated_at for m in self.memberships),
            membership_history,
            victims.aggregate(t=Max("updated_at"))["t"],
            self.citation_state(),
            self.source_state(),
        )


def event_dossier(slug: str) -> EventDossier:
    """The dossier of a published event, or ``Http404``."""
    event = Event.objects.published().filter(slug=slug).first()
    if event is None:
        raise Http404("No published event with this slug.")
    commissions = list(
        Commission.objects.published().filter(event=event).select_related("place", "event")
    )
    memberships = list(
        CommissionMembership.objects.filter(
            commission__in=commissions, perpetrator__publication_status="published"
        )
        .select_related("perpetrator", "commission")
        .order_by("commission__start_date", "commission_id", "role", "perpetrator__name_latin")
    )
    victims = _victim_queryset().filter(event=event)
    summary = common.summarise_victims(victims, fate_choices=_fate_choices())
    citations = _public_citations([event, *commissions, *memberships, *summary.listed])
    return EventDossier(
        victims=summary,
        citations=citations,
        event=event,
        commissions=commissions,
        memberships=memberships,
    )
