"""The OpenAPI 3.1 description of the public API (``/api/schema/``) and the data the
human-readable page (``/data/api/``) is rendered from: one description, two readers.

Kept true by tests that check every answer of every endpoint, errors included, against
it (``tests/api/test_openapi.py``) and by ``schemathesis`` (``bench/api_schema_check.py``).

What is derived rather than restated: the list parameters are the filtersets' own
filters (``VictimFilter``, ...) with their labels and, where a filter has fixed choices,
its values; the enumerations (fate, gender, kind, role, confidence) are the models'
choices. The shapes of records are written here once, with ``additionalProperties:
false``, so that a field added to a serialiser and not described here fails the tests.

Adding an endpoint: a path in ``ENDPOINTS`` (and, for a new kind of record, its schema
in ``_components``); the page and the tests read the same table.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_filters import ChoiceFilter

from archive.api.views import read_only
from archive.core.display import localized_digits
from archive.core.filters import PlaceFilter
from archive.core.models import Gender, Place
from perpetrators.filters import PerpetratorFilter
from perpetrators.models import Role
from sources.filters import SourceFilter
from sources.models import Confidence, Source
from victims.filters import VictimFilter
from victims.models import Fate
from victims.person import Answer, CivilStatus, Ethnicity, Occupation, Religion
from victims.relations import Kind

REF = "#/components/schemas/"
NULLABLE_STRING = {"type": ["string", "null"]}
PARTIAL_DATE = {
    "type": ["string", "null"],
    "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
    "description": "ISO 8601 at the sources' precision: 1988, 1988-08 or 1988-08-19.",
}


def _ref(name: str) -> dict:
    return {"$ref": REF + name}


def _values(choices) -> list[str]:
    return [value for value, _label in choices]


def _object(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
        **extra,
    }


# --- Shapes -------------------------------------------------------------------------------


def _person_fields() -> dict:
    return {
        "ref": {"type": "string", "description": "Permanent reference (the record's address)."},
        "name_latin": {"type": "string"},
        "name_fa": {"type": "string"},
        "url": {"type": "string", "format": "uri", "description": "The record's page."},
        "aliases": {"type": "array", "items": {"type": "string"}},
        "father_name": {"type": "string"},
        "gender": {"type": "string", "enum": _values(Gender.choices)},
        "birth_year": {"type": ["integer", "null"]},
    }


SEARCH_FIELDS = {
    "score": {
        "type": "number",
        "minimum": 0,
        "maximum": 1,
        "description": "With q only: how close the name is (1.0: the same spelling).",
    },
    "exact": {"type": "boolean", "description": "With q only: the same spelling."},
}


def _victim_fields() -> dict:
    named = {"oneOf": [_ref("Named"), {"type": "null"}]}
    both = _object({"en": {"type": "string"}, "fa": {"type": "string"}})
    return {
        **_person_fields(),
        "fate": {"type": "string", "enum": _values(Fate.choices)},
        "arrest_date": PARTIAL_DATE,
        "death_date": PARTIAL_DATE,
        "prison": named,
        "death_place": named,
        "burial_place": named,
        "event": {**NULLABLE_STRING, "description": "The event's slug, when published."},
        "commission": {**NULLABLE_STRING, "description": "The commission's slug, if published."},
        "affiliation": named,
        "birth_place": named,
        "age_at_death": {
            "oneOf": [
                _object({"min": {"type": "integer"}, "max": {"type": "integer"}}),
                {"type": "null"},
            ],
            "description": "The ages at death the year of birth and the date of death (at its "
            "precision) allow: min and max are equal when the age is exact; null when either "
            "date is unknown.",
        },
        "occupation": {"type": "string", "enum": [*_values(Occupation.choices), ""]},
        "education": both,
        "religion": {"type": "string", "enum": [*_values(Religion.choices), ""]},
        "ethnicity": {"type": "string", "enum": [*_values(Ethnicity.choices), ""]},
        "civil_status": {"type": "string", "enum": [*_values(CivilStatus.choices), ""]},
        "children": {"type": ["integer", "null"], "minimum": 0},
        "family_told_date": PARTIAL_DATE,
        "family_told_how": both,
        "body_returned": {"type": "string", "enum": _values(Answer.choices)},
        "belongings_returned": {"type": "string", "enum": _values(Answer.choices)},
        "burial_known": {"type": "string", "enum": _values(Answer.choices)},
        "grave": {**both, "description": "Visits to the grave and harassment there."},
    }


def _source_fields() -> dict:
    return {
        "id": {"type": "integer"},
        "name_latin": {"type": "string", "description": "The title (as name, like people)."},
        "name_fa": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "kind": {"type": "string", "enum": _values(Source.Kind.choices)},
        "publisher": {"type": "string"},
        "author": {"type": "string"},
        "date": PARTIAL_DATE,
        "language": {"type": "string"},
        "source_url": {"type": "string"},
        "archived_url": {"type": "string"},
    }


def _detail_fields() -> dict:
    return {
        "biography": {"type": "string", "description": "Without its footnote markers."},
        "citations": {"type": "array", "items": _ref("Citation")},
        "versions": _ref("Versions"),
    }


def _components() -> dict:
    period = {"from": PARTIAL_DATE, "until": PARTIAL_DATE}
    citations = {"citations": {"type": "array", "items": _ref("Citation")}}
    private_name = _object({"private_testimony_received": {"type": ["string", "null"]}})
    schemas = {
        "Error": _object(
            {
                "errors": {
                    "type": "object",
                    "description": "What was wrong (a parameter's name, or path, method, "
                    "request, server) and why, in the reader's language.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "minProperties": 1,
                }
            }
        ),
        "Index": _object(
            {
                name: {"type": "string", "format": "uri"}
                for name in (
                    "victims",
                    "perpetrators",
                    "sources",
                    "schema",
                    "documentation",
                    "places",
                )
            }
        ),
        "Named": _object({"name_en": {"type": "string"}, "name_fa": {"type": "string"}}),
        "PublicCitation": _object(
            {
                "claim": {"type": "string", "description": "The fact supported, or general."},
                "source": {"type": "integer"},
                "source_title": {"type": "string"},
                "source_url": {"type": "string"},
                "locator": {"type": "string"},
                "quote": {"type": "string"},
                "confidence": {"type": "string", "enum": _values(Confidence.choices)},
                "value": {"type": "string", "description": "The source's own value, if other."},
            }
        ),
        "PrivateCitation": _object(
            {
                "claim": {"type": "string"},
                "source": {"type": "null"},
                "private_testimony_received": {"type": ["string", "null"], "format": "date"},
                "value": {"type": "string"},
            },
            description="A testimony given in confidence: only the date it was received.",
        ),
        "Citation": {"oneOf": [_ref("PublicCitation"), _ref("PrivateCitation")]},
        "Versions": {
            "type": "object",
            "description": "Each other value sources give for a fact, with those sources.",
            "additionalProperties": {
                "type": "array",
                "items": _object(
                    {
                        "value": {"type": "string"},
                        "sources": {
                            "type": "array",
                            "items": {"oneOf": [{"type": "integer"}, private_name]},
                        },
                    }
                ),
            },
        },
        "Victim": _object({**_victim_fields(), **SEARCH_FIELDS}, list(_victim_fields())),
        "VictimDetail": _object(
            {
                **_victim_fields(),
                **_detail_fields(),
                "relations": {
                    "type": "array",
                    "description": "Family relations to other published victims, read "
                    "“this person is the <relation> of <of>”, each cited.",
                    "items": _object(
                        {
                            "relation": {"type": "string", "enum": _values(Kind.choices)},
                            "of": {"type": "string", "description": "The other person's ref."},
                            **citations,
                        }
                    ),
                },
                "hearings": {"type": "array", "items": _ref("Hearing")},
            }
        ),
        "Hearing": _object(
            {
                "id": {"type": "integer"},
                "victim": {"type": "string", "description": "The victim's ref."},
                "date": PARTIAL_DATE,
                "place": {"oneOf": [_ref("Named"), {"type": "null"}]},
                "commission": {
                    **NULLABLE_STRING,
                    "description": "The commission's slug, if "
                    "published; otherwise the court names the body.",
                },
                **{
                    name: {"type": "string"}
                    for name in (
                        "court_en",
                        "court_fa",
                        "charges_en",
                        "charges_fa",
                        "questions_en",
                        "questions_fa",
                        "decision_en",
                        "decision_fa",
                        "sentence_en",
                        "sentence_fa",
                    )
                },
                "charge_categories": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Legal categories of the charges as stated (slugs).",
                },
                "sentence_overridden": {"type": "boolean"},
                "officials": {
                    "type": "array",
                    "description": "The officials present whose records are published.",
                    "items": _object(
                        {
                            "perpetrator": {"type": "string", "description": "Their ref."},
                            "name_latin": {"type": "string"},
                            "name_fa": {"type": "string"},
                            "role": {"type": "string", "enum": _values(Role.choices)},
                            **citations,
                        }
                    ),
                },
                **citations,
            }
        ),
        "Perpetrator": _object({**_person_fields(), **SEARCH_FIELDS}, list(_person_fields())),
        "PerpetratorDetail": _object(
            {
                **_person_fields(),
                **_detail_fields(),
                "commissions": {
                    "type": "array",
                    "items": _object(
                        {
                            "commission": {"type": "string"},
                            "name_en": {"type": "string"},
                            "name_fa": {"type": "string"},
                            "role": {"type": "string", "enum": _values(Role.choices)},
                            **period,
                            **citations,
                        }
                    ),
                },
                "positions": {
                    "type": "array",
                    "items": _object(
                        {
                            "title_en": {"type": "string"},
                            "title_fa": {"type": "string"},
                            "organisation": NULLABLE_STRING,
                            **period,
                            "as_reported": {"type": "string"},
                            **citations,
                        }
                    ),
                },
                "statements": {
                    "type": "array",
                    "items": _object(
                        {
                            "date": PARTIAL_DATE,
                            "summary_en": {"type": "string"},
                            "summary_fa": {"type": "string"},
                            "quote": {"type": "string"},
                            **citations,
                        }
                    ),
                },
                "hearings": {
                    "type": "array",
                    "description": "The hearings of published victims this person sat on.",
                    "items": _object(
                        {
                            "hearing": {"type": "integer"},
                            "victim": {"type": "string", "description": "The victim's ref."},
                            "victim_name_latin": {"type": "string"},
                            "victim_name_fa": {"type": "string"},
                            "date": PARTIAL_DATE,
                            "role": {"type": "string", "enum": _values(Role.choices)},
                            "commission": NULLABLE_STRING,
                            **{
                                name: {"type": "string"}
                                for name in (
                                    "court_en",
                                    "court_fa",
                                    "decision_en",
                                    "decision_fa",
                                )
                            },
                            **citations,
                        }
                    ),
                },
            }
        ),
        "Source": _object(_source_fields()),
        "Place": _object(
            {
                "ref": {"type": "string", "description": "The place's slug."},
                "name_latin": {"type": "string"},
                "name_fa": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
                "kind": {"type": "string", "enum": _values(Place.Kind.choices)},
                "parent": NULLABLE_STRING,
                "latitude": {
                    "type": ["number", "null"],
                    "description": "Decimal degrees; null unless a published source gives them.",
                },
                "longitude": {"type": ["number", "null"]},
            }
        ),
    }
    for name in ("Victim", "Perpetrator", "Source", "Place"):
        schemas[f"{name}Page"] = _object(
            {
                "count": {"type": "integer", "minimum": 0},
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "results": {"type": "array", "items": _ref(name)},
            }
        )
    return {
        "schemas": schemas,
        "responses": _error_responses(),
        "headers": {
            "ETag": {
                "description": "The data's version: send it back in If-None-Match.",
                "schema": {"type": "string"},
            }
        },
    }


ERRORS = {
    "BadRequest": (400, _("A parameter is wrong: the error names it and says why.")),
    "NotFound": (404, _("Nothing is published at this address.")),
    "MethodNotAllowed": (405, _("The API answers GET and HEAD only (header Allow).")),
    "TooManyRequests": (429, _("Too many requests: wait as long as Retry-After says.")),
    "ServerError": (500, _("The archive could not answer; try again later.")),
}
#: What any address of the API may answer besides its own.
COMMON_ERRORS = ("MethodNotAllowed", "TooManyRequests", "ServerError")


def _error_responses() -> dict:
    responses = {}
    for name, (status, description) in ERRORS.items():
        response = {
            "description": str(description),
            "content": {"application/json": {"schema": _ref("Error")}},
        }
        if status == 429:
            response["headers"] = {"Retry-After": {"schema": {"type": "string"}}}
        if status == 405:
            response["headers"] = {"Allow": {"schema": {"type": "string"}}}
        responses[name] = response
    return responses


# --- Endpoints ----------------------------------------------------------------------------


def _filter_parameters(filterset) -> list[dict]:
    """The list's filters as query parameters, from the filterset itself."""
    parameters = []
    for name, filter_ in filterset.base_filters.items():
        schema: dict = {"type": "string"}
        choices = filter_.extra.get("choices")
        if isinstance(filter_, ChoiceFilter) and choices and not callable(choices):
            # An empty value means "any", as on the pages.
            schema["enum"] = ["", *(value for value, _label in choices if value)]
        label = filter_.label or name
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": str(label)
                + (f": {filter_.extra['help_text']}" if filter_.extra.get("help_text") else ""),
                "schema": schema,
            }
        )
    return parameters


