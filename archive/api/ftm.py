"""The open data as FollowTheMoney entities (``/data/entities.ftm.json`` and
``export_records all FILE --format ftm``): one JSON entity a line, as Aleph, OpenSanctions'
tools and ``ftm`` read them.

What the site shows, and nothing more: records are read through ``.published()`` and
the apps' public serialisers (``victims.serializers``, ``perpetrators.serializers``),
sources through ``PublicSource`` and citations through ``Citation.objects.public()`` and
``Citation.public_view()``. The mapping:

- a victim or a perpetrator: ``Person`` (names in both scripts, aliases, father's name,
  gender, year of birth; a victim's date of death and fate as ``status``);
- a published commission: ``PublicBody``; an organisation a published record names
  (a victim's affiliation, a post's employer): ``PublicBody`` for a state body,
  ``Organization`` otherwise;
- a seat on a commission: ``Membership`` (member, organization, role, period); a
  victim's affiliation: ``Membership`` too;
- a post: ``Position`` with the ``Occupancy`` of its holder (the period);
- a public source: a ``Document`` (``Article`` for a news article, ``Video``,
  ``HyperText`` for a social-media post, ``Pages`` for a report, book or official
  document: FtM's plain ``Document`` is a file and requires its file name);
- a citation of a person or commission: ``Documentation`` (entity, document, role: the
  claim it supports, the locator and the words quoted); of a seat or post: the
  interval's ``proof``.

A testimony given in confidence is a ``Pages`` entity titled "private testimony,
received <date>", one per date received, whose id names the date and not the source:
nothing of its content, author or place in the family's account, as on the site.

Ids are stable: the namespace, the kind and the record's own key (``ref``, slug or id).
Rows are read in keyset pages of ``CHUNK`` records, each page's citations, seats and
posts in one query each: memory does not grow with the number of records."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import override
from django.views.decorators.http import require_safe
from followthemoney import model

from archive.api.views import VICTIM_VALUES, _url
from archive.core.models import Organisation
from perpetrators import serializers as perpetrator_public
from perpetrators.models import Commission, CommissionMembership, Perpetrator, Position
from perpetrators.models import Role as MembershipRole
from sources.models import Citation, PublicSource, Source
from victims import serializers as victim_public
from victims.models import Victim

logger = logging.getLogger(__name__)

#: The prefix of every entity id: the ids stay the same from one export to the next.
NAMESPACE = "iran-archive"
#: Records per keyset page (and per query of their citations, seats and posts).
CHUNK = 2000

FILENAME = "entities.ftm.json"
CONTENT_TYPE = "application/x-ndjson; charset=utf-8"

# Source.Kind -> the Document schema that fits it best.
DOCUMENT_SCHEMA = {
    Source.Kind.NEWS_ARTICLE: "Article",
    Source.Kind.VIDEO: "Video",
    Source.Kind.SOCIAL_MEDIA: "HyperText",
}
DEFAULT_DOCUMENT_SCHEMA = "Pages"


def entity_id(kind: str, key) -> str:
    return f"{NAMESPACE}-{kind}-{key}"


#: The property types whose values this module always makes itself, already in FtM's own
#: form: entity ids (``entity_id``) and dates (the archive's partial dates, ISO at their
#: precision). FtM's cleaning of them (prefixdate's parser for each date) was two thirds
#: of the export's time and changes nothing; the tests still read every entity back
#: through FtM's cleaning and require the values to come out the same.
OWN_TYPES = frozenset({"entity", "date"})


def _entity(schema: str, id_: str, properties: dict, *, own: tuple[str, ...] = ()) -> dict:
    """An entity made by FtM itself: each value cleaned by its property's type (a value
    FtM cannot read, such as a language it does not know, is dropped), an unknown
    property an error; except values of the ``OWN_TYPES`` and of the properties named in
    ``own`` (the record's own address on this site), added as they are."""
    proxy = model.make_entity(schema)
    proxy.id = id_
    props = proxy.schema.properties
    for name, values in properties.items():
        if values is None or values == "" or values == []:
            continue
        prop = props.get(name)
        ours = prop is not None and (prop.type.name in OWN_TYPES or name in own)
        proxy.add(name, values, cleaned=ours)
    return proxy.to_dict()


# --- Sources -----------------------------------------------------------------------------


def private_testimony_title(received: str | None) -> str:
    """As the site cites it. The export is one file for every reader and its values are
    data (as the CSV's column names are), so in English, untranslated."""
    return f"private testimony, received {received}" if received else "private testimony"


class _Documents:
    """The Document of each source, and the one of each date a private testimony was
    received (made the first time a citation names it: a handful of dates)."""

    def __init__(self):
        self.private_dates: set[str] = set()

    def source_id(self, shown: PublicSource) -> str:
        if shown.private:
            return entity_id("private-testimony", shown.received_iso or "undated")
        return entity_id("source", shown.id)

    def public(self, base_url: str) -> Iterator[dict]:
        queryset = Source.objects.public().order_by("pk").values(*PublicSource.COLUMNS)
        for row in queryset.iterator(chunk_size=CHUNK):
            shown = PublicSource.of(row)
            schema = DOCUMENT_SCHEMA.get(shown.kind, DEFAULT_DOCUMENT_SCHEMA)
            record = shown.record()
            yield self._public_document(schema, shown, record, base_url)

    def _public_document(self, schema, shown, record, base_url) -> dict:
        return _entity(
            schema,
            self.source_id(shown),
            {
                "title": record["title"],
                "author": record["author"],
                "publisher": record["publisher"],
                "publishedAt": record["date"],
                "language": record["language"],
                "sourceUrl": [u for u in (record["url"], record["archived_url"]) if u],
            },
        )

    def private(self, shown: PublicSource) -> Iterator[dict]:
        """The private testimony's Document the first time its date is cited."""
        key = shown.received_iso or "undated"
        if key in self.private_dates:
            return
        self.private_dates.add(key)
        yield _entity(
            DEFAULT_DOCUMENT_SCHEMA,
            self.source_id(shown),
            {"title": private_testimony_title(shown.received_iso), "date": shown.received_iso},
        )


# --- Citations ---------------------------------------------------------------------------


def _citations_of(model_class, pks: Iterable[int]) -> dict[int, list]:
    """The public citations of the records ``pks`` of ``model_class``, by record, in
    one query (a keyset page's worth)."""
    content_type = ContentType.objects.get_for_model(model_class, for_concrete_model=False)
    found: dict[int, list] = defaultdict(list)
    citations = (
        Citation.objects.public()
        .filter(content_type=content_type, object_id__in=list(pks))
        .select_related("source")
        .order_by("object_id", "pk")
    )
    for citation in citations:
        found[citation.object_id].append(citation)
    return found


def _documentation(documents: _Documents, subject: str, citations) -> Iterator[dict]:
    """The Documents a record's citations name (a private testimony's on first use) and
    a Documentation for each citation: the claim as its role; the locator, the words
    quoted, the confidence and the source's own value only as the site shows them."""
    for citation in citations:
        shown = citation.public_view()
        if shown.source.private:
            yield from documents.private(shown.source)
            # No citation id either: the id says nothing the site does not.
            digest = hashlib.sha256(
                f"{subject}|{shown.source.received_iso}|{shown.claim}|{shown.value}".encode()
            ).hexdigest()[:24]
            id_ = entity_id("documentation", f"p{digest}")
        else:
            id_ = entity_id("citation", citation.pk)
        details = [shown.locator] if shown.locator else []
        if shown.value:
            details.append(f"this source gives: {shown.value}")
        if shown.confidence:
            details.append(f"confidence: {shown.confidence}")
        yield _entity(
            "Documentation",
            id_,
            {
                "entity": subject,
                "document": documents.source_id(shown.source),
                "role": shown.claim,
                "summary": shown.quote,
                "description": "; ".join(details),
            },
        )


def _proofs(documents: _Documents, citations) -> tuple[list[str], list[dict]]:
    """The Documents that prove a seat or a post (FtM's intervals are not Things, so no
    Documentation can point at them: their ``proof`` names the documents)."""
    ids, new = [], []
    for citation in citations:
        shown = citation.public_view().source
        if shown.private:
            new.extend(documents.private(shown))
        ids.append(documents.source_id(shown))
    return list(dict.fromkeys(ids)), new


# --- Records ----------------------------------------------------------------------------


def _pages(queryset, names, size: int = CHUNK) -> Iterator[list[dict]]:
    """The rows of ``queryset`` in keyset pages of ``size`` (``id`` > the last one seen):
    each page one indexed query, whatever the table's size."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values(*names)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def _person(row: dict, record: dict, url: str) -> dict:
    names = [n for n in (record["name_latin"], record["name_fa"]) if n]
    return {
        "name": names,
        "alias": record["aliases"],
        "fatherName": record["father_name"],
        "gender": record["gender"],
        "birthDate": str(record["birth_year"]) if record["birth_year"] else None,
        # An address FtM can read is absolute: without SITE_URL the export names none.
        "sourceUrl": url if url.startswith(("https://", "http://")) else None,
    }


def _organisation_entity(pk: int, kind: str, name_en: str, name_fa: str, abbreviation: str):
    schema = "PublicBody" if kind == Organisation.Kind.STATE else "Organization"
    return _entity(
        schema,
        entity_id("organisation", pk),
        {"name": [n for n in (name_en, name_fa) if n], "alias": abbreviation},
    )


def _organisations() -> Iterator[dict]:
    """The organisations a published record names: victims' affiliations and the
    employers of published perpetrators' posts (one DISTINCT query each)."""
    named = set(
        Victim.objects.published()
        .exclude(affiliation=None)
        .order_by()
        .values_list("affiliation_id", flat=True)
        .distinct()
    )
    named |= set(
        Position.objects.filter(perpetrator__in=Perpetrator.objects.published())
        .exclude(organisation=None)
        .order_by()
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    rows = Organisation.objects.filter(pk__in=named).order_by("pk")
    for row in rows.values_list("pk", "kind", "name_en", "name_fa", "abbreviation"):
        yield _organisation_entity(*row)


def _commissions(documents: _Documents, base_url: str) -> Iterator[dict]:
    commissions = list(Commission.objects.published().order_by("pk"))
    cited = _citations_of(Commission, [c.pk for c in commissions])
    for commission in commissions:
        subject = entity_id("commission", commission.slug)
        yield _entity(
            "PublicBody",
            subject,
            {
                "name": [n for n in (commission.name_en, commission.name_fa) if n],
                "description": [commission.description_en, commission.description_fa],
                "jurisdiction": "ir",
            },
        )
        yield from _documentation(documents, subject, cited.get(commission.pk, []))


def _victims(documents: _Documents, base_url: str) -> Iterator[dict]:
    links = victim_public.VictimLinks()
    for rows in _pages(Victim.objects.published(), VICTIM_VALUES):
        cited = _citations_of(Victim, (row["id"] for row in rows))
        for row in rows:
            url = base_url + _url(None, "victims:victim-detail", ref=row["ref"])
            record = victim_public.public_victim(row, links, url=url)
            subject = entity_id("victim", row["ref"])
            properties = _person(row, record, url)
            properties.update(deathDate=record["death_date"], status=record["fate"])
            yield _entity("Person", subject, properties, own=("sourceUrl",))
            if row["affiliation_id"] is not None:
                yield _entity(
                    "Membership",
                    entity_id("affiliation", row["ref"]),
                    {
                        "member": subject,
                        "organization": entity_id("organisation", row["affiliation_id"]),
                        "role": "affiliation",
                    },
                )
            yield from _documentation(documents, subject, cited.get(row["id"], []))


def _role_label(role: str) -> str:
    with override("en"):
        return str(dict(MembershipRole.choices).get(role, role))


def _perpetrators(documents: _Documents, base_url: str) -> Iterator[dict]:
    values = ("id", *perpetrator_public.COLUMNS)
    for rows in _pages(Perpetrator.objects.published(), values):
        pks = [row["id"] for row in rows]
        cited = _citations_of(Perpetrator, pks)
        seats = defaultdict(list)
        memberships = (
            CommissionMembership.objects.public()
            .filter(perpetrator_id__in=pks)
            .select_related("commission")
            .order_by("pk")
        )
        for membership in memberships:
            seats[membership.perpetrator_id].append(membership)
        posts = defaultdict(list)
        for position in (
            Position.objects.filter(perpetrator_id__in=pks)
            .select_related("organisation")
            .order_by("pk")
        ):
            posts[position.perpetrator_id].append(position)
        seat_citations = _citations_of(
            CommissionMembership, [m.pk for group in seats.values() for m in group]
        )
        post_citations = _citations_of(Position, [p.pk for group in posts.values() for p in group])
        for row in rows:
            url = base_url + _url(None, "perpetrators:perpetrator-detail", ref=row["ref"])
            record = perpetrator_public.public_perpetrator(row, url=url)
            subject = entity_id("perpetrator", row["ref"])
            yield _entity("Person", subject, _person(row, record, url), own=("sourceUrl",))
            yield from _documentation(documents, subject, cited.get(row["id"], []))
            for membership in seats.get(row["id"], []):
                seat = perpetrator_public.public_membership(membership)
                proof, new = _proofs(documents, seat_citations.get(membership.pk, []))
                yield from new
                yield _entity(
                    "Membership",
                    entity_id("membership", membership.pk),
                    {
                        "member": subject,
                        "organization": entity_id("commission", seat["commission"]),
                        "role": _role_label(seat["role"]),
                        "startDate": seat["start_date"],
                        "endDate": seat["end_date"],
                        "proof": proof,
                    },
                )
            for position in posts.get(row["id"], []):
                yield from _post(documents, subject, position, post_citations)


def _post(documents: _Documents, holder: str, position, cited) -> Iterator[dict]:
    post = perpetrator_public.public_position(position)
    post_id = entity_id("position", position.pk)
    yield _entity(
        "Position",
        post_id,
        {
            "name": [n for n in (post["title_en"], post["title_fa"]) if n] or ["(untitled)"],
            "organization": (
                entity_id("organisation", position.organisation_id)
                if position.organisation_id
                else None
            ),
        },
    )
    proof, new = _proofs(documents, cited.get(position.pk, []))
    yield from new
    yield _entity(
        "Occupancy",
        entity_id("occupancy", position.pk),
        {
            "holder": holder,
            "post": post_id,
            "startDate": post["start_date"],
            "endDate": post["end_date"],
            "description": [post["as_reported"], post["as_reported_fa"]],
            "proof": proof,
        },
    )


def entities(*, base_url: str = "") -> Iterator[dict]:
    """Every public entity, referenced entities before those that point at them (an
    organisation before its members, a document before its documentation).
    ``base_url``: where the site is served (``https://…``), for the records' addresses."""
    documents = _Documents()
    yield from _organisations()
    yield from documents.public(base_url)
    yield from _commissions(documents, base_url)
    yield from _victims(documents, base_url)
    yield from _perpetrators(documents, base_url)


def lines(items: Iterable[dict]) -> Iterator[str]:
    for item in items:
        yield json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n"


def write(file, *, base_url: str = "") -> int:
    """Writes every entity to ``file`` (a text file); returns how many."""
    count = 0
    for line in lines(entities(base_url=base_url)):
        file.write(line)
        count += 1
    return count


@require_safe
def download(request):
    """``/data/entities.ftm.json``, streamed as the other downloads are (complete or
    visibly cut, never a 200 with nothing under it)."""
    from archive.api.downloads import _Body, _unavailable

    rows = entities(base_url=request.build_absolute_uri("/").rstrip("/"))
    try:
        first = next(rows, None)
    except DatabaseError:
        logger.warning("open-data download of FtM entities: the database could not be read")
        return _unavailable()
    if request.method == "HEAD":
        rows.close()
        response = HttpResponse(content_type=CONTENT_TYPE)
    else:
        body = lines(chain([first] if first is not None else [], rows))
        response = StreamingHttpResponse(_Body(body, rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}"'
    return response
