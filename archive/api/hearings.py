"""Hearings in the API's details and the open data: a victim's hearings (with the
officials named, each with its citations), a perpetrator's seats at hearings, and the
``hearings`` and ``hearing_officials`` downloads. Read through the public serialisers
(``victims.hearing_serializers``): hearings of published victims, published officials."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from victims.hearing_serializers import public_hearing, public_official, public_seat
from victims.hearings import Hearing, HearingOfficial, public_seats


@dataclass
class Parts:
    """The records a detail cites besides its own (``objects``), and what it adds."""

    objects: list = field(default_factory=list)
    render: Callable[[Callable], dict] = lambda cited: {}


def parts(dataset: str, record) -> Parts:
    if dataset == "victims":
        # Nothing to read when the victim was read knowing it has none (``Victim.for_page``).
        if getattr(record, "any_hearing", True):
            hearings = list(record.hearings.shown().order_by("date", "pk"))
        else:
            hearings = []
        officials = [o for h in hearings for o in h.public_officials()]

        def render(cited) -> dict:
            items = []
            for hearing in hearings:
                item = public_hearing(hearing)
                seats = hearing.public_officials()
                item["officials"] = [
                    {**public_official(seat), "citations": cited(seat)} for seat in seats
                ]
                item["citations"] = cited(hearing)
                items.append(item)
            return {"hearings": items}

        return Parts([*hearings, *officials], render)
    if dataset == "perpetrators":
        seats = list(public_seats(record))

        def render(cited) -> dict:
            return {
                "hearings": [
                    {**public_seat(seat), "citations": [*cited(seat), *cited(seat.hearing)]}
                    for seat in seats
                ]
            }

        return Parts([*seats, *(seat.hearing for seat in seats)], render)
    return Parts()


# --- Open data --------------------------------------------------------------------------

HEARING_COLUMNS = [
    "id", "victim", "date", "place_name_en", "place_name_fa", "commission", "court_en",
    "court_fa", "charges_en", "charges_fa", "charge_categories", "questions_en",
    "questions_fa", "decision_en", "decision_fa", "sentence_en", "sentence_fa",
    "sentence_overridden",
]  # fmt: skip
OFFICIAL_COLUMNS = ["hearing", "perpetrator", "role"]


def hearing_rows() -> Iterator[dict]:
    """Every hearing of a published victim (the officials in their own file)."""
    hearings = Hearing.objects.public().shown().order_by("pk")
    for hearing in hearings.iterator(chunk_size=2000):
        item = public_hearing(hearing)
        item.pop("officials")
        yield item


def official_rows() -> Iterator[dict]:
    """Every seat of a published official at a hearing of a published victim."""
    seats = (
        HearingOfficial.objects.public()
        .select_related("perpetrator")
        .order_by("hearing_id", "pk")
        .values_list("hearing_id", "perpetrator__ref", "role")
    )
    for hearing, ref, role in seats.iterator(chunk_size=2000):
        yield {"hearing": hearing, "perpetrator": ref, "role": role}
