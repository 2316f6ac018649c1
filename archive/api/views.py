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
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.db import DatabaseError
from django.http import (
    Http404,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import reverse
from django.utils.translation import gettext, override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

from archive.core.dates import PartialDate
from archive.core.listing import checked_ref
from archive.core.models import NAME_ORDER, Event, Organisation, Place, name_order_annotations
from archive.core.names import is_exact_score
from archive.core.pagination import (
    BadCursor,
    data_version,
    filter_params,
    paginate,
    per_page_from,
    query_string,
)
from archive.core.search import clean_query
from archive.core.versions import current_version, site_version
from perpetrators.filters import PerpetratorFilter
from perpetrators.models import Commission, Perpetrator
from sources.filters import SourceFilter
from sources.footnotes import MARKER
from sources.models import Citation, Source
from victims.filters import VictimFilter
from victims.models import Victim

# --- What each record type exposes ------------------------------------------------------

VICTIM_VALUES = (
    "id", "ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year",
    "fate", "arrest_date", "arrest_date_precision", "death_date", "death_date_precision",
    "prison_id", "death_place_id", "burial_place_id", "event_id", "commission_id",
    "affiliation_id",
)  # fmt: skip
PERPETRATOR_VALUES = (
    "id", "ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year",
)  # fmt: skip
SOURCE_VALUES = (
    "id", "kind", "title", "publisher", "author", "date", "date_precision", "url",
    "archived_url", "language",
)  # fmt: skip


def _iso(value, precision) -> str | None:
    partial = PartialDate.from_parts(value, precision or "day")
    return partial.iso() if partial else None


def _aliases(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _query(request) -> str:
    return "?" + request.GET.urlencode() if request.GET else ""


_SLOT = "9876543210"  # digits, so that int converters accept it too


@lru_cache(maxsize=16)
def _path_pattern(name: str, key: str) -> str:
    with override(settings.LANGUAGE_CODE):
        return reverse(name, kwargs={key: _SLOT})


def _url(request, name: str, **kwargs) -> str:
    # One reverse() per kind of link, not per row: a page of 100 rows would spend more
    # time resolving URLs than reading the rows.
    ((key, value),) = kwargs.items()
    path = _path_pattern(name, key).replace(_SLOT, quote(str(value), safe=""))
    return request.build_absolute_uri(path) if request is not None else path


class Visible:
    """What a victim's row names beside its own columns, read once per response from
    small tables: the published events and commissions (a link to an unpublished one
    is left out of every row), and the names of places and organisations. The rows'
    own query then joins nothing, which at a million rows is cheaper to plan and to
    stream."""

    def __init__(self):
        self.events = dict(Event.objects.published().values_list("pk", "slug"))
        self.commissions = dict(Commission.objects.published().values_list("pk", "slug"))
        self.places = {
            pk: (en, fa) for pk, en, fa in Place.objects.values_list("pk", "name_en", "name_fa")
        }
        self.organisations = {
            pk: (en, fa)
            for pk, en, fa in Organisation.objects.values_list("pk", "name_en", "name_fa")
        }

    _by_version: dict[str, Visible] = {}

    @classmethod
    def current(cls) -> Visible:
        """The lookups for the data's version of this request (``archive.pagecache``),
        read once per worker and version; read afresh when no version is known."""
        version = current_version()
        if version is None:
            return cls()
        found = cls._by_version.get(version)
        if found is None:
            cls._by_version.clear()  # one version at a time: the old ones are stale
            found = cls._by_version[version] = cls()
        return found


def _named(names: tuple[str, str] | None) -> dict | None:
    if not names or not any(names):
        return None
    return {"name_en": names[0] or "", "name_fa": names[1] or ""}


def _person_row(row: dict, request, viewname: str) -> dict:
    """The columns every person (victim or perpetrator) has."""
    return {
        "ref": row["ref"],
        "name_latin": row["name_latin"],
        "name_fa": row["name_fa"],
        "url": _url(request, viewname, ref=row["ref"]),
        "aliases": _aliases(row["aliases"]),
        "father_name": row["father_name"],
        "gender": row["gender"],
        "birth_year": row["birth_year"],
    }


def victim_row(row: dict, request, visible: Visible) -> dict:
    places = visible.places
    return {
        **_person_row(row, request, "victims:victim-detail"),
        "fate": row["fate"],
        "arrest_date": _iso(row["arrest_date"], row["arrest_date_precision"]),
        "death_date": _iso(row["death_date"], row["death_date_precision"]),
        "prison": _named(places.get(row["prison_id"])),
        "death_place": _named(places.get(row["death_place_id"])),
        "burial_place": _named(places.get(row["burial_place_id"])),
        "event": visible.events.get(row["event_id"]),
        "commission": visible.commissions.get(row["commission_id"]),
        "affiliation": _named(visible.organisations.get(row["affiliation_id"])),
    }


def perpetrator_row(row: dict, request, visible=None) -> dict:
    return _person_row(row, request, "perpetrators:perpetrator-detail")


def source_row(row: dict, request, visible=None) -> dict:
    return {
        "id": row["id"],
        "name_latin": row["title"],
        "name_fa": "",
        "url": _url(request, "sources:source-detail", pk=row["id"]),
        "title": row["title"],
        "kind": row["kind"],
        "publisher": row["publisher"],
        "author": row["author"],
        "date": _iso(row["date"], row["date_precision"]),
        "language": row["language"],
        "source_url": row["url"],
        "archived_url": row["archived_url"],
    }


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
            version="" if q else data_version(spec["model"]),
            per_page=per_page,
            values=spec["values"],
        )
    except BadCursor:
        return _error(
            {"cursor": [gettext("This is not a cursor this API gave; start from the first page.")]}
        )
    visible = Visible.current() if dataset == "victims" else None
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
        json_dumps_params={"ensure_ascii": False},
    )


