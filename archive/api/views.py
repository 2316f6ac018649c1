"""The JSON API: published records only, public fields only (the open-data downloads,
``archive.api.downloads``, stream the same rows).

A list answers ``{"count", "next", "previous", "results": [...]}``; each result has at
least ``ref`` (``id`` for sources), ``name_latin``, ``name_fa`` and ``url``. With ``q`` the
results are ranked best first and carry ``score`` (1.0: the same spelling) and ``exact``.
Filters are the public lists' own; a filter value that names nothing, or a cursor this API
did not give, is a 400 that names the parameter.

Rows are read with ``values()`` (no model instances) so that a page and a download of a
million rows cost little; staff notes, search keys and a private source's title, author,
URL and content are never among the columns read.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from contextlib import suppress

from django.conf import settings
from django.db import DatabaseError
from django.http import (
    Http404,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

from archive.api import hearings as hearings_api
from archive.core.filters import PlaceFilter
from archive.core.listing import checked_ref
from archive.core.models import NAME_ORDER, Place, name_order_annotations
from archive.core.names import is_exact_score
from archive.core.pagination import (
    BadCursor,
    data_version,
    filter_params,
    paginate,
    per_page_from,
    query_string,
)
from archive.core.paths import record_path
from archive.core.search import clean_query
from archive.core.versions import current_version, site_version
from perpetrators import serializers as perpetrator_public
from perpetrators.filters import PerpetratorFilter
from perpetrators.models import Perpetrator
from sources.filters import SourceFilter
from sources.footnotes import MARKER, shown_citations
from sources.models import PublicSource, Source, public_versions, record_key
from victims import serializers as victim_public
from victims.filters import VictimFilter, kept_count
from victims.models import FamilyRelation, Victim
from victims.serializers import VictimLinks

# --- What each record type exposes: the apps' serialisers' columns ----------------------
# ("id" too: the pages' cursors are made of it)

VICTIM_VALUES = ("id", *victim_public.COLUMNS)
PERPETRATOR_VALUES = ("id", *perpetrator_public.COLUMNS)
SOURCE_VALUES = PublicSource.COLUMNS


def _query(request) -> str:
    return "?" + request.GET.urlencode() if request.GET else ""


def _url(request, name: str, **kwargs) -> str:
    # The API's links are the pages in the site's default language.
    ((key, value),) = kwargs.items()
    path = record_path(name, key, value, settings.LANGUAGE_CODE)
    return _origin(request) + path if request is not None else path


def _origin(request) -> str:
    """``scheme://host`` of the request, worked out once per request: what
    ``build_absolute_uri`` puts before a path (its host checks and parsing, per row of a
    page, cost a search as much as reading the rows)."""
    origin = getattr(request, "_api_origin", None)
    if origin is None:
        origin = request._api_origin = request.build_absolute_uri("/")[:-1]
    return origin


def victim_row(row: dict, request, visible: VictimLinks) -> dict:
    url = _url(request, "victims:victim-detail", ref=row["ref"])
    return victim_public.public_victim(row, visible, url=url)


def perpetrator_row(row: dict, request, visible=None) -> dict:
    url = _url(request, "perpetrators:perpetrator-detail", ref=row["ref"])
    return perpetrator_public.public_perpetrator(row, url=url)


def source_row(row: dict, request, visible=None) -> dict:
    """A published source (``Source.objects.public()``: a private testimony is cited,
    never listed) in the API's shape."""
    record = PublicSource.of(row).record()
    return {
        "id": record["id"],
        "name_latin": record["title"],
        "name_fa": "",
        "url": _url(request, "sources:source-detail", pk=record["id"]),
        "title": record["title"],
        "kind": record["kind"],
        "publisher": record["publisher"],
        "author": record["author"],
        "date": record["date"],
        "language": record["language"],
        "source_url": record["url"],
        "archived_url": record["archived_url"],
    }


PLACE_VALUES = (
    "id", "slug", "name_en", "name_fa", "kind", "parent__slug", "latitude", "longitude",
    "coordinates_cited",
)  # fmt: skip


