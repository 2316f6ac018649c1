"""Reconciliation queries answered from the people search.

A query's name goes to the people search (``<QuerySet>.search(q)`` of the published
records: the same candidates and name scores as the lists and the API, whatever the
spelling or script). The properties a query gives (``father_name``, ``birth_year``,
``prison``, ``death_date``) are compared with the candidate's *public* record (the apps'
serialisers), and the candidate's score becomes a weighted mean of the name's score and
each property given: one the record does not state counts half (below a namesake who
agrees, above one who differs). Every part compared is returned as a matching feature, so
that a client may weigh them its own way.

``match: true`` is said only of a sure match: the name is the same spelling and script
aside (``names.is_exact_score``, the one rule behind "same spelling"), no property given
contradicts the record, and no other candidate is as good (a namesake that the
properties do not rule out makes nothing sure). A query that is a record's ``ref`` is a
sure match for that record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from archive.core import names
from archive.core.dates import EARLIEST_DATE_YEAR, LATEST_DATE_YEAR, YearError, read_year
from archive.core.importing.widgets import parse_partial_date
from archive.core.listing import possible_ref
from archive.core.search import MIN_SCORE, clean_query
from perpetrators import serializers as perpetrator_public
from perpetrators.models import Perpetrator
from victims import serializers as victim_public
from victims.models import Victim
from victims.serializers import VictimLinks

DEFAULT_LIMIT = 5  # candidates per query unless the query asks for more
MAX_LIMIT = 25
RANKED = 25  # candidates of the name search re-scored by the properties
BATCH_SIZE = 50  # queries in one batch (the manifest's batchSize; more is a 413)

# How much each part weighs in a candidate's score (the name counts most).
WEIGHTS = {"name": 1.0, "father_name": 0.5, "birth_year": 0.5, "prison": 0.25, "death_date": 0.5}
# A place named as the record names it, spelling aside ("Evin" for "Evin Prison" scores
# 0.98, a one-letter slip 0.85): agreement.
PLACE_AGREES = 0.9
# What a property the query gives and the record does not state adds: neither agreement
# nor contradiction, so a namesake who agrees ranks above one who is silent.
UNSTATED = 0.5


class QueryError(ValueError):
    """A batch that cannot be read; ``field`` names what is wrong (the parameter, or the
    query's key)."""

    def __init__(self, field_name: str, message: str, status: int = 400):
        super().__init__(message)
        self.field = field_name
        self.status = status  # 413 for a batch larger than the manifest says


@dataclass(frozen=True)
class Kind:
    id: str
    name: object  # a lazy translation
    model: type
    columns: tuple[str, ...]
    url_name: str
    properties: tuple[str, ...]  # the matching properties its records can have


KINDS = {
    "victim": Kind(
        "victim", gettext_lazy("Victim"), Victim, ("id", *victim_public.COLUMNS),
        "victims:victim-detail", ("father_name", "birth_year", "prison", "death_date"),
    ),
    "perpetrator": Kind(
        "perpetrator", gettext_lazy("Perpetrator"), Perpetrator,
        ("id", *perpetrator_public.COLUMNS), "perpetrators:perpetrator-detail",
        ("father_name", "birth_year"),
    ),
}  # fmt: skip


def properties() -> dict[str, str]:
    """The matching properties, id to name (the reader's language)."""
    return {
        "father_name": gettext("Father's name"),
        "birth_year": gettext("Year of birth"),
        "prison": gettext("Prison"),
        "death_date": gettext("Date of death"),
    }


def public_record(kind: Kind, row: Mapping, links: VictimLinks | None) -> dict:
    """A record as the public API shows it (the apps' serialisers): all that matching,
    previews and data extension read."""
    if kind.id == "victim":
        return victim_public.public_victim(row, links)
    return perpetrator_public.public_perpetrator(row)


def display_name(record: Mapping) -> str:
    return record["name_latin"] or record["name_fa"]


def description(record: Mapping) -> str:
    """What tells namesakes apart: the name in the other script, the father's name, the
    year of birth, the date of death."""
    parts = []
    if record["name_latin"] and record["name_fa"]:
        parts.append(record["name_fa"])
    if record.get("father_name"):
        parts.append(gettext("father: %(name)s") % {"name": record["father_name"]})
    if record.get("birth_year"):
        parts.append(gettext("born %(year)s") % {"year": record["birth_year"]})
    if record.get("death_date"):
        parts.append(gettext("died %(date)s") % {"date": record["death_date"]})
    return " · ".join(parts)


# --- Reading a batch ------------------------------------------------------------------


@dataclass
class Query:
    key: str
    text: str
    kinds: tuple[Kind, ...]
    limit: int
    given: dict[str, list] = field(default_factory=dict)  # property id -> values


def _values(v) -> list:
    """A property's values as strings: one value or several, a reconciled entity
    (``{"id", "name"}``) read by its name."""
    out = []
    for item in v if isinstance(v, list) else [v]:
        if isinstance(item, dict):
            item = item.get("name") or item.get("id")
        if isinstance(item, bool) or item is None:
            continue
        text = clean_query(str(item))
        if text:
            out.append(text)
    return out


def read_query(key: str, raw) -> Query:
    if not isinstance(raw, dict):
        raise QueryError(key, gettext("Each query must be a JSON object."))
    text = raw.get("query", "")
    if not isinstance(text, str):
        raise QueryError(key, gettext("'query' must be a string."))
    types = raw.get("type")
    if isinstance(types, str):
        types = [types]
    if types is None:
        kinds = tuple(KINDS.values())
    else:
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise QueryError(key, gettext("'type' must be a type id or a list of them."))
        unknown = [t for t in types if t not in KINDS]
        if unknown:
            raise QueryError(
                key,
                gettext("Unknown type %(types)s; the types are %(known)s.")
                % {"types": ", ".join(unknown), "known": ", ".join(KINDS)},
            )
        kinds = tuple(KINDS[t] for t in dict.fromkeys(types)) or tuple(KINDS.values())
    limit = raw.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise QueryError(key, gettext("'limit' must be a positive whole number."))
    given: dict[str, list] = {}
    props = raw.get("properties") or []
    if not isinstance(props, list):
        raise QueryError(key, gettext("'properties' must be a list."))
    known = properties()
    for prop in props:
        if not isinstance(prop, dict) or not isinstance(prop.get("pid"), str):
            raise QueryError(key, gettext("Each property must be an object with a 'pid'."))
        if prop["pid"] not in known:
            raise QueryError(
                key,
                gettext("Unknown property %(pid)s; the properties are %(known)s.")
                % {"pid": prop["pid"], "known": ", ".join(known)},
            )
        values = _values(prop.get("v"))
        if values:
            given.setdefault(prop["pid"], []).extend(values)
    return Query(key, clean_query(text), kinds, min(limit, MAX_LIMIT), given)


def read_batch(batch) -> list[Query]:
    if not isinstance(batch, dict):
        raise QueryError("queries", gettext("'queries' must be a JSON object of queries."))
    if len(batch) > BATCH_SIZE:
        raise QueryError(
            "queries",
            gettext("At most %(n)s queries in one batch.") % {"n": BATCH_SIZE},
            status=413,
        )
    return [read_query(str(key), raw) for key, raw in batch.items()]


# --- Comparing properties -------------------------------------------------------------


def _span(value: str) -> tuple[date, date] | None:
    """The days a date as written may stand for (first, last): ``1988``, ``1988-08``,
    ``1988-08-19`` (any digits, or a full Solar Hijri day), or a Solar Hijri year alone
    (the Gregorian years it overlaps); None when it is not a date."""
    try:
        partial = parse_partial_date(value)
    except ValueError:
        try:
            year = read_year(value, earliest=EARLIEST_DATE_YEAR, latest=LATEST_DATE_YEAR)
        except YearError:
            return None
        first, last = year.gregorian_span
        return date(first, 1, 1), date(last, 12, 31)
    return (partial.first_day, partial.last_day) if partial else None


def _overlaps(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def compare(pid: str, values: list[str], record: Mapping) -> float | bool | None:
    """How the values a query gives for ``pid`` agree with ``record`` (public form): a
    name's score (0 to 1) for the father's name and the prison, True or False for the
    year of birth and the date of death, None when the record does not say (or no value
    can be read)."""
    if pid == "father_name":
        father = record.get("father_name")
        if not father:
            return None
        keys = names.name_keys(father)
        return max(names.score(v, keys) for v in values)
    if pid == "prison":
        prison = record.get("prison")
        if not prison:
            return None
        keys = names.name_keys(prison["name_en"], prison["name_fa"])
        return max(names.score(v, keys) for v in values)
    if pid == "birth_year":
        born = record.get("birth_year")
        if not born:
            return None
        spans = []
        for v in values:
            try:
                spans.append(read_year(v).gregorian_span)
            except YearError:
                continue
        if not spans:
            return None
        return any(first <= born <= last for first, last in spans)
    if pid == "death_date":
        died = _span(record["death_date"]) if record.get("death_date") else None
        spans = [s for s in map(_span, values) if s]
        if died is None or not spans:
            return None
        return any(_overlaps(died, s) for s in spans)
    return None


def agrees(pid: str, value: float | bool) -> bool:
    """Whether a compared property leaves the match sure: a father's name the same
    spelling aside, a prison as named, the year or date within what was given."""
    if pid == "father_name":
        return names.is_exact_score(value)
    if pid == "prison":
        return value >= PLACE_AGREES
    return bool(value)


@dataclass
class Candidate:
    kind: Kind
    record: dict
    name_score: float
    features: dict[str, float | bool] = field(default_factory=dict)
    unstated: list[str] = field(default_factory=list)  # given, but the record does not say
    by_ref: bool = False  # the query was this record's ref

    @property
    def contradicted(self) -> bool:
        return any(not agrees(pid, value) for pid, value in self.features.items())

    @property
    def exact(self) -> bool:
        return self.by_ref or names.is_exact_score(self.name_score)

    @property
    def score(self) -> float:
        """The weighted mean of the name's score and each property given (0-100); one
        the record does not state counts half, below any that agrees."""
        if self.by_ref:
            return 100.0
        total, weights = WEIGHTS["name"] * self.name_score, WEIGHTS["name"]
        for pid, value in self.features.items():
            part = float(value)
            if pid in ("father_name", "prison") and part < MIN_SCORE:
                part = 0.0  # a letter or two in common is no agreement
            total += WEIGHTS[pid] * part
            weights += WEIGHTS[pid]
        for pid in self.unstated:
            total += WEIGHTS[pid] * UNSTATED
            weights += WEIGHTS[pid]
        return round(100 * total / weights, 1)

    def answer(self, match: bool) -> dict:
        features = [{"id": "name", "value": round(self.name_score, 3)}]
        for pid, value in self.features.items():
            features.append(
                {"id": pid, "value": value if isinstance(value, bool) else round(value, 3)}
            )
        return {
            "id": self.record["ref"],
            "name": display_name(self.record),
            "description": description(self.record),
            "type": [{"id": self.kind.id, "name": str(self.kind.name)}],
            "score": self.score,
            "features": features,
            "match": match,
        }


class Reconciler:
    """Answers the queries of one request. Each query is ranked by the people search on
    its own; the rows the answers show are then read together, one query per type for
    the whole batch, with what every query shares (the names of places, the published
    events)."""

    def __init__(self):
        self._links = None

    @property
    def links(self) -> VictimLinks:
        if self._links is None:
            self._links = VictimLinks.current()
        return self._links

    def records(self, kind: Kind, rows: Iterable[Mapping]) -> list[dict]:
        links = self.links if kind.id == "victim" else None
        return [public_record(kind, row, links) for row in rows]

    def _plan(self, query: Query, kind: Kind) -> tuple[list[tuple[int, float]], int, bool]:
        """The search's ranking to read for ``query`` among ``kind``, how many more of
        its matches are the same name (not read: they rank below, but make no match
        sure), and whether the query may be a ref."""
        ranking = kind.model.objects.published().search(query.text).ranking
        # Without properties the search's own ranking is the answer: read only the rows
        # shown. With them, read more, for the properties to re-rank.
        wanted = max(query.limit, RANKED) if query.given else query.limit
        unread_exact = sum(names.is_exact_score(score) for _, score in ranking[wanted:])
        # A ref has no spaces: a name of several words is not looked up as one.
        maybe_ref = possible_ref(query.text) and " " not in query.text
        return ranking[:wanted], unread_exact, maybe_ref

    def _candidates(self, query: Query, plans: dict, rows: dict) -> tuple[list[Candidate], int]:
        found: list[Candidate] = []
        unread = 0
        for kind in query.kinds:
            ranking, unread_exact, maybe_ref = plans[kind.id]
            unread += unread_exact
            by_ref = rows[kind.id]["refs"].get(query.text) if maybe_ref else None
            if by_ref is not None:
                found.append(Candidate(kind, by_ref, 1.0, by_ref=True))
            for pk, score in ranking:
                record = rows[kind.id]["pks"].get(pk)
                if record is not None and record is not by_ref:
                    found.append(Candidate(kind, record, score))
        for candidate in found:
            for pid, values in query.given.items():
                if pid in candidate.kind.properties:
                    value = compare(pid, values, candidate.record)
                    if value is not None:
                        candidate.features[pid] = value
                    else:
                        candidate.unstated.append(pid)
        return found, unread

    def _read(self, kind: Kind, pks: set[int], refs: set[str]) -> dict:
        """The published rows of ``kind`` by pk and by ref, in public form: one query."""
        out = {"pks": {}, "refs": {}}
        if not pks and not refs:
            return out
        condition = Q(pk__in=pks) | Q(ref__in=refs)
        rows = list(kind.model.objects.published().filter(condition).values(*kind.columns))
        for row, record in zip(rows, self.records(kind, rows), strict=True):
            out["pks"][row["id"]] = record
            out["refs"][row["ref"]] = record
        return out

    def answers(self, queries: list[Query]) -> list[list[dict]]:
        plans = {}
        wanted = {kind_id: (set(), set()) for kind_id in KINDS}
        for query in queries:
            if not query.text:
                continue  # properties alone find nobody: the search is by name
            plans[query.key] = {}
            for kind in query.kinds:
                plan = plans[query.key][kind.id] = self._plan(query, kind)
                wanted[kind.id][0].update(pk for pk, _ in plan[0])
                if plan[2]:
                    wanted[kind.id][1].add(query.text)
        rows = {kind_id: self._read(KINDS[kind_id], *wanted[kind_id]) for kind_id in KINDS}
        out = []
        for query in queries:
            if query.key not in plans:
                out.append([])
                continue
            found, unread_exact = self._candidates(query, plans[query.key], rows)
            found.sort(key=lambda c: (-c.score, not c.exact, c.record["ref"]))
            sure = [c for c in found if c.exact and not c.contradicted]
            by_ref = [c for c in sure if c.by_ref]
            winner = None
            if len(by_ref) == 1:
                winner = by_ref[0]
            elif len(sure) == 1 and not unread_exact:
                winner = sure[0]
            out.append([c.answer(c is winner) for c in found[: query.limit]])
        return out

    def answer(self, query: Query) -> list[dict]:
        return self.answers([query])[0]

    def batch(self, queries: list[Query]) -> dict:
        results = self.answers(queries)
        pairs = zip(queries, results, strict=True)
        return {query.key: {"result": result} for query, result in pairs}


def record_url(kind: Kind, ref: str) -> str:
    return reverse(kind.url_name, kwargs={"ref": ref})


def find(ref: str) -> tuple[Kind, dict] | None:
    """The published record ``ref`` (a victim's first) in its public form."""
    if not possible_ref(ref):
        return None
    for kind in KINDS.values():
        rows = list(kind.model.objects.published().filter(ref=ref).values(*kind.columns))
        if rows:
            return kind, Reconciler().records(kind, rows)[0]
    return None
