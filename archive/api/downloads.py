"""The open-data downloads (``/data/<dataset>.csv`` and ``.json``): every published record,
the API's public fields, streamed from the database in chunks, never all in memory.

A download is complete or visibly failed: its first rows are read before the response
starts, so a database that is down is a 503 (Retry-After), never a 200 with a header
row and nothing under it. A failure later on (the database lost mid-stream) raises out
of the stream: the server cuts the connection without the chunked encoding's last
chunk, which every HTTP/1.1 client reports as an incomplete transfer (and a JSON file
cut short does not parse), rather than ending the file as if it were whole.

CSV cells are written for spreadsheets (OWASP, "CSV Injection"): every cell is quoted,
and a text cell that begins with = + - @, a tab or a carriage return (or their
full-width forms) begins with an apostrophe, which spreadsheets show as text, not run
as a formula. Numbers are written as numbers and dates as ISO text beginning with a
digit, so a negative number or a date reads as before.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from itertools import chain

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from archive.api import hearings
from archive.api.views import _datasets
from archive.core.models import Publishable
from sources.models import Citation
from victims.models import FamilyRelation
from victims.serializers import VictimLinks, relation_row

logger = logging.getLogger(__name__)


class _Echo:
    """csv.writer writes into this and gets the line back, to stream it."""

    def write(self, value):
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_safe(value):
    """A text cell a spreadsheet will show, never run: an apostrophe before a leading
    formula character. Numbers (and None) are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _flat(item: dict) -> dict:
    flat = {}
    for name, value in item.items():
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                flat[f"{name}_{sub}"] = subvalue
        elif isinstance(value, list):
            flat[name] = " | ".join(value)
        else:
            flat[name] = "" if value is None else value
    return flat


CSV_COLUMNS = {
    "victims": [
        "ref", "name_latin", "name_fa", "url", "aliases", "father_name", "gender",
        "birth_year", "fate", "arrest_date", "death_date", "prison_name_en", "prison_name_fa",
        "death_place_name_en", "death_place_name_fa", "burial_place_name_en",
        "burial_place_name_fa", "event", "commission", "affiliation_name_en",
        "affiliation_name_fa", "birth_place_name_en", "birth_place_name_fa", "age_at_death_min",
        "age_at_death_max", "occupation", "education_en", "education_fa", "religion",
        "ethnicity", "civil_status", "children", "family_told_date", "family_told_how_en",
        "family_told_how_fa", "body_returned", "belongings_returned", "burial_known",
        "grave_en", "grave_fa",
    ],
    "perpetrators": [
        "ref", "name_latin", "name_fa", "url", "aliases", "father_name", "gender", "birth_year",
    ],
    "sources": [
        "id", "title", "kind", "publisher", "author", "date", "language", "source_url",
        "archived_url", "url",
    ],
    "places": [
        "ref", "name_latin", "name_fa", "url", "kind", "parent", "latitude", "longitude",
    ],
    "citations": [
        "record_type", "record", "claim", "value", "source", "private_testimony_received",
        "locator", "confidence", "victim", "perpetrator",
    ],
    "hearings": hearings.HEARING_COLUMNS,
    "hearing_officials": hearings.OFFICIAL_COLUMNS,
    "relations": ["id", "from_ref", "relation", "to_ref"],
}  # fmt: skip


def _public_records(model):
    """The records of ``model`` the public may see: published ones, or for a record
    without a status of its own (a seat, a post, a statement) those whose every
    publishable link is published."""
    queryset = model._default_manager.all()
    if issubclass(model, Publishable):
        return queryset.published()
    if hasattr(queryset, "public"):  # places: those a published record uses
        return queryset.public()
    for field in model._meta.concrete_fields:
        if field.is_relation and issubclass(field.related_model, Publishable):
            queryset = queryset.filter(**{f"{field.name}__publication_status": "published"})
    return queryset


def _public_key(model) -> str:
    """How a reuser finds the record: its ref, its slug, or its id."""
    names = {f.name for f in model._meta.concrete_fields}
    return next((name for name in ("ref", "slug") if name in names), "pk")


def _citation_rows(request) -> Iterator[dict]:
    """Every public citation of every published record (provenance for reusers): the
    record, the claim, the source's value where it differs from the record's, the
    source (a private testimony only as the date it was received, with no locator), the
    locator and the confidence. One query per kind of record for its keys, then the
    citations streamed in chunks."""
    kinds = (
        Citation.objects.public().order_by().values_list("content_type_id", flat=True).distinct()
    )
    for content_type_id in sorted(kinds):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        key = _public_key(model)
        keys = dict(_public_records(model).values_list("pk", key))
        citations = (
            Citation.objects.public()
            .filter(content_type_id=content_type_id)
            .select_related("source")
            .order_by("object_id", "pk")
        )
        for citation in citations.iterator(chunk_size=2000):
            if citation.object_id not in keys:
                continue
            shown = citation.public_view()
            record_type = model._meta.model_name
            yield {
                "record_type": record_type,
                "record": keys[citation.object_id],
                "claim": shown.claim,
                "value": shown.value,
                "source": None if shown.source.private else shown.source.id,
                "private_testimony_received": shown.source.received_iso,
                "locator": shown.locator,
                "confidence": shown.confidence,
                # The same key again in a column of its own per kind, so that a data
                # package can declare it a foreign key (datapackage.json).
                "victim": keys[citation.object_id] if record_type == "victim" else None,
                "perpetrator": keys[citation.object_id] if record_type == "perpetrator" else None,
            }


