"""What the public may see of a victim, in one place: the columns read, their public
form, and the links to other records (to published ones only). The API's rows and
details, the open-data downloads (CSV and JSON) and the dossiers are all made with
``public_victim``; the top floor adds what only it knows (the record's address, its
biography's footnotes, its citations).

Staff notes, search keys, a submission's details and anything else not in ``COLUMNS``
never reach a public record, whatever the caller reads."""

from __future__ import annotations

from collections.abc import Mapping

from archive.core.ages import age_at_death_of
from archive.core.models import Event, Organisation, Place
from archive.core.records import PERSON_COLUMNS, iso, person_record
from archive.core.versions import for_this_version
from perpetrators.models import Commission

#: The columns a victim's public record is made from (``values(*COLUMNS)``).
COLUMNS = (
    *PERSON_COLUMNS, "fate", "arrest_date", "arrest_date_precision", "death_date",
    "death_date_precision", "prison_id", "death_place_id", "burial_place_id", "event_id",
    "commission_id", "affiliation_id",
    # The person and the family (victims.person).
    "birth_place_id", "occupation", "education_en", "education_fa", "religion", "ethnicity",
    "civil_status", "children", "family_told_date", "family_told_date_precision",
    "family_told_how_en", "family_told_how_fa", "body_returned", "belongings_returned",
    "burial_known", "grave_en", "grave_fa",
)  # fmt: skip


def _both(row: Mapping, name: str) -> dict:
    return {"en": row[f"{name}_en"], "fa": row[f"{name}_fa"]}


def age_record(row: Mapping) -> dict | None:
    """The age at death the dates allow (``archive.core.ages``): ``{"min", "max"}``, the
    same number twice when exact; None when a date is missing."""
    age = age_at_death_of(row["birth_year"], row["death_date"], row["death_date_precision"])
    return {"min": age.low, "max": age.high} if age else None


def _named(names: tuple[str, str] | None) -> dict | None:
    if not names or not any(names):
        return None
    return {"name_en": names[0] or "", "name_fa": names[1] or ""}


class VictimLinks:
    """What a victim's record names beside its own columns, read once per response from
    small tables: the published events and commissions (a link to an unpublished one is
    left out of every record), and the names of places and organisations. The rows' own
    query then joins nothing, which at a million rows is cheaper to plan and to
    stream."""

    def __init__(self):
        self.events = dict(Event.objects.published().values_list("pk", "slug"))
        self.commissions = dict(Commission.objects.published().values_list("pk", "slug"))
        # Each name's public form worked out once (``_named``); a record gets its own copy.
        self.places = {
            pk: _named((en, fa))
            for pk, en, fa in Place.objects.values_list("pk", "name_en", "name_fa")
        }
        self.organisations = {
            pk: _named((en, fa))
            for pk, en, fa in Organisation.objects.values_list("pk", "name_en", "name_fa")
        }

    @classmethod
    def current(cls) -> VictimLinks:
        """The links for the data's version of this request (``archive.pagecache``),
        read once per worker and version; read afresh when no version is known."""
        return for_this_version("victim-links", cls)

    def place(self, pk):
        named = self.places.get(pk)
        return dict(named) if named else None

    def organisation(self, pk):
        named = self.organisations.get(pk)
        return dict(named) if named else None

    def event(self, pk):
        return self.events.get(pk)

    def commission(self, pk):
        return self.commissions.get(pk)


class LinksById:
    """The same links as ids, for a dossier, which names each place once (in its
    ``places``) and the victims' places by id: a link to an unpublished event or
    commission is left out here too."""

    def __init__(self, links: VictimLinks):
        self.links = links

    def place(self, pk):
        return pk

    def organisation(self, pk):
        return pk

    def event(self, pk):
        return pk if pk in self.links.events else None

    def commission(self, pk):
        return pk if pk in self.links.commissions else None


def public_victim(row: Mapping, links, *, url: str | None = None) -> dict:
    """A victim's public record from a row of ``COLUMNS``; its links as ``links`` gives
    them (``VictimLinks``: names and slugs; ``LinksById``: ids)."""
    return {
        **person_record(row, url=url),
        "fate": row["fate"],
        "arrest_date": iso(row["arrest_date"], row["arrest_date_precision"]),
        "death_date": iso(row["death_date"], row["death_date_precision"]),
        "prison": links.place(row["prison_id"]),
        "death_place": links.place(row["death_place_id"]),
        "burial_place": links.place(row["burial_place_id"]),
        "event": links.event(row["event_id"]),
        "commission": links.commission(row["commission_id"]),
        "affiliation": links.organisation(row["affiliation_id"]),
        "birth_place": links.place(row["birth_place_id"]),
        "age_at_death": age_record(row),
        "occupation": row["occupation"],
        "education": _both(row, "education"),
        "religion": row["religion"],
        "ethnicity": row["ethnicity"],
        "civil_status": row["civil_status"],
        "children": row["children"],
        "family_told_date": iso(row["family_told_date"], row["family_told_date_precision"]),
        "family_told_how": _both(row, "family_told_how"),
        "body_returned": row["body_returned"],
        "belongings_returned": row["belongings_returned"],
        "burial_known": row["burial_known"],
        "grave": _both(row, "grave"),
    }


def public_relation(relation, victim) -> dict:
    """A family relation as ``victim``'s record gives it, read "this person is the
    ``relation`` of ``of``": ``{"relation": "child", "of": "V-0001"}``."""
    return {"relation": relation.kind_for(victim), "of": relation.other(victim).ref}


def relation_row(relation) -> dict:
    """A family relation as the open data gives it: ``from_ref`` is the ``relation``
    of ``to_ref``, as it was entered."""
    return {
        "from_ref": relation.from_victim.ref,
        "relation": relation.kind,
        "to_ref": relation.to_victim.ref,
    }
