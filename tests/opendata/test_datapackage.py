"""/data/datapackage.json: a Frictionless Data Package that ``frictionless`` finds valid,
descriptor and data, with the columns the downloads really write."""

import json

import pytest
from frictionless import Package, validate

from archive.api.downloads import CSV_COLUMNS


def _save(client, tmp_path):
    descriptor = client.get("/data/datapackage.json")
    assert descriptor.status_code == 200
    (tmp_path / "datapackage.json").write_bytes(descriptor.content)
    for resource in descriptor.json()["resources"]:
        response = client.get("/data/" + resource["path"])
        assert response.status_code == 200, resource["path"]
        body = b"".join(response.streaming_content) if response.streaming else response.content
        (tmp_path / resource["path"]).write_bytes(body)
    return descriptor.json()


def test_the_package_and_the_files_it_describes_are_valid(client, records, tmp_path):
    descriptor = _save(client, tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0" and descriptor["citation"]
    package = Package(str(tmp_path / "datapackage.json"))
    citations = package.get_resource("citations").read_rows()
    assert any(row["victim"] == "TEST-OPEN-V1" for row in citations)


def test_each_table_has_the_columns_its_download_writes(client, records, tmp_path):
    descriptor = _save(client, tmp_path)
    tables = {r["name"]: r for r in descriptor["resources"] if "schema" in r}
    assert set(tables) == set(CSV_COLUMNS)
    for resource in tables.values():
        header = (tmp_path / resource["path"]).read_text(encoding="utf-8").splitlines()[0]
        assert [f["name"] for f in resource["schema"]["fields"]] == json.loads(f"[{header}]")
    fields = {f["name"]: f for f in tables["victims"]["schema"]["fields"]}
    assert "killed_protesting" in fields["fate"]["constraints"]["enum"]
    assert fields["gender"]["constraints"]["enum"] == ["male", "female", "other"]
    assert tables["victims"]["schema"]["primaryKey"] == ["ref"]


def test_a_citation_of_a_source_not_in_the_sources_file_is_an_error(client, records, tmp_path):
    """The foreign keys are checked, not decoration: a source missing from sources.csv
    makes the package invalid."""
    _save(client, tmp_path)
    sources = (tmp_path / "sources.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "sources.csv").write_text("\n".join(sources[:2]) + "\n", encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error_type for (error_type,) in report.flatten(["type"])}


@pytest.mark.django_db(transaction=True)
def test_frictionless_reads_the_package_from_a_live_server(live_server, seeded):
    report = validate(live_server.url + "/data/datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