def _paging(searchable: bool) -> list[dict]:
    parameters = [
        {
            "name": "page_size",
            "in": "query",
            "description": str(
                _("Results per page (1 to %(max)s; a larger number is capped).")
                % {"max": localized_digits(settings.API_MAX_PAGE_SIZE)}
            ),
            "schema": {"type": "string"},
        },
        {
            "name": "cursor",
            "in": "query",
            "description": str(
                _(
                    "Where a page starts when browsing: take it from next or "
                    "previous; any other value is a 400."
                )
            ),
            "schema": {"type": "string"},
        },
    ]
    if searchable:
        parameters[:0] = [
            {
                "name": "q",
                "in": "query",
                "description": str(
                    _(
                        "A name in any spelling or script: results ranked best "
                        "first, with score and exact."
                    )
                ),
                "schema": {"type": "string"},
            },
            {
                "name": "page",
                "in": "query",
                "description": str(_("With q: the page of the ranked results (a number).")),
                "schema": {"type": "string"},
            },
        ]
    return parameters


def _responses(ok: dict, errors: tuple[str, ...], *, redirect: bool = False) -> dict:
    responses = {
        "200": {
            "description": str(_("OK")),
            "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
            "content": {"application/json": {"schema": ok}},
        },
        "304": {"description": str(_("Not modified: the ETag sent in If-None-Match is current."))},
    }
    if redirect:
        responses["301"] = {
            "description": str(_("A record merged into another: its address now points there.")),
            "headers": {"Location": {"schema": {"type": "string"}}},
        }
    for name in (*errors, *COMMON_ERRORS):
        status, _description = ERRORS[name]
        responses[str(status)] = {"$ref": f"#/components/responses/{name}"}
    return responses