def place_row(row: dict, request, visible=None) -> dict:
    """A public place (``Place.objects.public()``) in the API's shape: ``ref`` is its slug;
    coordinates in decimal degrees (numbers), null where unknown or where no published
    source is cited for them (``PlaceQuerySet.with_cited_coordinates``: every fact shown
    is cited)."""
    shown = row.get("coordinates_cited") and row["latitude"] is not None
    return {
        "ref": row["slug"],
        "name_latin": row["name_en"],
        "name_fa": row["name_fa"],
        "url": _url(request, "archive:place-detail", slug=row["slug"]),
        "kind": row["kind"],
        "parent": row["parent__slug"],
        "latitude": float(row["latitude"]) if shown and row["longitude"] is not None else None,
        "longitude": float(row["longitude"]) if shown and row["latitude"] is not None else None,
    }


def _site_version(model) -> str:
    # Places have no ``updated_at``: the data's version covers them (one query, or none
    # when the page cache read it for this request).
    return current_version() or site_version()


def _datasets():

    return {
        "victims": {
            "model": Victim,
            "queryset": lambda: Victim.objects.published(),
            "filterset": VictimFilter,
            "values": VICTIM_VALUES,
            "row": victim_row,
            "ordering": NAME_ORDER["en"],
            "searchable": True,
            # Counts the database keeps (no filter, or one on a counted fact).
            "kept_count": kept_count,
        },
        "perpetrators": {
            "model": Perpetrator,
            "queryset": lambda: Perpetrator.objects.published(),
            "filterset": PerpetratorFilter,
            "values": PERPETRATOR_VALUES,
            "row": perpetrator_row,
            "ordering": NAME_ORDER["en"],
            "searchable": True,
        },
        "sources": {
            "model": Source,
            # Private testimonies are cited, never listed.
            "queryset": lambda: Source.objects.public(),
            "filterset": SourceFilter,
            "values": SOURCE_VALUES,
            "row": source_row,
            "ordering": ("title", "id"),
            "searchable": False,
        },
        "places": {
            "model": Place,
            # A place only a draft names is shown nowhere (the one rule's home).
            "queryset": lambda: Place.objects.public().with_cited_coordinates(),
            "filterset": PlaceFilter,
            "values": PLACE_VALUES,
            "row": place_row,
            "ordering": ("slug", "id"),
            "searchable": False,
            "version": _site_version,
        },
    }


