"""Data extension: the public fields of reconciled records, as the JSON API shows them
(the apps' public serialisers), one column per property asked for.

A partial date is given as the text of its ISO form at its precision ("1988-08"): the
specification's ``date`` values are full timestamps, and a day that no source gives is
never made up. Places and organisations are given by name, in both scripts."""

from __future__ import annotations

from django.utils.translation import gettext

from archive.core.listing import possible_ref
from archive.reconcile.matching import KINDS, Kind, QueryError, Reconciler, record_url

MAX_IDS = 500  # records in one extension query


def _fields() -> dict[str, str]:
    return {
        "name_latin": gettext("Name in Latin script"),
        "name_fa": gettext("Name in Persian script"),
        "aliases": gettext("Other spellings and aliases"),
        "father_name": gettext("Father's name"),
        "gender": gettext("Gender"),
        "birth_year": gettext("Year of birth"),
        "fate": gettext("Fate"),
        "arrest_date": gettext("Date of arrest"),
        "death_date": gettext("Date of death"),
        "prison": gettext("Prison"),
        "death_place": gettext("Place of death"),
        "burial_place": gettext("Burial place"),
        "event": gettext("Event"),
        "commission": gettext("Commission"),
        "affiliation": gettext("Affiliation"),
        "url": gettext("Address of the record"),
    }


# What each type's public record holds (the serialisers' keys), in that order.
FIELDS = {
    "victim": (
        "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year", "fate",
        "arrest_date", "death_date", "prison", "death_place", "burial_place", "event",
        "commission", "affiliation", "url",
    ),
    "perpetrator": (
        "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year", "url",
    ),
}  # fmt: skip


def proposals(kind: Kind) -> list[dict]:
    names = _fields()
    return [{"id": key, "name": names[key]} for key in FIELDS[kind.id]]


def read_query(query) -> tuple[list[str], list[str]]:
    if not isinstance(query, dict):
        raise QueryError("extend", gettext("'extend' must be a JSON object."))
    ids = query.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise QueryError("ids", gettext("'ids' must be a list of record references."))
    if len(ids) > MAX_IDS:
        raise QueryError("ids", gettext("At most %(n)s records at once.") % {"n": MAX_IDS})
    props = query.get("properties")
    if not isinstance(props, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in props
    ):
        raise QueryError("properties", gettext("'properties' must be a list of {\"id\": …}."))
    known = _fields()
    unknown = [p["id"] for p in props if p["id"] not in known]
    if unknown:
        raise QueryError(
            "properties",
            gettext("Unknown property %(pid)s; the properties are %(known)s.")
            % {"pid": ", ".join(unknown), "known": ", ".join(known)},
        )
    return ids, list(dict.fromkeys(p["id"] for p in props))


def _cells(value) -> list[dict]:
    if value is None or value == "":
        return []
    if isinstance(value, bool):
        return [{"str": str(value).lower()}]
    if isinstance(value, int):
        return [{"int": value}]
    if isinstance(value, list):
        return [cell for item in value for cell in _cells(item)]
    if isinstance(value, dict):  # a place or an organisation: its names in both scripts
        names = [value.get("name_en"), value.get("name_fa")]
        return [{"str": " / ".join(n for n in names if n)}] if any(names) else []
    return [{"str": str(value)}]


def extend(request, query: tuple[list[str], list[str]]) -> dict:
    ids, props = query
    names = _fields()
    reconciler = Reconciler()
    records: dict[str, dict] = {}
    wanted = [ref for ref in dict.fromkeys(ids) if possible_ref(ref)]
    for kind in KINDS.values():
        missing = [ref for ref in wanted if ref not in records]
        if not missing:
            break
        rows = kind.model.objects.published().filter(ref__in=missing).values(*kind.columns)
        for record in reconciler.records(kind, rows):
            record["url"] = request.build_absolute_uri(record_url(kind, record["ref"]))
            records[record["ref"]] = record
    rows = {}
    for ref in ids:
        record = records.get(ref, {})  # unknown or unpublished: no values
        rows[ref] = {pid: _cells(record.get(pid)) for pid in props}
    return {"meta": [{"id": pid, "name": names[pid]} for pid in props], "rows": rows}