ENDPOINTS = [
    # (path, operation id, summary, kind of record, searchable, filterset, key parameter)
    ("/api/", "index", _("Where each list is"), "Index", False, None, None),
    ("/api/victims/", "listVictims", _("Published victims"), "VictimPage", True, VictimFilter,
     None),
    ("/api/victims/{ref}/", "getVictim", _("A published victim, with the citations of each fact"),
     "VictimDetail", False, None, ("ref", "string")),
    ("/api/perpetrators/", "listPerpetrators", _("Published perpetrators"), "PerpetratorPage",
     True, PerpetratorFilter, None),
    ("/api/perpetrators/{ref}/", "getPerpetrator",
     _("A published perpetrator: commissions, posts, statements, hearings, citations"),
     "PerpetratorDetail", False, None, ("ref", "string")),
    ("/api/sources/", "listSources", _("Published sources (never a private testimony)"),
     "SourcePage", False, SourceFilter, None),
    ("/api/sources/{id}/", "getSource", _("A published source"), "Source", False, None,
     ("id", "integer")),
    ("/api/places/", "listPlaces", _("Places a published record names"), "PlacePage", False,
     PlaceFilter, None),
]  # fmt: skip


def _operation(operation_id, summary, kind, searchable, filterset, key) -> dict:
    parameters = []
    if key is not None:
        name, type_ = key
        parameters.append({"name": name, "in": "path", "required": True, "schema": {"type": type_}})
    if filterset is not None:
        filters = _filter_parameters(filterset)
        names = {p["name"] for p in filters}
        parameters += [p for p in _paging(searchable) if p["name"] not in names] + filters
    errors = ("BadRequest",) if filterset is not None else ()
    if key is not None:
        errors = ("NotFound",)
    return {
        "operationId": operation_id,
        "summary": str(summary),
        "parameters": parameters,
        "responses": _responses(_ref(kind), errors, redirect=key is not None and key[0] == "ref"),
    }


