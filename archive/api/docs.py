"""The API's documentation for people (``/data/api/``, ``/fa/data/api/``): the OpenAPI
description (``archive.api.openapi``) rendered by a template on the server, in the
reader's language, from bundled files only (no script, nothing fetched)."""

from __future__ import annotations

from django.views.generic import TemplateView

from archive.api import openapi

EXAMPLES = {
    "index": ["/api/"],
    "listVictims": ["/api/victims/?page_size=10", "/api/victims/?q=Hosseini&fate=executed"],
    "getVictim": ["/api/victims/V-0001/"],
    "listPerpetrators": ["/api/perpetrators/?q=Raisi"],
    "getPerpetrator": ["/api/perpetrators/P-0001/"],
    "listSources": ["/api/sources/?kind=ngo_report"],
    "getSource": ["/api/sources/2/"],
    "getSchema": ["/api/schema/"],
}


def _type(spec: dict, schemas: dict) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "oneOf" in spec:
        return " | ".join(_type(option, schemas) for option in spec["oneOf"])
    kind = spec.get("type", "object")
    kind = " | ".join(kind) if isinstance(kind, list) else kind
    if kind == "array":
        return f"array of {_type(spec.get('items', {}), schemas)}"
    return kind


def _fields(name: str, schemas: dict) -> list[dict]:
    properties = schemas[name].get("properties", {})
    return [
        {
            "name": field,
            "type": _type(spec, schemas),
            "values": spec.get("enum", []),
            "description": spec.get("description", ""),
        }
        for field, spec in properties.items()
    ]


class ApiDocsView(TemplateView):
    template_name = "archive/api_docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        description = openapi.schema()
        components = description["components"]
        schemas = components["schemas"]
        endpoints = []
        for path, methods in description["paths"].items():
            operation = methods["get"]
            responses = []
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    response = components["responses"][response["$ref"].rsplit("/", 1)[-1]]
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                responses.append(
                    {
                        "status": status,
                        "description": response["description"],
                        "schema": _type(schema, schemas) if schema else "",
                    }
                )
            endpoints.append(
                {
                    "path": path,
                    "id": operation["operationId"],
                    "summary": operation["summary"],
                    "parameters": operation.get("parameters", []),
                    "responses": responses,
                    "examples": EXAMPLES.get(operation["operationId"], []),
                }
            )
        shown = [name for name in schemas if name not in ("Error",)]
        context.update(
            info=description["info"],
            endpoints=endpoints,
            schemas=[{"name": name, "fields": _fields(name, schemas)} for name in shown],
            error_fields=_fields("Error", schemas),
        )
        return context
