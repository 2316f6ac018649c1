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
        response = client.get(path)
        assert response.status_code == 200, path
        data = response.json()
        assert set(data) >= {"count", "next", "results"}
        assert data["results"], path  # the seed's records: each row's shape is checked
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
    # "value": what the testimony gives for the fact where it differs (a version shown
    # on the page), never where in it the words stand.
    assert private == [{"claim": "fate", "source": None,
                        "private_testimony_received": "2024-03-05", "value": ""}]  # fmt: skip
    sources = client.get("/api/sources/?page_size=100")
    assert sources.status_code == 200 and sources.json()["results"]
    text = json.dumps(sources.json())
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


# --- Downloads that are whole or visibly failed ------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_with_the_database_down_a_download_is_a_503_not_an_empty_file(client, db, fmt):
    from django.db import OperationalError

    VictimFactory.create_batch(3)

    def down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(down):
        response = client.get(f"/data/victims.{fmt}")
    assert response.status_code == 503
    assert not response.streaming
    assert int(response["Retry-After"]) > 0
    assert "try again" in response.content.decode()


def test_a_failure_mid_download_cuts_the_stream_instead_of_ending_the_file(client, db, monkeypatch):
    # Once the status is sent, a failure can only be told by cutting the transfer: the
    # error leaves the stream, and the server drops the connection before its last chunk.
    from django.db import OperationalError

    from archive.api import views as api

    VictimFactory.create_batch(3)
    real, calls = api.victim_row, []

    def fails_on_the_second_row(*args):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args)

    monkeypatch.setattr(api, "victim_row", fails_on_the_second_row)
    response = client.get("/data/victims.csv")
    assert response.status_code == 200
    with pytest.raises(OperationalError):
        b"".join(response.streaming_content)


def test_csv_cells_that_begin_like_a_formula_open_as_text_in_a_spreadsheet(client, db):
    import datetime

    VictimFactory(
        ref="TEST-FORMULA",
        name_latin='=HYPERLINK("http://example.org/x","click")',
        name_fa="+98 نام",
        father_name="-2+3",
        aliases="@SUM(A1)\n＝FULLWIDTH",
        birth_year=1340,
        death_date=datetime.date(1988, 8, 1),
        death_date_precision="month",
    )
    VictimFactory(ref="TEST-TAB", name_latin="Tab Name", father_name="\t=1+1")
    VictimFactory(ref="TEST-CR", name_latin="\r=1+1")
    VictimFactory(ref="TEST-PLAIN", name_latin="Plain Name", birth_year=1345)
    raw = b"".join(client.get("/data/victims.csv").streaming_content).decode()
    assert raw.startswith('"ref","name_latin","name_fa"')  # every cell quoted
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(raw))}
    row = rows["TEST-FORMULA"]
    assert row["name_latin"] == '\'=HYPERLINK("http://example.org/x","click")'
    assert row["name_fa"] == "'+98 نام"
    assert row["father_name"] == "'-2+3"
    assert row["aliases"] == "'@SUM(A1) | ＝FULLWIDTH"
    assert rows["TEST-TAB"]["father_name"] == "'\t=1+1"
    assert rows["TEST-CR"]["name_latin"] == "'\r=1+1"
    # Numbers and dates read as before; a plain name is untouched.
    assert row["birth_year"] == "1340" and row["death_date"] == "1988-08"
    assert rows["TEST-PLAIN"]["name_latin"] == "Plain Name"
    # The JSON download and the API give the text as it is.
    data = json.loads(b"".join(client.get("/data/victims.json").streaming_content))
    assert {v["name_latin"] for v in data} >= {'=HYPERLINK("http://example.org/x","click")'}


def test_numbers_are_never_prefixed_even_when_negative():
    from archive.api.downloads import spreadsheet_safe

    assert spreadsheet_safe(-5) == -5
    assert spreadsheet_safe(-1.5) == -1.5
    assert spreadsheet_safe(None) is None
    assert spreadsheet_safe("1988-08") == "1988-08"
    assert spreadsheet_safe("-5") == "'-5"  # text that a spreadsheet would compute
