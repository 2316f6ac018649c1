"""The JSON API and the open-data downloads, in the contract's shape."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import VictimFactory


def test_lists_are_in_the_contract_shape(client, seed):
    for path, key in [("/api/victims/", "ref"), ("/api/perpetrators/", "ref"),
                      ("/api/sources/", "id")]:  # fmt: skip
        data = client.get(path).json()
        assert set(data) >= {"count", "next", "results"}
        assert isinstance(data["count"], int) and data["count"] == len(data["results"])
        assert data["next"] is None
        for item in data["results"]:
            assert {key, "name_latin", "name_fa", "url"} <= set(item)
            assert item["url"].startswith("http://testserver/")


def test_a_search_is_ranked_best_first_with_its_score(client, seed):
    data = client.get("/api/perpetrators/?q=Ebrahim+Raisi").json()
    assert data["results"][0]["ref"] == "P-0001"
    assert data["results"][0]["exact"] is True
    assert 0 < data["results"][0]["score"] <= 1
    similar = client.get("/api/perpetrators/?q=Ebrahim+Raeesi").json()["results"][0]
    assert similar["ref"] == "P-0001"
    assert similar["score"] <= data["results"][0]["score"]


def test_pages_follow_next_until_every_record_is_seen(client, db):
    for i in range(23):
        VictimFactory(name_latin=f"Paged {i:02d}")
    url, refs = "/api/victims/?page_size=10", []
    while url:
        data = client.get(url).json()
        assert data["count"] == 23
        refs += [r["ref"] for r in data["results"]]
        url = data["next"]
        if url:
            assert "page_size=10" in url
    assert len(refs) == len(set(refs)) == 23


def test_page_size_is_capped(client, db):
    for i in range(105):
        VictimFactory(name_latin=f"Many {i:03d}")
    assert len(client.get("/api/victims/?page_size=100000").json()["results"]) == 100


def test_filters_apply_and_a_bad_value_is_a_400_naming_it(client, seed):
    data = client.get("/api/victims/?event=2018-protests").json()
    assert [r["ref"] for r in data["results"]] == ["V-0001"]
    response = client.get("/api/victims/?event=nothing")
    assert response.status_code == 400 and "event" in response.json()["errors"]
    response = client.get("/api/victims/?cursor=garbage")
    assert response.status_code == 400 and "cursor" in response.json()["errors"]


def test_only_public_fields_are_given(client, unpublished):
    detail = client.get("/api/victims/TEST-LINKED/").json()
    assert detail["event"] is None and detail["commission"] is None
    private = [c for c in detail["citations"] if c["source"] is None]
    assert private == [{"claim": "fate", "source": None,
                        "private_testimony_received": "2024-03-05"}]  # fmt: skip
    text = json.dumps(client.get("/api/sources/?page_size=100").json())
    assert "staff note" not in text and "notes" not in text
    assert "name_keys" not in json.dumps(detail)


def test_the_perpetrator_detail_gives_commissions_positions_and_statements(client, seed):
    data = client.get("/api/perpetrators/P-0003/").json()
    assert data["commissions"][0]["commission"] == "death-commissions-1988"
    assert data["positions"][0]["as_reported"]
    assert any(
        c["source_url"] == "https://youtu.be/uAo6w1QOFqw"
        for c in data["statements"][0]["citations"]
    )


@pytest.mark.parametrize("dataset", ["victims", "perpetrators", "sources"])
def test_downloads_stream_every_published_record(client, unpublished, dataset):
    response = client.get(f"/data/{dataset}.csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    data = json.loads(b"".join(client.get(f"/data/{dataset}.json").streaming_content))
    api_count = client.get(f"/api/{dataset}/").json()["count"]
    assert len(rows) == len(data) == api_count
    if dataset == "victims":
        assert {"V-0001", "TEST-LINKED"} <= {r["ref"] for r in rows}


def test_a_download_reads_in_chunks_not_per_row(client, db):
    for i in range(30):
        VictimFactory(name_latin=f"Row {i}")
    with CaptureQueriesContext(connection) as few:
        b"".join(client.get("/data/victims.csv").streaming_content)
    for i in range(30):
        VictimFactory(name_latin=f"More {i}")
    with CaptureQueriesContext(connection) as many:
        b"".join(client.get("/data/victims.csv").streaming_content)
    assert len(many) == len(few)


def test_the_sitemap_is_an_index_of_paged_sections_with_persian_alternates(client, seed):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-victims.xml" in index
    section = client.get("/sitemap-victims.xml").content.decode()
    assert "http://testserver/victims/V-0001/" in section
    assert "http://testserver/fa/victims/V-0001/" in section


def test_a_search_that_finds_nothing_is_an_empty_page(client, seed):
    data = client.get("/api/victims/?q=0").json()
    assert data == {"count": 0, "next": None, "previous": None, "results": []}


def test_rows_name_the_prison_places_and_affiliation_in_both_languages(client, db):
    from tests.factories import OrganisationFactory, PlaceFactory

    city = PlaceFactory(kind="city", name_en="Testcity", name_fa="شهرآزمون")
    prison = PlaceFactory(name_en="Testcity Prison", name_fa="زندان آزمون", parent=city)
    party = OrganisationFactory(name_en="Test Party", name_fa="حزب آزمون")
    VictimFactory(ref="TEST-PLACES", prison=prison, death_place=city, affiliation=party)
    listed = client.get("/api/victims/").json()["results"][0]
    detail = client.get("/api/victims/TEST-PLACES/").json()
    for row in (listed, detail):
        assert row["prison"] == {"name_en": "Testcity Prison", "name_fa": "زندان آزمون"}
        assert row["death_place"] == {"name_en": "Testcity", "name_fa": "شهرآزمون"}
        assert row["burial_place"] is None
        assert row["affiliation"] == {"name_en": "Test Party", "name_fa": "حزب آزمون"}
    html = client.get("/victims/TEST-PLACES/").content.decode()
    assert "Testcity Prison" in html and "Test Party" in html


def test_a_biography_reads_without_its_footnote_markers(client, seed):
    biography = client.get("/api/victims/V-0001/").json()["biography"]
    assert "[src:" not in biography
    assert "statement." in biography and " ." not in biography
