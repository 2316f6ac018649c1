"""Places on the public site: the map links every place a published record uses and none
that only drafts use; each place's page lists its victims and commissions; imports refuse
bad coordinates by row and column."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError
from django.test import Client

from archive.core.models import Place
from tests.factories import (
    CommissionFactory,
    MembershipFactory,
    PerpetratorFactory,
    SourceFactory,
    cite_place,
)
from tests.places.conftest import HEADER

pytestmark = pytest.mark.django_db

SVG = re.compile(r"<svg[^>]*class=\"iran-map\".*?</svg>", re.S)


def map_svg(client, path="/map/") -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    svg = SVG.search(response.content.decode())
    assert svg, "the page has no map"
    return ET.fromstring(svg.group(0))  # raises if the SVG is not well-formed


def linked(svg: ET.Element) -> set[str]:
    ns = "{http://www.w3.org/2000/svg}"
    return {a.get("href") for a in svg.iter(f"{ns}a")}


def test_the_map_links_every_place_a_published_record_uses_and_none_only_drafts_use(places):
    hrefs = linked(map_svg(Client()))
    assert "/places/test-prison/" in hrefs
    assert "/places/test-grave/" in hrefs
    assert "/places/draft-prison/" not in hrefs


def test_a_place_whose_coordinates_no_published_source_gives_is_listed_but_not_marked(places):
    """The city is public (the prison is inside it) and has coordinates, but no source
    is cited for them: the table lists it, the map draws no marker, its page says why."""
    client = Client()
    assert "/places/test-city/" not in linked(map_svg(client))
    page = client.get("/map/").content.decode()
    table = page[page.index('id="places-table"') :]
    assert "/places/test-city/" in table and "not on the map" in table
    city = client.get("/places/test-city/").content.decode()
    assert "not shown: no published source gives them" in city
    assert "35.68920" not in city and "iran-map" not in city
    prison = client.get("/places/test-prison/").content.decode()
    assert "35.79052" in prison and "not shown: no published source" not in prison


def test_coordinates_cited_only_to_an_unpublished_source_are_not_shown(places):
    draft = SourceFactory(title="Draft gazetteer", publication_status="draft")
    cite_place(places["test-city"], "coordinates", source=draft)
    client = Client()
    assert "/places/test-city/" not in linked(map_svg(client))
    city = next(i for i in client.get("/api/places/").json()["results"] if i["ref"] == "test-city")
    assert city["latitude"] is None and city["longitude"] is None


def test_the_persian_map_names_the_places_in_persian_and_links_the_persian_pages(places):
    client = Client()
    svg = map_svg(client, "/fa/map/")
    assert "/fa/places/test-prison/" in linked(svg)
    page = client.get("/fa/map/").content.decode()
    assert "زندان آزمایشی" in page
    assert "Draft-only" not in page and "زندان پیش‌نویس" not in page


def test_the_map_table_gives_the_same_places_with_their_counts(places):
    page = Client().get("/map/").content.decode()
    table = page[page.index('id="places-table"') :]
    assert "Test Prison" in table and "Test Mass Grave" in table
    assert "Draft-only Prison" not in table


def test_each_place_page_lists_the_victims_held_killed_or_buried_there(places):
    client = Client()
    prison = client.get("/places/test-prison/").content.decode()
    assert "Held here" in prison and "Testname Heldandburied" in prison
    assert "Testname Draftonly" not in prison
    grave = client.get("/places/test-grave/").content.decode()
    assert "Buried here" in grave and "Testname Heldandburied" in grave
    # Names in both scripts, the cited chain of places it is inside (no source gives the
    # city's province), the cited coordinates.
    assert "گور جمعی آزمایشی" in grave
    assert 'href="/places/test-city/"' in grave and 'href="/places/test-province/"' not in grave
    assert "35.60190° N, 51.56860° E" in grave


def test_a_place_only_a_draft_uses_has_no_page(places):
    assert Client().get("/places/draft-prison/").status_code == 404


def test_each_place_page_lists_the_commissions_that_sat_there_with_their_members(places):
    commission = CommissionFactory(
        name_en="Test commission at the prison", place=places["test-prison"]
    )
    member = PerpetratorFactory(name_latin="Testname Member")
    MembershipFactory(commission=commission, perpetrator=member, role="prosecutor")
    MembershipFactory(
        commission=commission,
        perpetrator=PerpetratorFactory(
            name_latin="Testname Unpublished", publication_status="draft"
        ),
    )
    page = Client().get("/places/test-prison/").content.decode()
    assert "Commissions that sat here" in page
    assert "Test commission at the prison" in page
    assert "Testname Member" in page and member.get_absolute_url() in page
    assert "Testname Unpublished" not in page


def test_a_commission_seat_makes_its_place_public(places):
    CommissionFactory(name_en="Test commission", place=places["draft-prison"])
    assert "/places/draft-prison/" in linked(map_svg(Client()))


def test_victim_event_and_perpetrator_pages_link_the_places_they_name(places):
    from victims.models import Victim

    victim = Victim.objects.get(name_latin="Testname Heldandburied")
    page = Client().get(victim.get_absolute_url()).content.decode()
    assert 'href="/places/test-prison/"' in page
    assert 'href="/places/test-grave/"' in page
    member = MembershipFactory(commission=CommissionFactory(place=places["test-prison"]))
    page = Client().get(member.perpetrator.get_absolute_url()).content.decode()
    assert 'href="/places/test-prison/"' in page


def test_the_prison_filter_offers_only_prisons_a_published_record_uses(places):
    page = Client().get("/victims/").content.decode()
    assert "Test Prison" in page
    assert "Draft-only Prison" not in page


def test_the_list_filtered_by_a_city_includes_the_prisons_inside_it(places):
    page = Client().get(f"/victims/?place={places['test-city'].pk}").content.decode()
    assert "Testname Heldandburied" in page


def fact_rows(page: str) -> dict[str, str]:
    return dict(re.findall(r'<div class="fact"><dt>(.*?)</dt><dd>(.*?)</dd></div>', page, re.S))


def test_coordinates_kind_and_parent_are_shown_with_their_footnotes_or_not_at_all(places):
    client = Client()
    prison = fact_rows(client.get("/places/test-prison/").content.decode())
    # Where it is and what it is inside: the gazetteer. What it is: the victim held there,
    # whose "prison" is cited (a victim's prison is a prison).
    assert 'class="fn"' in prison["Coordinates"] and 'class="fn"' in prison["Inside"]
    assert "prison" in prison["Kind"] and 'class="fn"' in prison["Kind"]
    # The grave: no source says it is a mass grave (a burial place may be any place), and
    # the city: no source gives what it is inside.
    grave = fact_rows(client.get("/places/test-grave/").content.decode())
    assert "Kind" not in grave and 'class="fn"' in grave["Coordinates"]
    city = fact_rows(client.get("/places/test-city/").content.decode())
    assert "Inside" not in city and "Kind" not in city and "Coordinates" not in city
    cite_place(places["test-grave"], "kind")
    grave = fact_rows(client.get("/places/test-grave/").content.decode())
    assert "mass grave" in grave["Kind"] and 'class="fn"' in grave["Kind"]


def test_a_place_page_cites_its_names_to_the_sources_of_the_records_naming_it(places):
    page = Client().get("/places/test-prison/").content.decode()
    heading = re.search(r'<h1 id="record-name">(.*?)</h1>', page, re.S).group(1)
    assert 'class="fn"' in heading


def test_the_api_and_the_downloads_hold_the_public_places_only(places):
    client = Client()
    answer = client.get("/api/places/").json()
    refs = {item["ref"] for item in answer["results"]}
    assert {"test-prison", "test-grave", "test-city", "test-province"} <= refs
    assert "draft-prison" not in refs
    assert set(answer) >= {"count", "next", "results"}
    prison = next(i for i in answer["results"] if i["ref"] == "test-prison")
    assert prison["latitude"] == 35.79052 and prison["longitude"] == 51.3864
    assert prison["url"].endswith("/places/test-prison/")
    city = next(i for i in answer["results"] if i["ref"] == "test-city")
    assert city["latitude"] is None and city["longitude"] is None  # uncited
    geo = json.loads(b"".join(client.get("/data/places.geojson").streaming_content))
    features = {f["id"]: f for f in geo["features"]}
    assert geo["type"] == "FeatureCollection" and "draft-prison" not in features
    assert features["test-prison"]["geometry"]["coordinates"] == [51.3864, 35.79052]
    assert features["test-city"]["geometry"] is None
    csv_text = b"".join(client.get("/data/places.csv").streaming_content).decode()
    assert "test-prison" in csv_text and "draft-prison" not in csv_text


@pytest.mark.parametrize(
    ("row", "where", "says"),
    [
        ("swapped,Swapped,,prison,,51.38640,35.79052", "row 3, latitude", "swapped"),
        ("paris,Paris,,prison,,48.85,2.35", "row 3, latitude", "outside Iran"),
        ("east,Too far east,,prison,,35.0,70.0", "row 3, longitude", "outside Iran"),
        ("half,Half,,prison,,35.0,", "row 3, longitude", "both"),
        ("word,Word,,prison,,north,51", "row 3, latitude", "not a number"),
    ],
)
def test_bad_coordinates_are_refused_by_row_and_column_and_nothing_is_written(
    import_places, capsys, row, where, says
):
    text = HEADER + "fine,Fine Prison,,prison,,35.7,51.4\n" + row + "\n"
    with pytest.raises(CommandError, match="nothing was imported"):
        import_places(text)
    report = [line for line in capsys.readouterr().err.splitlines() if line.startswith(where)]
    assert report and says in report[0], report
    assert not Place.objects.filter(slug="fine").exists()


def test_a_places_file_imported_twice_updates_and_exports_back(import_places, places, tmp_path):
    from tests.places.conftest import PLACES

    import_places(HEADER + PLACES, "again.csv")
    assert Place.objects.filter(slug__startswith="test-prison").count() == 1
    out = tmp_path / "out.csv"
    from django.core.management import call_command

    call_command("export_records", "places", str(out))
    exported = out.read_text(encoding="utf-8")
    assert "test-prison,Test Prison,زندان آزمایشی,prison,test-city,35.79052,51.38640" in exported


def test_a_source_naming_a_place_is_cited_even_beyond_the_first_records_read(monkeypatch):
    from archive.public import places
    from tests.factories import CitationFactory, PlaceFactory, VictimFactory

    monkeypatch.setattr(places, "NAMING_SAMPLE", 1)  # the first record of each use only
    prison = PlaceFactory(kind="prison", slug="test-sample-prison", name_en="Test Sample Prison")
    first, second = (VictimFactory(prison=prison, cited=False) for _n in range(2))
    assert first.pk < second.pk
    draft = SourceFactory(title="Synthetic draft list", publication_status="draft")
    CitationFactory(content_object=first, claim="prison", source=draft)
    named = SourceFactory(title="Synthetic list naming the prison")
    CitationFactory(content_object=second, claim="prison", source=named)

    cited = places.naming_citations(prison)

    assert [c.source.title for c in cited] == ["Synthetic list naming the prison"]
    page = Client().get("/places/test-sample-prison/").content.decode()
    assert "Synthetic list naming the prison" in page and "Synthetic draft list" not in page
