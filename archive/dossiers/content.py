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

from django.db.models import Max
from django.http import Http404
from django.utils import translation

from archive.core.listing import checked_ref
from archive.core.models import Event
from archive.core.records import columns, published
from archive.dossiers import common
from perpetrators import serializers as perpetrator_public
from perpetrators.models import Commission, CommissionMembership, Perpetrator, Position, Statement
from sources.documents import CustodyEvent, Document
from sources.footnotes import Footnotes
from sources.models import Citation, public_versions, record_key
from victims import serializers as victim_public
from victims.hearing_serializers import public_hearing, public_seat
from victims.hearings import Hearing, HearingOfficial, public_seats
from victims.models import Victim
from victims.serializers import LinksById, VictimLinks


def _victims():
    return Victim


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
            self._by_owner[citation.record_key].append(citation)

    def notes(self) -> Footnotes:
        """A fresh set of footnotes: numbers are handed out as the template asks."""
        return Footnotes(self.citations)

    def cited(self, obj) -> dict:
        return common.citations_by_claim(self._by_owner.get(record_key(obj), []))

    def versions(self, obj) -> dict:
        """Each other value the sources give for a fact of ``obj`` (``public_versions``)."""
        return public_versions(obj, self._by_owner.get(record_key(obj), []))

    def sources(self) -> list:
        seen = {}
        for citation in self.citations:
            seen.setdefault(citation.source_id, citation.source)
        return [seen[k] for k in sorted(seen)]

    @cached_property
    def documents(self) -> dict[int, list[Document]]:
        """The public documents (``Document.objects.public()``) of each cited source, by
        source id, in one query."""
        found: dict[int, list[Document]] = defaultdict(list)
        ids = {c.source_id for c in self.citations}
        if ids:
            for document in Document.objects.public().filter(source_id__in=ids):
                found[document.source_id].append(document)
        return found

    def documents_of(self, source) -> list[Document]:
        return [] if source.private else self.documents.get(source.id, [])

    def sources_content(self) -> list[dict]:
        """Each source as the public may see it (``Source.public_view()``): the published
        ones by id, then the private testimonies by the date they were received. A source
        with public documents lists them with their digests (a source without any is
        written as before documents existed: the digest of an unchanged dossier stays)."""
        shown = [s.public_view() for s in self.sources()]
        shown.sort(key=lambda s: (s.private, str(s.received_date) if s.private else ""))
        out = []
        for source in shown:
            record = source.record()
            if documents := self.documents_of(source):
                record["documents"] = [d.public_record() for d in documents]
            out.append(record)
        return out

    def document_state(self):
        """When a document of a cited source was last added, processed or described
        (its custody log: opening or verifying a file changes nothing shown)."""
        ids = {c.source_id for c in self.citations}
        if not ids:
            return None
        return (
            CustodyEvent.objects.filter(document__source_id__in=ids)
            .exclude(action__in=[CustodyEvent.Action.ORIGINAL_READ, CustodyEvent.Action.VERIFIED])
            .aggregate(t=Max("at"))["t"]
        )

    def victims_content(self) -> dict:
        links = LinksById(VictimLinks.current())
        return {
            **self.victims.content(),
            "listed": [
                {
                    **_victim_content(v, links),
                    "citations": self.cited(v),
                    "versions": self.versions(v),
                }
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


#: What a dossier shows of each victim it lists (of the victim's public record).
VICTIM_KEYS = (
    "ref", "name_latin", "name_fa", "father_name", "fate", "prison", "death_date", "commission",
    "event",
)  # fmt: skip


def _victim_content(victim, links: LinksById) -> dict:
    record = victim_public.public_victim(columns(victim, victim_public.COLUMNS), links)
    return {key: record[key] for key in VICTIM_KEYS}


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
    seats: list[HearingOfficial] = field(default_factory=list)

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
                **perpetrator_public.public_perpetrator(columns(p, perpetrator_public.COLUMNS)),
                "biography": p.biography,
                "citations": self.cited(p),
                "versions": self.versions(p),
            },
            "positions": [
                {**perpetrator_public.public_position(pos), "citations": self.cited(pos)}
                for pos in self.positions
            ],
            "memberships": [
                {**perpetrator_public.public_membership(m), "citations": self.cited(m)}
                for m in self.memberships
            ],
            "commissions": [_commission_content(self, c) for c in self.commissions],
            "statements": [
                {**perpetrator_public.public_statement(s), "citations": self.cited(s)}
                for s in self.statements
            ],
            "hearings": [
                {
                    **public_seat(seat),
                    "citations": self.cited(seat),
                    "hearing_citations": self.cited(seat.hearing),
                }
                for seat in self.seats
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
            for model in (Position, CommissionMembership, Statement, HearingOfficial)
        ]
        victims = _victims().objects.filter(commission__in=self.commissions)
        return common.latest(
            p.updated_at,
            *child_history,
            *(c.updated_at for c in self.commissions),
            victims.aggregate(t=Max("updated_at"))["t"],
            *(seat.hearing.updated_at for seat in self.seats),
            *(seat.hearing.victim.updated_at for seat in self.seats),
            self.citation_state(),
            self.source_state(),
            self.document_state(),
        )


def _commission_content(dossier: Dossier, c: Commission) -> dict:
    return {
        "slug": c.slug,
        "name_en": c.name_en,
        "name_fa": c.name_fa,
        "place": c.place_id,
        "event": c.event.slug if published(c.event) else None,
        "start_date": common.partial_iso(c, "start_date"),
        "end_date": common.partial_iso(c, "end_date"),
        "description_en": c.description_en,
        "description_fa": c.description_fa,
        "citations": dossier.cited(c),
        "versions": dossier.versions(c),
    }


def perpetrator_dossier(ref: str) -> PerpetratorDossier:
    """The dossier of a published perpetrator, or ``Http404``."""
    perpetrator = Perpetrator.objects.published().filter(ref=checked_ref(ref)).first()
    if perpetrator is None:
        raise Http404("No published perpetrator with this reference.")
    positions = list(perpetrator.positions.select_related("organisation"))
    memberships = list(
        perpetrator.memberships.public()
        .select_related("commission", "commission__place", "commission__event")
        .order_by("start_date", "commission__start_date", "pk")
    )
    statements = list(perpetrator.statements.all())
    commission_ids = {m.commission_id for m in memberships}
    victims = _victim_queryset().filter(commission_id__in=commission_ids)
    summary = common.summarise_victims(victims, fate_choices=_fate_choices())
    commissions = {m.commission_id: m.commission for m in memberships}.values()
    seats = list(public_seats(perpetrator))
    hearings = [seat.hearing for seat in seats]
    citations = Citation.objects.public().for_objects(
        [perpetrator, *positions, *memberships, *commissions, *statements, *summary.listed,
         *seats, *hearings]
    )  # fmt: skip
    return PerpetratorDossier(
        victims=summary,
        citations=list(citations),
        perpetrator=perpetrator,
        positions=positions,
        memberships=memberships,
        statements=statements,
        seats=seats,
    )


# --- An event ----------------------------------------------------------------------------


@dataclass
class EventDossier(Dossier):
    event: Event = None
    commissions: list[Commission] = field(default_factory=list)
    memberships: list[CommissionMembership] = field(default_factory=list)
    hearings: list[Hearing] = field(default_factory=list)

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
                "versions": self.versions(e),
            },
            "commissions": [_commission_content(self, c) for c in self.commissions],
            "memberships": [
                {
                    **perpetrator_public.public_membership(m),
                    "perpetrator": m.perpetrator.ref,
                    "name_latin": m.perpetrator.name_latin,
                    "name_fa": m.perpetrator.name_fa,
                    "citations": self.cited(m),
                }
                for m in self.memberships
            ],
            "hearings": [
                {
                    **public_hearing(h),
                    "officials": [
                        {
                            **public_seat(o),
                            "perpetrator": o.perpetrator.ref,
                            "citations": self.cited(o),
                        }
                        for o in h.public_officials()
                    ],
                    "citations": self.cited(h),
                }
                for h in self.hearings
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
            *(h.updated_at for h in self.hearings),
            *(h.victim.updated_at for h in self.hearings),
            self.citation_state(),
            self.source_state(),
            self.document_state(),
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
    hearings = list(
        Hearing.objects.public().filter(commission__in=commissions).shown().order_by("date", "pk")
    )
    officials = [o for h in hearings for o in h.public_officials()]
    shown = [event, *commissions, *memberships, *summary.listed, *hearings, *officials]
    citations = Citation.objects.public().for_objects(shown)
    return EventDossier(
        victims=summary,
        citations=list(citations),
        event=event,
        commissions=commissions,
        memberships=memberships,
        hearings=hearings,
    )
