"""Open data carries provenance: /data/citations.csv and .json trace every value of every
published record to its source (and a source's other version of it); a private testimony
only by the date it was received; nothing of unpublished records or sources."""

import csv
import datetime
import io
import json

import pytest

from tests.factories import CitationFactory, SourceFactory, VictimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited_records():
    victim = VictimFactory(
        ref="TEST-OPEN-1", death_date=datetime.date(1988, 8, 1), death_date_precision="month"
    )
    report = SourceFactory(title="Synthetic open report")
    CitationFactory(content_object=victim, source=report, claim="death_date",
                    value="1988-09", locator="p. 4", confidence="high")  # fmt: skip
    family = SourceFactory(title="ZZSECRET family account", is_private=True,
                           received_date=datetime.date(2024, 5, 2), kind="testimony")  # fmt: skip
    CitationFactory(content_object=victim, source=family, claim="fate",
                    locator="ZZSECRET paragraph 3", quote="ZZSECRET words")  # fmt: skip
    draft_source = SourceFactory(title="ZZSECRET draft source", publication_status="draft")
    CitationFactory(content_object=victim, source=draft_source, claim="birth_year")
    hidden = VictimFactory(ref="TEST-OPEN-DRAFT", publication_status="draft")
    CitationFactory(content_object=hidden, source=report, claim="general")
    return victim, report, family


def test_citations_csv_traces_each_value_to_its_source_with_the_source_version(
    client, cited_records
):
    _victim, report, _family = cited_records

    body = b"".join(client.get("/data/citations.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))

    assert {
        "record_type": "victim", "record": "TEST-OPEN-1", "claim": "death_date",
        "value": "1988-09", "source": str(report.pk), "private_testimony_received": "",
        "locator": "p. 4", "confidence": "high", "victim": "TEST-OPEN-1", "perpetrator": "",
    } in rows  # fmt: skip
    assert {"TEST-OPEN-1"} == {row["record"] for row in rows if row["record_type"] == "victim"}


def test_a_private_testimony_is_named_only_by_its_date_and_nothing_unpublished_leaks(
    client, cited_records
):
    body = b"".join(client.get("/data/citations.json").streaming_content).decode()
    rows = json.loads(body)

    private = [r for r in rows if r["private_testimony_received"]]
    assert private == [
        {"record_type": "victim", "record": "TEST-OPEN-1", "claim": "fate", "value": "",
         "source": None, "private_testimony_received": "2024-05-02", "locator": "",
         "confidence": "", "victim": "TEST-OPEN-1", "perpetrator": None},
    ]  # fmt: skip
    assert "ZZSECRET" not in body
    assert "TEST-OPEN-DRAFT" not in body
    assert not [r for r in rows if r["claim"] == "birth_year" and r["record"] == "TEST-OPEN-1"]


def test_the_sources_download_holds_the_public_view_of_published_sources_only(
    client, cited_records
):
    body = b"".join(client.get("/data/sources.csv").streaming_content).decode()

    assert "Synthetic open report" in body
    assert "ZZSECRET" not in body


def test_a_formula_in_a_value_is_neutralised_in_the_csv(client):
    victim = VictimFactory(ref="TEST-OPEN-FORMULA", father_name="Testfather")
    CitationFactory(content_object=victim, claim="father_name", value="=HYPERLINK(1)")

    body = b"".join(client.get("/data/citations.csv").streaming_content).decode()

    assert '"\'=HYPERLINK(1)"' in body


def test_the_open_data_page_lists_the_citations_in_both_languages(client):
    english = client.get("/data/").content.decode()
    persian = client.get("/fa/data/").content.decode()

    assert "citations.csv" in english and "The citations file traces every value" in english
    assert "citations.json" in persian and "پروندهٔ استنادها" in persian
