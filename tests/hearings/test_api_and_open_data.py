"""The API's victim and perpetrator details and the open data carry the hearings: who sat,
in which role, with the citations; only hearings of published victims, only published
officials; the data package joins the files by their keys."""

import csv
import io
import json

import pytest

from tests.hearings.conftest import DRAFT_NAME

pytestmark = pytest.mark.django_db


def test_the_victims_api_detail_lists_its_hearings_with_the_officials(client, hearings):
    data = client.get("/api/victims/TEST-V-HEARD1/").json()
    first = next(h for h in data["hearings"] if h["commission"] == "test-hearing-commission")
    assert first["date"] == "1988-08-10"
    assert first["charges_en"] == "Synthetic charge: membership"
    roles = {o["perpetrator"]: o["role"] for o in first["officials"]}
    assert roles == {"TEST-P-JUDGE": "religious_judge", "TEST-P-PROS": "prosecutor"}
    assert all(o["citations"] for o in first["officials"]) and first["citations"]
    overridden = next(h for h in data["hearings"] if h["sentence_overridden"])
    assert overridden["date"] == "1983"
    assert DRAFT_NAME not in json.dumps(data) and "TEST-P-DRAFT" not in json.dumps(data)


def test_the_perpetrators_api_detail_lists_the_hearings_they_sat_on(client, hearings):
    data = client.get("/api/perpetrators/TEST-P-JUDGE/").json()
    assert {h["victim"] for h in data["hearings"]} == {"TEST-V-HEARD1", "TEST-V-HEARD2"}
    assert all(h["role"] == "religious_judge" and h["citations"] for h in data["hearings"])


def test_the_openapi_description_describes_the_hearings(client):
    schema = client.get("/api/schema/").json()
    components = schema["components"]["schemas"]
    assert "hearings" in components["VictimDetail"]["properties"]
    assert "hearings" in components["PerpetratorDetail"]["properties"]
    assert "officials" in components["Hearing"]["properties"]


def _csv(client, name):
    response = client.get(f"/data/{name}.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_the_open_data_has_a_hearings_table_and_an_officials_table(client, hearings):
    hearing_rows = _csv(client, "hearings")
    assert {r["victim"] for r in hearing_rows} == {"TEST-V-HEARD1", "TEST-V-HEARD2"}
    ids = {r["id"] for r in hearing_rows}
    officials = _csv(client, "hearing_officials")
    assert {(r["perpetrator"], r["role"]) for r in officials} == {
        ("TEST-P-JUDGE", "religious_judge"), ("TEST-P-PROS", "prosecutor"),
    }  # fmt: skip
    assert {r["hearing"] for r in officials} <= ids
    assert "TEST-P-DRAFT" not in str(officials)


def test_a_draft_victims_hearings_are_not_in_the_open_data(client, hearings):
    hearings["second"].publication_status = "draft"
    hearings["second"].save()
    assert {r["victim"] for r in _csv(client, "hearings")} == {"TEST-V-HEARD1"}
    assert len(_csv(client, "hearing_officials")) == 2


def test_the_data_package_joins_hearings_to_victims_and_officials_to_perpetrators(client):
    package = client.get("/data/datapackage.json").json()
    tables = {r["name"]: r for r in package["resources"]}
    hearing_keys = tables["hearings"]["schema"]["foreignKeys"]
    assert {"fields": "victim", "reference": {"resource": "victims", "fields": "ref"}} in (
        hearing_keys
    )
    official_keys = tables["hearing_officials"]["schema"]["foreignKeys"]
    assert {"fields": "hearing", "reference": {"resource": "hearings", "fields": "id"}} in (
        official_keys
    )
    assert {
        "fields": "perpetrator", "reference": {"resource": "perpetrators", "fields": "ref"},
    } in official_keys  # fmt: skip