def _error(message: dict, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"errors": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


# --- Errors, caching and CORS of every API response (archive.middleware.ApiMiddleware) ---

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _error_messages() -> dict[int, tuple[str, str]]:
    """What a program is told for each error that names no parameter: the key of
    ``errors`` that names what was wrong, and why."""
    return {
        400: ("request", gettext("The request could not be understood.")),
        403: ("request", gettext("This is not allowed.")),
        404: ("path", gettext("Nothing is published at this address.")),
        405: ("method", gettext("This address answers GET and HEAD only.")),
        429: ("request", gettext("Too many requests; wait before trying again.")),
        500: ("server", gettext("The archive could not answer; try again later.")),
        503: ("server", gettext("The archive is unavailable for a moment; try again later.")),
    }


def error_response(status: int, reason: str = "") -> JsonResponse:
    """An error in the shape of every API error: ``{"errors": {"<what>": ["<why>"]}}``."""
    key, message = _error_messages().get(status, ("request", reason or str(status)))
    return _error({key: [message]}, status=status)


KEPT_ERROR_HEADERS = ("Allow", "Retry-After")


def as_api_error(response):
    """``response`` (an error page made for people: 405 from ``require_safe``, a 429)
    as the API's JSON, keeping what the client needs to act on it."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response
    converted = error_response(response.status_code, response.reason_phrase)
    for header in KEPT_ERROR_HEADERS:
        if header in response:
            converted[header] = response[header]
    return converted


def api_etag(request, *args, **kwargs) -> str | None:
    """The data's version (the page cache's ``site_version``: one query, or none when
    the page cache has read it for this request), the code's version and the host the
    links are built on: a reader holding this tag holds the current answer."""
    version = current_version()
    if version is None:
        try:
            version = site_version()
        except DatabaseError:
            return None  # the view answers (or fails) as it would without a tag
    parts = (version, settings.ARCHIVE_VERSION, request.scheme, request.get_host())
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


conditional = condition(etag_func=api_etag)


def read_only(view):
    """GET and HEAD only, with the ETag of the data's version. Exempt from the CSRF
    check, which guards writes: this view makes none, and a POST is told 405 (with
    ``Allow``), not a CSRF failure."""
    return csrf_exempt(require_safe(conditional(view)))


# --- List and detail endpoints -----------------------------------------------------------


@read_only
def api_index(request):
    return JsonResponse(
        {
            "victims": request.build_absolute_uri(reverse("api:victim-list")),
            "perpetrators": request.build_absolute_uri(reverse("api:perpetrator-list")),
            "sources": request.build_absolute_uri(reverse("api:source-list")),
            "schema": request.build_absolute_uri(reverse("api:schema")),
            "documentation": request.build_absolute_uri(reverse("archive:api-docs")),
            "places": request.build_absolute_uri(reverse("api:place-list")),
        }
    )


@read_only
def api_list(request, dataset: str):
    spec = _datasets()[dataset]
    queryset = spec["queryset"]()
    params = filter_params(request.GET, spec["filterset"])
    if params is not None:
        # Without filter parameters no filterset: building one copies every filter
        # (a millisecond of a search's few).
        filterset = spec["filterset"](params, queryset=queryset, request=request)
        if not filterset.is_valid():
            return _error({name: list(errors) for name, errors in filterset.errors.items()})
        queryset = filterset.qs
    q = clean_query(request.GET.get("q")) if spec["searchable"] else ""
    known = spec.get("kept_count")
    count = None
    if known is not None and not q:
        count = known(filterset.form.cleaned_data if params is not None else {})
    per_page = per_page_from(
        request.GET, default=settings.PAGE_SIZE, maximum=settings.API_MAX_PAGE_SIZE
    )
    if not q and spec["ordering"] == NAME_ORDER["en"]:
        queryset = queryset.annotate(**name_order_annotations())  # a search is ranked
    try:
        page = paginate(
            queryset,
            request.GET,
            q=q,
            ordering=spec["ordering"],
            tag=f"api-{dataset}",
            # Only browsing counts rows (cached under the version); a search does not.
            version="" if q else spec.get("version", data_version)(spec["model"]),
            per_page=per_page,
            values=spec["values"],
            count=count,
        )
    except BadCursor:
        return _error(
            {"cursor": [gettext("This is not a cursor this API gave; start from the first page.")]}
        )
    visible = VictimLinks.current() if dataset == "victims" else None
    results = []
    for row in page.object_list:
        item = spec["row"](row, request, visible)
        if q:
            score = float(row.get("search_score") or 0.0)
            item["score"] = round(score, 3)
            item["exact"] = is_exact_score(score)
        results.append(item)

    def link(params):
        if params is None:
            return None
        return request.build_absolute_uri(request.path + query_string(request.GET, **params))

    return JsonResponse(
        {
            "count": page.count,
            "next": link(page.next_params),
            "previous": link(page.previous_params),
            "results": results,
        },
        # Rows are plain dicts and lists, built here: no cycle for the encoder to look for
        # (its bookkeeping was a tenth of a page's encoding).
        json_dumps_params={"ensure_ascii": False, "check_circular": False},
    )


def _citation_item(shown) -> dict:
    """A citation's public view (``Citation.public_view()``) in the API's shape."""
    if shown.source.private:
        return {"claim": shown.claim, "source": None, **shown.record()}
    return {
        "claim": shown.claim,
        "source": shown.source.id,
        "source_title": shown.source.title,
        "source_url": shown.source.url,
        "locator": shown.locator,
        "quote": shown.quote,
        "confidence": shown.confidence,
        "value": shown.value,
    }


def _public_citations(objects):
    """``cited(obj)``: the public citations of each of ``objects`` in the API's shape,
    all read in one query; ``cited.versions(obj)``: each other value its sources give."""
    by_record: dict[tuple[int, int], list[dict]] = defaultdict(list)
    rows: dict[tuple[int, int], list] = defaultdict(list)
    for citation in shown_citations(objects):
        by_record[citation.record_key].append(_citation_item(citation.public_view()))
        rows[citation.record_key].append(citation)

    def cited(obj):
        return by_record.get(record_key(obj), [])

    cited.versions = lambda obj: public_versions(obj, rows.get(record_key(obj), []))
    return cited


def _strip_markers(text: str) -> str:
    """The text without its ``[src:ID]`` markers, nor the space before one (the page
    puts a footnote number there: "statement [src:9]." reads "statement.")."""

    return re.sub(rf"[ \t]*{MARKER.pattern}", "", text or "").strip()


@read_only
def api_detail(request, dataset: str, key):
    spec = _datasets()[dataset]

    lookup = {"pk": key} if dataset == "sources" else {"ref": checked_ref(key)}
    obj = None
    if dataset == "victims":
        # Read as the record's page reads it (``Victim.for_page``: one query compiled
        # once, whether it has hearings or relations), its row taken from it.
        with suppress(Victim.DoesNotExist):
            obj = Victim.for_page(lookup["ref"], named=False)
        rows = [{column: getattr(obj, column) for column in spec["values"]}] if obj else []
    else:
        rows = list(spec["queryset"]().filter(**lookup).values(*spec["values"]))
    if not rows:
        # A record merged into another keeps its address: people have cited it.
        merged = getattr(spec["queryset"]().model, "redirect_for_ref", None)
        target = merged(lookup["ref"]) if merged and "ref" in lookup else None
        if target is None:
            raise Http404
        return HttpResponsePermanentRedirect(
            reverse(f"api:{dataset[:-1]}-detail", kwargs={"key": target.ref}) + _query(request)
        )
    visible = VictimLinks.current() if dataset == "victims" else None
    item = spec["row"](rows[0], request, visible)
    if dataset == "sources":
        return JsonResponse(item, json_dumps_params={"ensure_ascii": False})
    if obj is None:
        obj = spec["queryset"]().get(**lookup)
    parts = _perpetrator_parts(obj) if dataset == "perpetrators" else {}
    if dataset == "victims":
        parts = {"relations": list(shown_relations(obj))}
    heard = hearings_api.parts(dataset, obj)
    cited = _public_citations(
        [obj, *(part for group in parts.values() for part in group), *heard.objects]
    )
    item["biography"] = _strip_markers(obj.biography)
    item["citations"] = cited(obj)
    item["versions"] = cited.versions(obj)
    if dataset == "perpetrators":
        item.update(_perpetrator_extra(parts, cited))
    if dataset == "victims":
        item["relations"] = [
            {**victim_public.public_relation(r, obj), "citations": cited(r)}
            for r in parts["relations"]
        ]
    item.update(heard.render(cited))
    return JsonResponse(item, json_dumps_params={"ensure_ascii": False})


def shown_relations(victim):
    """The family relations the public sees on ``victim``'s record (both people
    published, the relation cited); none when it was read knowing it has none
    (``Victim.for_page``'s ``any_relation``)."""
    if not getattr(victim, "any_relation", True):
        return []
    return FamilyRelation.objects.of(victim).shown().select_related("from_victim", "to_victim")


def _perpetrator_parts(perpetrator) -> dict[str, list]:
    return {
        "memberships": list(perpetrator.memberships.public().select_related("commission")),
        "positions": list(perpetrator.positions.select_related("organisation")),
        "statements": list(perpetrator.statements.all()),
    }


def _period(record: dict) -> dict:
    """The API names a period's ends ``from`` and ``until``."""
    return {"from": record["start_date"], "until": record["end_date"]}


def _perpetrator_extra(parts: dict[str, list], cited) -> dict:
    commissions = []
    for m in parts["memberships"]:
        record = perpetrator_public.public_membership(m)
        commissions.append(
            {
                "commission": record["commission"],
                "name_en": m.commission.name_en,
                "name_fa": m.commission.name_fa,
                "role": record["role"],
                **_period(record),
                "citations": cited(m),
            }
        )
    positions = []
    for p in parts["positions"]:
        record = perpetrator_public.public_position(p)
        organisation = record["organisation"]
        positions.append(
            {
                "title_en": record["title_en"],
                "title_fa": record["title_fa"],
                "organisation": organisation["name_en"] if organisation else None,
                **_period(record),
                "as_reported": record["as_reported"],
                "citations": cited(p),
            }
        )
    statements = [
        {**perpetrator_public.public_statement(s), "citations": cited(s)}
        for s in parts["statements"]
    ]
    return {"commissions": commissions, "positions": positions, "statements": statements}