def _relation_rows(request) -> Iterator[dict]:
    """The family relations the public sees (both people published, the relation cited:
    ``FamilyRelationQuerySet.shown``), as entered."""
    relations = (
        FamilyRelation.objects.shown()
        .select_related("from_victim", "to_victim")
        .order_by("from_victim__ref", "to_victim__ref")
    )
    for relation in relations.iterator(chunk_size=2000):
        yield {"id": relation.pk, **relation_row(relation)}


def _rows(request, dataset: str) -> Iterator[dict]:
    if dataset == "citations":
        yield from _citation_rows(request)
        return
    if dataset == "hearings":
        yield from hearings.hearing_rows()
        return
    if dataset == "hearing_officials":
        yield from hearings.official_rows()
        return
    if dataset == "relations":
        yield from _relation_rows(request)
        return
    spec = _datasets()[dataset]
    visible = VictimLinks() if dataset == "victims" else None
    # iterator(): rows stream from the database in chunks, never all in memory.
    queryset = spec["queryset"]().order_by("pk").values(*spec["values"])
    for row in queryset.iterator(chunk_size=2000):
        yield spec["row"](row, request, visible)


def _csv_stream(rows: Iterator[dict], dataset: str):
    # Every cell quoted: a spreadsheet that splits on semicolons (as many locales do)
    # cannot start a new cell inside one.
    writer = csv.DictWriter(
        _Echo(), fieldnames=CSV_COLUMNS[dataset], extrasaction="ignore", quoting=csv.QUOTE_ALL
    )
    yield writer.writeheader()
    for item in rows:
        yield writer.writerow({k: spreadsheet_safe(v) for k, v in _flat(item).items()})


def _json_stream(rows: Iterator[dict], dataset: str):
    yield "[\n"
    first = True
    for item in rows:
        yield ("" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]\n"


def _geojson_stream(rows: Iterator[dict], dataset: str):
    """A GeoJSON FeatureCollection (RFC 7946): a point per place with coordinates
    (longitude first, as GeoJSON wants), no geometry for a place without."""
    yield '{"type": "FeatureCollection", "features": [\n'
    first = True
    for item in rows:
        properties = {k: v for k, v in item.items() if k not in ("latitude", "longitude")}
        geometry = None
        if item.get("latitude") is not None and item.get("longitude") is not None:
            geometry = {"type": "Point", "coordinates": [item["longitude"], item["latitude"]]}
        feature = {"type": "Feature", "id": item["ref"], "geometry": geometry,
                   "properties": properties}  # fmt: skip
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def _unavailable() -> HttpResponse:
    response = HttpResponse(
        gettext("The archive's data cannot be read at the moment, so no file was sent. "
                "Please try again in a few minutes."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )  # fmt: skip
    response["Retry-After"] = "120"
    return response


class _Body:
    """The file's lines; closing it (the server does, once the response is sent or the
    client gone) closes the rows' database cursor too, even if no line was read."""

    def __init__(self, lines, rows):
        self.lines, self.rows = lines, rows

    def __iter__(self):
        return iter(self.lines)

    def close(self):
        self.lines.close()
        self.rows.close()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "geojson": "application/geo+json; charset=utf-8",
}
STREAMS = {"csv": _csv_stream, "json": _json_stream, "geojson": _geojson_stream}
GEO_DATASETS = {"places"}


@require_safe
def download(request, dataset: str, fmt: str):
    if dataset not in CSV_COLUMNS or fmt not in CONTENT_TYPES:
        raise Http404
    if fmt == "geojson" and dataset not in GEO_DATASETS:
        raise Http404
    rows = _rows(request, dataset)
    try:
        # The first chunk's query (and the lookups of names) before the status is sent.
        first = next(rows, None)
    except DatabaseError:
        logger.warning("open-data download of %s: the database could not be read", dataset)
        return _unavailable()
    if request.method == "HEAD":  # the file would be sent: nothing more to read
        rows.close()
        response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    else:
        stream = STREAMS[fmt]
        lines = stream(chain([first] if first is not None else [], rows), dataset)
        response = StreamingHttpResponse(_Body(lines, rows), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{dataset}.{fmt}"'
    return response
