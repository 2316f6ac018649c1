"""Filters and paging of the public lists: filters narrow, bad values never give a
server error, and every page link keeps the filters and the search."""

import datetime
import html as htmllib
import re

import pytest

from tests.factories import EventFactory, VictimFactory


def next_link(html):
    match = re.search(r'<a href="([^"]+)" rel="next">', html)
    return htmllib.unescape(match.group(1)) if match else None


def names_on(html):
    return re.findall(r'<bdi lang="en">(Person [^<]+)</bdi>', html)


@pytest.fixture
def crowd(places):
    event = EventFactory(slug="test-massacre", name_en="Test massacre")
    for i in range(60):
        VictimFactory(
            name_latin=f"Person {i:03d}",
            prison=places["prison"] if i % 2 else places["other"],
            death_date=datetime.date(1988 if i < 40 else 1989, 8, 1),
            death_date_precision="month",
            fate="executed" if i % 3 else "disappeared",
            event=event if i < 10 else None,
        )
    return places


def test_year_filter_narrows_by_date_of_death(client, crowd):
    html = client.get("/victims/?year=1989").content.decode()
    assert "20 records" in html


def test_city_and_province_filters_follow_the_prison_parent_chain(client, crowd):
    province = crowd["province"].pk
    city = crowd["city"].pk
    assert "30 records" in client.get(f"/victims/?place={province}").content.decode()
    assert "30 records" in client.get(f"/victims/?place={city}").content.decode()
    prison = crowd["other"].pk
    assert "30 records" in client.get(f"/victims/?prison={prison}").content.decode()


def test_event_and_fate_filters(client, crowd):
    assert "10 records" in client.get("/victims/?event=test-massacre").content.decode()
    assert "20 records" in client.get("/victims/?fate=disappeared").content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999",
        "prison=999999",
        "prison=x",
        "place=-1",
        "event=no-such-event",
        "fate=eaten",
        "gender=%00",
        "commission=%F0%9F%92%A5",
        "source=abc",
        "cursor=not-a-cursor",
        "cursor=W10",
        "page=-5",
        "q=" + "a" * 5000,
        "source=99999999999999999999999",
        "source=1e400",
        "year=1.5",
        "cursor=WyJ2aWN0aW0tbGF0aW5fbWlzc2luZy1uYW1lX2xhdGluLW5hbWVfZmEtaWQiLCJuIixbIngiLCIiLCIiLCJ4Il1d",
    ],
)
def test_bad_filter_values_never_give_a_server_error(client, crowd, query):
    response = client.get(f"/victims/?{query}")
    assert response.status_code == 200


def test_a_value_that_names_nothing_is_shown_as_an_error_beside_its_field(client, crowd):
    html = client.get("/victims/?event=no-such-event").content.decode()
    assert 'class="field has-error"' in html
    assert "This filter was not applied." in html


@pytest.mark.parametrize(
    ("path", "not_applied"),
    [("/victims/", "This filter was not applied."), ("/fa/victims/", "این پالایه اعمال نشد.")],
)
def test_a_link_filter_that_names_nothing_says_it_was_not_applied(client, crowd, path, not_applied):
    # "Victims citing this source", reached by a link with a number no source can have:
    # the list is shown whole, and says why.
    html = client.get(f"{path}?source=99999999999999999999999").content.decode()
    assert not_applied in html
    assert "60" in html or "۶۰" in html


def test_the_api_refuses_a_filter_that_names_nothing_with_a_400_naming_it(client, crowd):
    for query in ("source=99999999999999999999999", "source=abc", "year=1.5"):
        response = client.get(f"/api/victims/?{query}")
        assert response.status_code == 400
        assert query.split("=")[0] in response.json()["errors"]


def test_paging_walks_every_record_once_and_keeps_the_filters(client, crowd):
    url = "/victims/?fate=executed&year=1988"
    seen = []
    while url:
        html = client.get(url).content.decode()
        seen.extend(names_on(html))
        url = next_link(html)
        if url:
            assert "fate=executed" in url and "year=1988" in url
            url = "/victims/" + url
    assert len(seen) == len(set(seen)) == 26
    assert seen == sorted(seen)


def test_previous_page_leads_back_to_the_same_records(client, crowd):
    first = client.get("/victims/").content.decode()
    second = client.get("/victims/" + next_link(first)).content.decode()
    previous = re.search(r'<a href="([^"]+)" rel="prev">', second).group(1)
    back = client.get("/victims/" + htmllib.unescape(previous)).content.decode()
    assert names_on(back) == names_on(first)


def test_a_search_is_ranked_and_its_pages_keep_the_query(client, crowd):
    html = client.get("/victims/?q=Person+001&fate=executed").content.decode()
    assert names_on(html)[0] == "Person 001"
    assert "same spelling" in html


def test_perpetrator_filters_by_commission_role_and_current_position(client, seed):
    assert (
        "3 records"
        in client.get("/perpetrators/?commission=death-commissions-1988").content.decode()
    )
    assert "3 records" in client.get("/perpetrators/?role=member").content.decode()
    assert "0 records" in client.get("/perpetrators/?role=prosecutor").content.decode()
    html = client.get("/perpetrators/?position=minister").content.decode()
    assert "1 record" in html and "Alireza Avaei" in html


def test_sources_list_filters_by_kind(client, seed):
    html = client.get("/sources/?kind=video").content.decode()
    assert "1 record" in html and "Mosalas" in html


@pytest.mark.parametrize(
    "path",
    ["/victims/V%00/", "/perpetrators/P%00/", "/api/victims/V%00/", "/victims/" + "x" * 300 + "/"],
)
def test_a_reference_no_record_can_have_is_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_a_cursor_with_a_nul_is_refused_not_sent_to_the_database(client, crowd):
    import base64
    import json

    raw = json.dumps(["victim-latin_missing-name_latin-name_fa-id", "n", [0, "a\x00", "", 1]])
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    assert client.get(f"/victims/?cursor={cursor}").status_code == 200
    assert client.get(f"/api/victims/?cursor={cursor}").status_code == 400
