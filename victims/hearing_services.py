"""Writing a hearing in one step: the hearing, its officials (a name not yet in the archive
becomes a draft perpetrator), its charge categories and the citations of its facts, in one
transaction (the admin's "Add a hearing" form calls it; the import writes in bulk through
the same model checks)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from archive.core import provenance, reasons
from archive.core.dates import PartialDate
from archive.core.models import history_user, locked_for
from perpetrators.models import Perpetrator, Role
from sources.models import Citation
from victims.hearings import Hearing, HearingOfficial

# A citation of this claim cites every official of the hearing (who sat, in which role).
OFFICIALS_CLAIM = "officials"
PERSIAN = re.compile(r"[\u0600-\u06ff]")


def hearing_claims() -> list[tuple[str, str]]:
    """The claims a citation entered with a hearing may make: the hearing's own
    (``citable_claims``) and the officials present."""
    return [
        *provenance.citable_claims(Hearing),
        (OFFICIALS_CLAIM, _("The officials present and their roles")),
    ]


@dataclass
class OfficialEntry:
    """An official as entered: a perpetrator of the archive, or a name to create one."""

    role: str = Role.MEMBER
    perpetrator: Perpetrator | None = None
    new_name: str = ""


@dataclass
class CitationEntry:
    source: object
    claim: str = provenance.GENERAL
    locator: str = ""
    quote: str = ""


@dataclass
class HearingFacts:
    """What a hearing says, as the form or a caller gives it."""

    date: PartialDate | None = None
    place: object = None
    commission: object = None
    court_en: str = ""
    court_fa: str = ""
    charges_en: str = ""
    charges_fa: str = ""
    categories: list = field(default_factory=list)
    questions_en: str = ""
    questions_fa: str = ""
    decision_en: str = ""
    decision_fa: str = ""
    sentence_en: str = ""
    sentence_fa: str = ""
    sentence_overridden: bool = False


def draft_official(*, name: str, user, reason: str) -> Perpetrator:
    """A draft perpetrator made from a name typed in (Persian script or Latin); a
    researcher completes and cites it before a reviewer publishes it."""
    name = " ".join(name.split())
    person = Perpetrator(ref=Perpetrator.new_ref())
    setattr(person, "name_fa" if PERSIAN.search(name) else "name_latin", name)
    person.full_clean()
    person._history_user = history_user(user)
    person._change_reason = reason
    person.save()
    return person


def record_hearing(
    *,
    victim,
    user,
    facts: HearingFacts,
    officials: list[OfficialEntry] = (),
    citations: list[CitationEntry] = (),
) -> Hearing:
    """Adds a hearing to ``victim`` with its officials and citations, all or nothing.

    Raises ``PermissionDenied`` when ``user`` may not change the victim's public page, and
    ``ValidationError`` naming the field (``date``, ``officials``, ``citations``…) when an
    entry is wrong; a hearing added to a published victim must leave no fact uncited."""
    if locked_for(user, victim):
        raise PermissionDenied(
            _("%(victim)s is published: only a reviewer may add a hearing to its page.")
            % {"victim": victim.ref}
        )
    reason = reasons.HEARING_ENTERED()
    account = history_user(user)
    with transaction.atomic():
        hearing = Hearing(victim=victim)
        for name, value in vars(facts).items():
            if name == "date":
                hearing.date = value.value if value else None
                hearing.date_precision = value.precision if value else ""
            elif name != "categories":
                setattr(hearing, name, value)
        hearing.full_clean()
        hearing._history_user = account
        hearing._change_reason = reason
        hearing.save()
        hearing.charge_categories.set(facts.categories)

        seats = []
        for number, entry in enumerate(officials, 1):
            person = entry.perpetrator
            if person is None:
                if not entry.new_name.strip():
                    raise ValidationError(
                        {"officials": _("Official %(n)s: give a ref or a name.") % {"n": number}}
                    )
                person = draft_official(name=entry.new_name, user=user, reason=reason)
            seat = HearingOfficial(hearing=hearing, perpetrator=person, role=entry.role)
            if any(s.perpetrator_id == person.pk and s.role == seat.role for s in seats):
                raise ValidationError(
                    {
                        "officials": _("Official %(n)s: %(who)s is listed twice in that role.")
                        % {"n": number, "who": person}
                    }
                )
            seat.full_clean(exclude=["hearing"])
            seat._history_user = account
            seat._change_reason = reason
            seat.save()
            seats.append(seat)

        allowed = {claim for claim, _label in hearing_claims()}
        for number, entry in enumerate(citations, 1):
            if entry.claim not in allowed:
                raise ValidationError(
                    {
                        "citations": _("Citation %(n)s: '%(claim)s' is not a fact of a hearing.")
                        % {"n": number, "claim": entry.claim}
                    }
                )
            if entry.claim == OFFICIALS_CLAIM and not seats:
                raise ValidationError(
                    {
                        "citations": _(
                            "Citation %(n)s cites the officials, but no official is entered."
                        )
                        % {"n": number}
                    }
                )
            targets = seats if entry.claim == OFFICIALS_CLAIM else [hearing]
            claim = provenance.GENERAL if entry.claim == OFFICIALS_CLAIM else entry.claim
            for target in targets:
                citation = Citation(
                    content_object=target, source=entry.source, claim=claim,
                    locator=entry.locator, quote=entry.quote,
                )  # fmt: skip
                try:
                    citation.full_clean()
                except ValidationError as exc:
                    raise ValidationError(
                        {"citations": _("Citation %(n)s: %(why)s")
                         % {"n": number, "why": "; ".join(exc.messages)}}
                    ) from None  # fmt: skip
                citation._history_user = account
                citation._change_reason = reason
                citation.save()

        if victim.is_published:
            # What the public page would start to show must be cited, as for any change
            # to a published record.
            gaps = [g for g in victim.publication_gaps() if g.record in (hearing, *seats)]
            if gaps:
                raise ValidationError(
                    {
                        "citations": _(
                            "%(victim)s is published: every fact of the hearing needs a "
                            "citation to a published source. %(gaps)s."
                        )
                        % {"victim": victim.ref, "gaps": provenance.gaps_message(gaps)}
                    }
                )
    return hearing
