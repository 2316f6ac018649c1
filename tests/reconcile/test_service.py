"""OpenRefine reconciliation at /reconcile/: the manifest, batches sent as OpenRefine
sends them, sure matches, properties, preview, suggest and data extension; every answer
validated by the specification's own schemas."""

import datetime
import json

import pytest
from django.test import Client

from tests.factories import PerpetratorFactory, VictimFactory
from tests.reconcile.conftest import extend, reconcile, validate

pytestmark = pytest.mark.django_db


def _ids(result):
    return [c["id"] for c in result["result"]]


def test_the_manifest_names_the_types_properties_and_services_it_offers(client):
    response = client.get("/reconcile/")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    manifest = response.json()
    validate("manifest", manifest)
    assert manifest["versions"] == ["0.2"]
    assert {t["id"] for t in manifest["defaultTypes"]} == {"victim", "perpetrator"}
    for service in ("preview", "view"):
        assert "{{id}}" in manifest[service]["url"]
    assert set(manifest["suggest"]) == {"entity", "type", "property"}
    assert manifest["extend"]["propose_properties"]["service_path"] == "/properties/"
    properties = client.get("/reconcile/suggest/property/").json()
    validate("suggest-properties-response", properties)
    assert {p["id"] for p in properties["result"]} == {
        "father_name", "birth_year", "prison", "death_date",
    }  # fmt: skip


