"""What the public may see of a hearing and of an official's seat at it: the API's
victim and perpetrator details, the open-data downloads (``hearings``,
``hearing_officials``) and the dossiers are made with these. Only hearings of published
victims are ever read (``Hearing.objects.public()``); an official is named only when their
perpetrator record is published; a commission only when it is published."""

from __future__ import annotations

from archive.core.records import iso


def _place(place) -> dict | None:
    if place is None:
        return None
    return {"name_en": place.name_en, "name_fa": place.name_fa}


def public_official(seat) -> dict:
    person = seat.perpetrator
    return {
        "perpetrator": person.ref,
        "name_latin": person.name_latin,
        "name_fa": person.name_fa,
        "role": seat.role,
    }


def public_hearing(hearing) -> dict:
    """A hearing (read with ``Hearing.objects.shown()``) as the public sees it."""
    commission = hearing.commission
    if commission is not None and not commission.is_published:
        commission = None
    return {
        "id": hearing.pk,
        "victim": hearing.victim.ref,
        "date": iso(hearing.date, hearing.date_precision),
        "place": _place(hearing.place),
        "commission": commission.slug if commission else None,
        "court_en": hearing.court_en,
        "court_fa": hearing.court_fa,
        "charges_en": hearing.charges_en,
        "charges_fa": hearing.charges_fa,
        "charge_categories": [c.slug for c in hearing.charge_categories.all()],
        "questions_en": hearing.questions_en,
        "questions_fa": hearing.questions_fa,
        "decision_en": hearing.decision_en,
        "decision_fa": hearing.decision_fa,
        "sentence_en": hearing.sentence_en,
        "sentence_fa": hearing.sentence_fa,
        "sentence_overridden": hearing.sentence_overridden,
        "officials": [public_official(seat) for seat in hearing.public_officials()],
    }


def public_seat(seat) -> dict:
    """A perpetrator's seat at a hearing (of a published victim), from their side."""
    hearing = seat.hearing
    commission = hearing.commission
    if commission is not None and not commission.is_published:
        commission = None
    victim = hearing.victim
    return {
        "hearing": hearing.pk,
        "victim": victim.ref,
        "victim_name_latin": victim.name_latin,
        "victim_name_fa": victim.name_fa,
        "date": iso(hearing.date, hearing.date_precision),
        "role": seat.role,
        "commission": commission.slug if commission else None,
        "court_en": hearing.court_en,
        "court_fa": hearing.court_fa,
        "decision_en": hearing.decision_en,
        "decision_fa": hearing.decision_fa,
    }
