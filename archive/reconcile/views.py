"""The reconciliation service's endpoints (Reconciliation Service API 0.2).

``/reconcile/`` answers a GET without parameters with the manifest, and a batch of
queries (``queries=``) or a data extension query (``extend=``) sent by POST (form
encoded, as OpenRefine sends them) or by GET. Beside it: ``preview/?id=``,
``view/?id=`` (to the record's page), ``suggest/entity|type|property/?prefix=``,
``properties/?type=`` (data extension's property proposals).

Every answer may be read by any site's script (CORS ``*``, as the specification
requires; no cookie is ever needed), and a GET answers JSONP when given ``callback``
(OpenRefine asks for the manifest that way). Not under ``/fa/``: a program is set up
with one address, and the answers carry names in both scripts whatever the language.
No rate limit: the JSON API, which answers the same searches, has none either.
"""

from __future__ import annotations

import json
import re

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from archive.core.search import clean_query
from archive.reconcile import extension, matching
from archive.reconcile.matching import KINDS, QueryError

# JSONP callback names as clients make them (``jQuery3410_1234``, ``cb.fn``): nothing
# that could close the call or start another statement.
CALLBACK = re.compile(r"[A-Za-z_$][A-Za-z0-9_$.]{0,99}")
SUGGESTIONS = 10


def _json(request, data, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as JSONP for a GET naming a ``callback``; readable by any
    site's script (CORS)."""
    callback = request.GET.get("callback") if request.method in ("GET", "HEAD") else None
    if callback is not None:
        if not CALLBACK.fullmatch(callback):
            return _error(None, "callback", gettext("Not a valid JSONP callback name."))
        body = json.dumps(data, ensure_ascii=False)
        # The leading comment keeps the answer from being read as anything but a call.
        response = HttpResponse(
            f"/**/{callback}({body});",
            content_type="text/javascript; charset=utf-8",
            status=status,
        )
    else:
        response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(request, field: str, message: str, status: int = 400) -> HttpResponse:
    response = JsonResponse(
        {"errors": {field: [message]}}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _base(request) -> str:
    """The service's address, without the final slash (suggest metadata joins paths)."""
    return request.build_absolute_uri("/reconcile/").rstrip("/")


def manifest(request) -> dict:
    base = _base(request)
    return {
        "versions": ["0.2"],
        "name": gettext("1988 Massacre Archive"),
        "identifierSpace": f"{base}/view/?id=",
        "schemaSpace": "https://schema.org/Person",
        "serviceVersion": str(settings.ARCHIVE_VERSION),
        "documentation": request.build_absolute_uri("/data/"),
        "view": {"url": f"{base}/view/?id={{{{id}}}}"},
        "preview": {"url": f"{base}/preview/?id={{{{id}}}}", "width": 420, "height": 220},
        "defaultTypes": [{"id": kind.id, "name": str(kind.name)} for kind in KINDS.values()],
        "suggest": {
            "entity": {"service_url": base, "service_path": "/suggest/entity/"},
            "type": {"service_url": base, "service_path": "/suggest/type/"},
            "property": {"service_url": base, "service_path": "/suggest/property/"},
        },
        "extend": {
            "propose_properties": {"service_url": base, "service_path": "/properties/"},
            "property_settings": [],
        },
        "batchSize": matching.BATCH_SIZE,
    }


def _read_json(request, name: str):
    text = request.POST.get(name) if request.method == "POST" else request.GET.get(name)
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise QueryError(name, gettext("'%(name)s' is not JSON.") % {"name": name}) from None


# OpenRefine posts its batches from the reader's own machine with no CSRF token (it has
# no session here, and neither do we): CSRF protects a signed-in user's writes, and this
# view writes nothing and reads no cookie, so the check is waived for it alone. It only
# answers searches of published records, like the JSON API.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def service(request):
    data = request.POST if request.method == "POST" else request.GET
    try:
        if "queries" in data:
            batch = matching.read_batch(_read_json(request, "queries"))
            return _json(request, matching.Reconciler().batch(batch))
        if "extend" in data:
            query = extension.read_query(_read_json(request, "extend"))
            return _json(request, extension.extend(request, query))
    except QueryError as error:
        return _error(request, error.field, str(error), status=error.status)
    return _json(request, manifest(request))


@require_safe
def view(request):
    found = matching.find(request.GET.get("id", ""))
    if found is None:
        raise Http404
    kind, record = found
    return HttpResponseRedirect(matching.record_url(kind, record["ref"]))


# OpenRefine shows the preview in an <iframe> of its own page (on the reader's machine):
# this page alone may be framed. It loads nothing from any other site.
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@require_safe
def preview(request):
    found = matching.find(request.GET.get("id", ""))
    if found is None:
        raise Http404
    kind, record = found
    response = render(
        request,
        "reconcile/preview.html",
        {
            "kind": kind,
            "record": record,
            "url": request.build_absolute_uri(matching.record_url(kind, record["ref"])),
        },
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def suggest_entity(request):
    prefix = clean_query(request.GET.get("prefix"))
    results = []
    if prefix:
        query = matching.Query("suggest", prefix, tuple(KINDS.values()), SUGGESTIONS)
        for candidate in matching.Reconciler().answer(query):
            results.append(
                {
                    "id": candidate["id"],
                    "name": candidate["name"],
                    "description": candidate["description"],
                    "notable": candidate["type"],
                }
            )
    return _json(request, {"result": results})


def _by_prefix(items: dict[str, str], prefix: str) -> list[dict]:
    prefix = prefix.casefold()
    return [
        {"id": key, "name": name}
        for key, name in items.items()
        if not prefix or key.casefold().startswith(prefix) or prefix in name.casefold()
    ]


@require_safe
def suggest_type(request):
    types = {kind.id: str(kind.name) for kind in KINDS.values()}
    return _json(request, {"result": _by_prefix(types, request.GET.get("prefix", ""))})


@require_safe
def suggest_property(request):
    props = matching.properties()
    return _json(request, {"result": _by_prefix(props, request.GET.get("prefix", ""))})


@require_safe
def propose_properties(request):
    type_id = request.GET.get("type", "")
    if type_id not in KINDS:
        return _error(
            request,
            "type",
            gettext("Unknown type; the types are %(known)s.") % {"known": ", ".join(KINDS)},
        )
    limit = request.GET.get("limit")
    props = extension.proposals(KINDS[type_id])
    answer = {"type": type_id, "properties": props}
    if limit:
        if not limit.isdigit() or int(limit) < 1:
            return _error(request, "limit", gettext("'limit' must be a positive whole number."))
        answer["limit"] = int(limit)
        answer["properties"] = props[: int(limit)]
    return _json(request, answer)