def _public_citations(obj) -> list[dict]:

    rows = Citation.objects.public().for_object(obj).select_related("source").order_by("pk")
    out = []
    for citation in rows:
        source = citation.source
        if source.is_private:
            out.append(
                {
                    "claim": citation.claim,
                    "source": None,
                    "private_testimony_received": source.received_date.isoformat()
                    if source.received_date
                    else None,
                }
            )
            continue
        out.append(
            {
                "claim": citation.claim,
                "source": source.pk,
                "source_title": source.title,
                "source_url": source.url,
                "locator": citation.locator,
                "quote": citation.quote,
                "confidence": citation.confidence,
            }
        )
    return out


def _strip_markers(text: str) -> str:
    """The text without its ``[src:ID]`` markers, nor the space before one (the page
    puts a footnote number there: "statement [src:9]." reads "statement.")."""

    return re.sub(rf"[ \t]*{MARKER.pattern}", "", text or "").strip()


@read_only
def api_detail(request, dataset: str, key):
    spec = _datasets()[dataset]

    lookup = {"pk": key} if dataset == "sources" else {"ref": checked_ref(key)}
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
    visible = Visible.current() if dataset == "victims" else None
    item = spec["row"](rows[0], request, visible)
    if dataset != "sources":
        obj = spec["queryset"]().get(**lookup)
        item["biography"] = _strip_markers(obj.biography)
        item["citations"] = _public_citations(obj)
    if dataset == "perpetrators":
        item.update(_perpetrator_extra(obj))
    return JsonResponse(item, json_dumps_params={"ensure_ascii": False})


def _perpetrator_extra(perpetrator) -> dict:
    memberships = perpetrator.memberships.public().select_related("commission")
    return {
        "commissions": [
            {
                "commission": m.commission.slug,
                "name_en": m.commission.name_en,
                "name_fa": m.commission.name_fa,
                "role": m.role,
                "from": _iso(m.start_date, m.start_date_precision),
                "until": _iso(m.end_date, m.end_date_precision),
                "citations": _public_citations(m),
            }
            for m in memberships
        ],
        "positions": [
            {
                "title_en": p.title_en,
                "title_fa": p.title_fa,
                "organisation": p.organisation.name_en if p.organisation else None,
                "from": _iso(p.start_date, p.start_date_precision),
                "until": _iso(p.end_date, p.end_date_precision),
                "as_reported": p.as_of,
                "citations": _public_citations(p),
            }
            for p in perpetrator.positions.select_related("organisation")
        ],
        "statements": [
            {
                "date": _iso(s.date, s.date_precision),
                "summary_en": s.summary_en,
                "summary_fa": s.summary_fa,
                "quote": s.quote,
                "citations": _public_citations(s),
            }
            for s in perpetrator.statements.all()
        ],
    }