def schema() -> dict:
    """The description, in the active language (the page); ``/api/schema/`` serves it in
    English."""
    paths = {}
    for path, *operation in ENDPOINTS:
        paths[path] = {"get": _operation(*operation)}
    paths["/api/schema/"] = {
        "get": {
            "operationId": "getSchema",
            "summary": str(_("This description (OpenAPI 3.1)")),
            "responses": {
                "200": {
                    "description": str(_("OK")),
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "304": {
                    "description": str(
                        _("Not modified: the ETag sent in If-None-Match is current.")
                    )
                },
                **{
                    str(ERRORS[name][0]): {"$ref": f"#/components/responses/{name}"}
                    for name in COMMON_ERRORS
                },
            },
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": str(_("1988 Massacre Archive: public API")),
            "version": settings.ARCHIVE_VERSION,
            "description": str(
                _(
                    "Read-only, no key needed, published records only. Every answer carries "
                    "an ETag (the data's version): send it back in If-None-Match to be told "
                    '304 when nothing changed. Errors are JSON: {"errors": {"<what>": '
                    '["<why>"]}}.'
                )
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": _components(),
    }


def _plain(value):
    """Lazy translations made text (the JSON encoder does not know them)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@read_only
def schema_view(request):
    with override("en"):
        description = _plain(schema())
    return JsonResponse(description, json_dumps_params={"ensure_ascii": False})
