"""The FollowTheMoney export (``export_records all FILE --format ftm`` and
``/data/entities.ftm.json``): every entity checked by the ``followthemoney`` package
itself, strictly; published records only; a private testimony never identified."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from followthemoney import model

from bench.generate_synthetic import Command as GenerateSynthetic
from tests.opendata.conftest import SECRET
from victims.models import Victim


def strict_proxy(entity: dict):
    """The entity as FtM reads it, refusing what a lenient reader would let pass: an
    abstract or unknown schema, an unknown property, a value FtM cleans away or changes
    (a date that is not one, a bad URL), a required property missing."""
    schema = model.get(entity["schema"])
    assert schema is not None and not schema.abstract, entity
    assert entity["id"], entity
    proxy = model.make_entity(schema)
    proxy.id = entity["id"]
    for name, values in entity["properties"].items():
        proxy.add(name, values, quiet=False)  # raises InvalidData on an unknown property
    assert proxy.to_dict()["properties"] == entity["properties"], entity
    schema.validate(proxy.to_dict())
    for name in schema.required:
        assert proxy.get(name), f"{entity['id']}: {name} is required"
    return proxy


def read(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def checked(entities: list[dict]) -> dict:
    """Every entity strictly valid, ids unique, every reference to an entity in the file."""
    by_id = {}
    for entity in entities:
        assert entity["id"] not in by_id, f"{entity['id']} twice"
        by_id[entity["id"]] = strict_proxy(entity)
    for proxy in by_id.values():
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in by_id, f"{proxy.id}.{prop.name} names {value}: not in the file"
                assert by_id[value].schema.is_a(prop.range), (proxy.id, prop.name)
    return by_id


@pytest.fixture
def synthetic(records):
    call_command(GenerateSynthetic(), "victims", 300, verbosity=0)


def test_the_export_of_a_seeded_and_synthetic_archive_is_valid_entity_by_entity(
    synthetic, tmp_path, settings
):
    settings.SITE_URL = "https://archive.example.org"
    out = tmp_path / "entities.ftm.json"
    call_command("export_records", "all", str(out), "--format", "ftm", verbosity=0)
    entities = checked(read(out))
    schemata = {proxy.schema.name for proxy in entities.values()}
    assert {"Person", "Membership", "Occupancy", "Position", "PublicBody", "Organization",
            "Documentation"} <= schemata  # fmt: skip
    assert any(proxy.schema.is_a(model.get("Document")) for proxy in entities.values())

    victim = entities["iran-archive-victim-TEST-OPEN-V1"]
    assert victim.get("name") == ["Testname Opendata", "نام آزمایشی"]
    assert victim.get("deathDate") == ["1988-08"] and victim.get("birthDate") == ["1961"]
    assert victim.get("sourceUrl") == ["https://archive.example.org/victims/TEST-OPEN-V1/"]
    affiliation = entities["iran-archive-affiliation-TEST-OPEN-V1"]
    assert entities[affiliation.first("organization")].first("name") == "Test Party (synthetic)"
    seats = [p for p in entities.values() if p.schema.name == "Membership" and
             p.first("member") == "iran-archive-perpetrator-TEST-OPEN-P1"]  # fmt: skip
    assert [entities[s.first("organization")].first("name") for s in seats] == [
        "Test open commission"
    ]
    synthetic_people = {i for i in entities if i.startswith("iran-archive-victim-SYN-")}
    expected = Victim.objects.published().filter(ref__startswith="SYN-").count()
    assert len(synthetic_people) == expected > 0


def test_drafts_withdrawn_and_unpublished_records_are_absent(records, tmp_path):
    out = tmp_path / "entities.ftm.json"
    call_command("export_records", "all", str(out), "--format", "ftm", verbosity=0)
    text = out.read_text(encoding="utf-8")
    assert SECRET not in text and "zzhidden" not in text.lower()
    ids = {entity["id"] for entity in read(out)}
    assert "iran-archive-victim-TEST-OPEN-V1" in ids


def test_a_private_testimony_is_only_its_date_received(records, tmp_path):
    out = tmp_path / "entities.ftm.json"
    call_command("export_records", "all", str(out), "--format", "ftm", verbosity=0)
    entities = checked(read(out))
    private_id = "iran-archive-private-testimony-2024-03-05"
    document = entities[private_id]
    assert document.to_dict()["properties"] == {
        "title": ["private testimony, received 2024-03-05"],
        "date": ["2024-03-05"],
    }
    assert f"source-{records['private'].pk}" not in " ".join(entities)
    cited = [p for p in entities.values() if p.schema.name == "Documentation" and
             p.first("document") == private_id]  # fmt: skip
    assert [(p.first("entity"), p.first("role")) for p in cited] == [
        ("iran-archive-victim-TEST-OPEN-V1", "fate")
    ]
    assert not cited[0].get("summary") and not cited[0].get("description")
    seat_proofs = [p for p in entities.values() if private_id in p.get("proof")]
    assert [p.schema.name for p in seat_proofs] == ["Membership"]


def test_the_download_streams_the_same_entities(records, client, tmp_path):
    out = tmp_path / "entities.ftm.json"
    call_command("export_records", "all", str(out), "--format", "ftm", verbosity=0)
    response = client.get("/data/entities.ftm.json")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    served = checked([json.loads(line) for line in lines])
    assert set(served) == {entity["id"] for entity in read(out)}
    page = client.get("/data/").content.decode()
    assert 'href="/data/entities.ftm.json"' in page and 'href="/data/datapackage.json"' in page


def test_ids_stay_the_same_from_one_export_to_the_next(records, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    call_command("export_records", "all", str(first), "--format", "ftm", verbosity=0)
    call_command("export_records", "all", str(second), "--format", "ftm", verbosity=0)
    assert first.read_bytes() == second.read_bytes()


def test_the_command_names_what_is_wrong(db, tmp_path):
    with pytest.raises(CommandError, match="say all, not victims"):
        call_command("export_records", "victims", str(tmp_path / "x"), "--format", "ftm")
    with pytest.raises(CommandError, match="No such file or directory"):
        call_command("export_records", "all", str(tmp_path / "no" / "x"), "--format", "ftm")