def test_openrefine_reads_the_manifest_as_jsonp_with_its_callback(client):
    response = client.get("/reconcile/", {"callback": "jQuery3410_1699"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert body.startswith("/**/jQuery3410_1699(") and body.endswith(");")
    validate("manifest", json.loads(body[len("/**/jQuery3410_1699(") : -2]))
    refused = client.get("/reconcile/", {"callback": "alert(1);x"})
    assert refused.status_code == 400
    assert "callback" in refused.json()["errors"]


def test_a_name_in_the_other_script_or_another_spelling_finds_the_person(client, evin):
    victim = VictimFactory(
        ref="TEST-RC1", name_latin="", name_fa="محمد حسینی", father_name="علی",
        birth_year=1960, prison=evin,
    )  # fmt: skip
    queries = {
        "q0": {"query": "Mohammad Hosseini", "type": "victim"},
        "q1": {"query": "Muhammad Husseini"},
        "q2": {"query": "محمد حسيني", "type": ["victim"], "limit": 3},  # Arabic keyboard
        "q3": {"query": "M. Hoseini", "type": "victim"},
    }
    answer = reconcile(client, queries)
    for key in queries:
        assert _ids(answer[key])[:1] == [victim.ref], key
    best = answer["q0"]["result"][0]
    assert best["type"] == [{"id": "victim", "name": "Victim"}]
    assert best["name"] == "محمد حسینی"
    assert "علی" in best["description"]


def test_match_is_said_only_of_a_sure_match(client):
    sole = VictimFactory(ref="TEST-RC2", name_latin="Kamran Zandi")
    VictimFactory(ref="TEST-RC3", name_latin="Parviz Karimi")
    VictimFactory(ref="TEST-RC4", name_latin="Parviz Karimi")
    answer = reconcile(
        client,
        {
            "same": {"query": "Kamran Zandi", "type": "victim"},
            "other_script": {"query": "کامران زندی", "type": "victim"},
            "typo": {"query": "Kamran Zamdi", "type": "victim"},
            "namesakes": {"query": "Parviz Karimi", "type": "victim"},
            "by_ref": {"query": "TEST-RC3"},
        },
    )
    assert answer["same"]["result"][0]["match"] is True
    assert answer["same"]["result"][0]["id"] == sole.ref
    assert answer["other_script"]["result"][0]["match"] is True  # the same name, script aside
    assert _ids(answer["typo"])[:1] == [sole.ref]
    assert answer["typo"]["result"][0]["match"] is False  # a guess at a spelling is not sure
    assert len(answer["namesakes"]["result"]) == 2
    assert not any(c["match"] for c in answer["namesakes"]["result"])
    assert answer["by_ref"]["result"][0] == {**answer["by_ref"]["result"][0], "id": "TEST-RC3"}
    assert answer["by_ref"]["result"][0]["match"] is True


def test_properties_tell_namesakes_apart_and_a_contradiction_makes_nothing_sure(client, evin):
    VictimFactory(
        ref="TEST-RC5", name_latin="Parviz Karimi", father_name="Hassan", birth_year=1961,
        prison=evin, death_date=datetime.date(1988, 8, 1), death_date_precision="month",
    )  # fmt: skip
    VictimFactory(
        ref="TEST-RC6", name_latin="Parviz Karimi", father_name="Abbas", birth_year=1955,
        death_date=datetime.date(1988, 9, 1), death_date_precision="month",
    )  # fmt: skip
    answer = reconcile(
        client,
        {
            "father": {
                "query": "Parviz Karimi", "type": "victim",
                "properties": [{"pid": "father_name", "v": "حسن"}],
            },
            "year_solar_hijri": {
                "query": "پرویز کریمی", "type": "victim",
                "properties": [{"pid": "birth_year", "v": "۱۳۳۴"}],  # 1955-56
            },
            "prison_and_date": {
                "query": "Parviz Karimi", "type": "victim",
                "properties": [
                    {"pid": "prison", "v": "Evin"},
                    {"pid": "death_date", "v": "1988-08"},
                ],
            },
            "contradicted": {
                "query": "Parviz Karimi", "type": "victim",
                "properties": [
                    {"pid": "father_name", "v": "Hassan"},
                    {"pid": "birth_year", "v": 1970},
                ],
            },
        },
    )  # fmt: skip
    father = answer["father"]["result"]
    assert [c["id"] for c in father] == ["TEST-RC5", "TEST-RC6"]
    assert father[0]["match"] is True and father[1]["match"] is False
    assert father[0]["score"] > father[1]["score"]
    assert {"id": "father_name", "value": 1.0} in father[0]["features"]
    year = answer["year_solar_hijri"]["result"]
    assert [c["id"] for c in year][:1] == ["TEST-RC6"] and year[0]["match"] is True
    place = answer["prison_and_date"]["result"]
    assert place[0]["id"] == "TEST-RC5" and place[0]["match"] is True
    assert not any(c["match"] for c in answer["contradicted"]["result"])


def test_a_batch_sent_by_get_is_answered_as_by_post(client):
    VictimFactory(ref="TEST-RC7", name_latin="Kamran Zandi")
    queries = {"q0": {"query": "Kamran Zandi"}, "q1": {"query": "Nobody Nowhere"}}
    assert reconcile(client, queries, method="get") == reconcile(client, queries)


def test_openrefine_posts_a_batch_without_any_csrf_token(db):
    VictimFactory(ref="TEST-RC8", name_latin="Kamran Zandi")
    strict = Client(enforce_csrf_checks=True)
    answer = reconcile(strict, {"q0": {"query": "Kamran Zandi"}})
    assert _ids(answer["q0"]) == ["TEST-RC8"]


def test_draft_records_are_never_returned_previewed_suggested_nor_extended(client):
    VictimFactory(ref="TEST-DRAFT1", name_latin="Kamran Zandi", publication_status="draft")
    PerpetratorFactory(ref="TEST-DRAFT2", name_latin="Kamran Zandi", publication_status="in_review")
    answer = reconcile(client, {"name": {"query": "Kamran Zandi"}, "ref": {"query": "TEST-DRAFT1"}})
    assert answer == {"name": {"result": []}, "ref": {"result": []}}
    for ref in ("TEST-DRAFT1", "TEST-DRAFT2"):
        assert client.get("/reconcile/preview/", {"id": ref}).status_code == 404
        assert client.get("/reconcile/view/", {"id": ref}).status_code == 404
    suggested = client.get("/reconcile/suggest/entity/", {"prefix": "Kamran"}).json()
    validate("suggest-entities-response", suggested)
    assert suggested["result"] == []
    extended = extend(client, ["TEST-DRAFT1", "TEST-DRAFT2"], ["name_latin", "father_name"])
    assert extended["rows"] == {
        "TEST-DRAFT1": {"name_latin": [], "father_name": []},
        "TEST-DRAFT2": {"name_latin": [], "father_name": []},
    }


def test_perpetrators_are_reconciled_as_their_own_type(client):
    perpetrator = PerpetratorFactory(ref="TEST-RC9", name_latin="Kamran Zandi")
    VictimFactory(ref="TEST-RC10", name_latin="Kamran Zandi")
    answer = reconcile(
        client,
        {
            "p": {"query": "Kamran Zandi", "type": "perpetrator"},
            "any": {"query": "Kamran Zandi"},
        },
    )
    assert _ids(answer["p"]) == [perpetrator.ref]
    assert answer["p"]["result"][0]["match"] is True
    assert set(_ids(answer["any"])) == {"TEST-RC9", "TEST-RC10"}
    assert not any(c["match"] for c in answer["any"]["result"])  # two people by that name


def test_the_preview_is_a_small_page_that_openrefine_may_frame(client, evin, settings):
    settings.PAGE_CACHE_SECONDS = 600  # the second look is served from the page cache
    VictimFactory(
        ref="TEST-RC11", name_latin="Kamran Zandi", name_fa="کامران زندی", prison=evin,
        birth_year=1962,
    )  # fmt: skip
    client.get("/reconcile/preview/", {"id": "TEST-RC11"})
    response = client.get("/reconcile/preview/", {"id": "TEST-RC11"})
    assert response.status_code == 200 and response["X-Cache"] == "hit"
    html = response.content.decode()
    assert "Kamran Zandi" in html and "کامران زندی" in html and "Evin Prison" in html
    assert "/victims/TEST-RC11/" in html
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    for attribute in ('src="http', "src='http", 'href="//', 'src="//'):
        assert attribute not in html  # nothing loaded from another site
    assert "https://" not in html.split("<body")[0]
    view = client.get("/reconcile/view/", {"id": "TEST-RC11"})
    assert view.status_code == 302 and view["Location"].endswith("/victims/TEST-RC11/")


def test_suggest_finds_people_types_and_properties(client):
    VictimFactory(ref="TEST-RC12", name_latin="Kamran Zandi", name_fa="کامران زندی")
    people = client.get("/reconcile/suggest/entity/", {"prefix": "کامران زندی"}).json()
    validate("suggest-entities-response", people)
    assert [p["id"] for p in people["result"]] == ["TEST-RC12"]
    assert people["result"][0]["notable"] == [{"id": "victim", "name": "Victim"}]
    types = client.get("/reconcile/suggest/type/", {"prefix": "perp"}).json()
    validate("suggest-types-response", types)
    assert [t["id"] for t in types["result"]] == ["perpetrator"]
    props = client.get("/reconcile/suggest/property/", {"prefix": "father"}).json()
    validate("suggest-properties-response", props)
    assert [p["id"] for p in props["result"]] == ["father_name"]


def test_data_extension_gives_the_public_fields_as_the_api_shows_them(client, evin):
    VictimFactory(
        ref="TEST-RC13", name_latin="Kamran Zandi", name_fa="کامران زندی", prison=evin,
        birth_year=1962, aliases="K. Zandi\nKamran Zendi",
        death_date=datetime.date(1988, 8, 1), death_date_precision="month",
    )  # fmt: skip
    proposal = client.get("/reconcile/properties/", {"type": "victim", "limit": "40"}).json()
    validate("data-extension-property-proposal", proposal)
    offered = {p["id"] for p in proposal["properties"]}
    assert {"name_fa", "birth_year", "death_date", "prison", "url"} <= offered
    assert not offered & {"biography", "name_keys", "notes", "publication_status"}
    answer = extend(
        client,
        ["TEST-RC13", "TEST-UNKNOWN", "bad\x00ref"],
        ["name_fa", "birth_year", "death_date", "prison", "aliases", "url"],
    )
    row = answer["rows"]["TEST-RC13"]
    assert row["name_fa"] == [{"str": "کامران زندی"}]
    assert row["birth_year"] == [{"int": 1962}]
    assert row["death_date"] == [{"str": "1988-08"}]  # at its precision: no day made up
    assert row["prison"] == [{"str": "Evin Prison / زندان اوین"}]
    assert row["aliases"] == [{"str": "K. Zandi"}, {"str": "Kamran Zendi"}]
    assert row["url"][0]["str"].endswith("/victims/TEST-RC13/")
    assert all(values == [] for values in answer["rows"]["TEST-UNKNOWN"].values())
    api = client.get("/api/victims/TEST-RC13/").json()
    assert api["death_date"] == "1988-08" and api["birth_year"] == 1962


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"queries": "{not json"}, "queries", 400),
        ({"queries": json.dumps([1, 2])}, "queries", 400),
        ({"queries": json.dumps({"q0": {"query": "x", "type": "ghost"}})}, "q0", 400),
        ({"queries": json.dumps({"q0": {"query": "x", "limit": 0}})}, "q0", 400),
        (
            {"queries": json.dumps({"q0": {"query": "x", "properties": [{"pid": "eye"}]}})},
            "q0",
            400,
        ),
        ({"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(51)})}, "queries", 413),
        ({"extend": json.dumps({"ids": "V-1", "properties": []})}, "ids", 400),
        ({"extend": json.dumps({"ids": [], "properties": [{"id": "notes"}]})}, "properties", 400),
    ],
)
def test_a_batch_that_cannot_be_read_is_refused_naming_what_is_wrong(
    client, payload, field, status
):
    response = client.post("/reconcile/", payload)
    assert response.status_code == status
    assert field in response.json()["errors"]
