"""The person, the family and the relations reach the API and the open data, for
published records only. All records are synthetic."""

import csv
import datetime
import io
import json

import pytest

from tests.factories import FamilyRelationFactory, VictimFactory

pytestmark = pytest.mark.django_db


def test_the_api_detail_gives_the_new_facts_the_age_and_the_relations_with_citations(client):
    parent = VictimFactory(ref="TEST-A1", birth_year=1935, death_date=datetime.date(1988, 1, 1),
                           death_date_precision="year", occupation="worker")  # fmt: skip
    child = VictimFactory(ref="TEST-A2", education_fa="دیپلم آزمایشی", children=0)
    FamilyRelationFactory(from_victim=parent, kind="parent", to_victim=child)

    on_parent = client.get("/api/victims/TEST-A1/").json()
    on_child = client.get("/api/victims/TEST-A2/").json()

    assert on_parent["age_at_death"] == {"min": 52, "max": 53}
    assert on_parent["occupation"] == "worker"
    assert on_child["age_at_death"] is None
    assert on_child["education"] == {"en": "", "fa": "دیپلم آزمایشی"}
    assert on_child["children"] == 0
    assert [(r["relation"], r["of"]) for r in on_parent["relations"]] == [("parent", "TEST-A2")]
    assert [(r["relation"], r["of"]) for r in on_child["relations"]] == [("child", "TEST-A1")]
    assert on_child["relations"][0]["citations"]


def test_a_relation_to_a_draft_is_in_neither_the_api_nor_the_download(client):
    public = VictimFactory(ref="TEST-A3")
    draft = VictimFactory(ref="TEST-ZZSECRET", publication_status="draft")
    FamilyRelationFactory(from_victim=public, kind="sibling", to_victim=draft)

    assert client.get("/api/victims/TEST-A3/").json()["relations"] == []
    body = b"".join(client.get("/data/relations.csv").streaming_content).decode()
    assert "ZZSECRET" not in body


def test_the_relations_download_and_its_keys_in_the_data_package(client):
    a = VictimFactory(ref="TEST-A4")
    b = VictimFactory(ref="TEST-A5")
    relation = FamilyRelationFactory(from_victim=a, kind="spouse", to_victim=b)

    body = b"".join(client.get("/data/relations.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    package = json.loads(client.get("/data/datapackage.json").content)

    assert rows == [{"id": str(relation.pk), "from_ref": "TEST-A4", "relation": "spouse",
                     "to_ref": "TEST-A5"}]  # fmt: skip
    table = next(r for r in package["resources"] if r["name"] == "relations")
    keys = {fk["fields"]: fk["reference"] for fk in table["schema"]["foreignKeys"]}
    assert keys == {
        "from_ref": {"resource": "victims", "fields": "ref"},
        "to_ref": {"resource": "victims", "fields": "ref"},
    }


def test_the_victims_download_has_the_new_columns(client):
    VictimFactory(ref="TEST-A6", birth_year=1960, death_date=datetime.date(1988, 8, 1),
                  death_date_precision="month", religion="bahai", body_returned="no")  # fmt: skip

    body = b"".join(client.get("/data/victims.csv").streaming_content).decode()
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["ref"] == "TEST-A6")

    assert (row["age_at_death_min"], row["age_at_death_max"]) == ("27", "28")
    answers = (row["religion"], row["body_returned"], row["burial_known"])
    assert answers == ("bahai", "no", "unknown")
