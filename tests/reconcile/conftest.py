"""The reconciliation tests' tools: the specification's own JSON schemas (``schemas/``),
requests made the way OpenRefine makes them, and synthetic people."""

import datetime
import json
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.factories import PlaceFactory, VictimFactory

SCHEMAS = Path(__file__).parent / "schemas"


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text("utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema, DRAFT7)))
    return Registry().with_resources(resources)


def validate(schema_name: str, data) -> None:
    """Fails the test with jsonschema's own message when ``data`` breaks the schema."""
    schema = json.loads((SCHEMAS / f"{schema_name}.json").read_text("utf-8"))
    Draft7Validator(schema, registry=_registry()).validate(data)


def reconcile(client, queries: dict, *, method: str = "post") -> dict:
    """A batch sent as OpenRefine sends it (form-encoded ``queries=<JSON>``), checked
    against the query schema, its answer against the result schema."""
    validate("reconciliation-query-batch", queries)
    payload = {"queries": json.dumps(queries, ensure_ascii=False)}
    if method == "post":
        response = client.post("/reconcile/", payload)
    else:
        response = client.get("/reconcile/", payload)
    assert response.status_code == 200, response.content[:500]
    assert response["Access-Control-Allow-Origin"] == "*"
    answer = response.json()
    validate("reconciliation-result-batch", answer)
    assert set(answer) == set(queries)
    return answer


def extend(client, ids, props) -> dict:
    query = {"ids": ids, "properties": [{"id": p} for p in props]}
    validate("data-extension-query", query)
    response = client.post("/reconcile/", {"extend": json.dumps(query)})
    assert response.status_code == 200, response.content[:500]
    answer = response.json()
    validate("data-extension-response", answer)
    return answer


def victim_from_row(row: dict, prisons: dict):
    """A published victim made from a ``bench.synthetic`` row (synthetic names)."""
    prison = None
    if row["prison"]:
        prison = prisons.get(row["prison"])
        if prison is None:
            prison = prisons[row["prison"]] = PlaceFactory(name_en=row["prison"], name_fa="")
    return VictimFactory(
        ref=row["ref"],
        name_latin=row["name_latin"],
        name_fa=row["name_fa"],
        aliases="\n".join(row["aliases"]),
        father_name=row["father_name"],
        gender=row["gender"],
        birth_year=row["birth_year"],
        death_date=datetime.date.fromisoformat(row["death_date"]) if row["death_date"] else None,
        death_date_precision=row["death_date_precision"] or "day",
        prison=prison,
        publication_status="published",
    )


@pytest.fixture
def evin(db):
    return PlaceFactory(name_en="Evin Prison", name_fa="زندان اوین")
