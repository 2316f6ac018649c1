"""Citations the way people cite: the metadata Zotero reads on every record and source
page (Highwire ``citation_*`` tags, schema.org JSON-LD), and "Cite this record" as
BibTeX, RIS and CSL-JSON, parsed back with their own readers."""

import datetime
import json
import re
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from bibtexparser.bparser import BibTexParser

from tests.factories import PerpetratorFactory, PlaceFactory, SourceFactory, VictimFactory

pytestmark = [
    pytest.mark.django_db,
    # bibtexparser 1.4 calls pyparsing's old names: not ours to fix.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:bibtexparser"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pyparsing"),
]


class _Head(HTMLParser):
    """The meta tags and JSON-LD blocks of a page's <head>."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list = []
        self._in_ld = False
        self._in_head = True

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self._in_head = False
        if self._in_head and tag == "meta" and "name" in attrs:
            self.meta.setdefault(attrs["name"], []).append(attrs.get("content", ""))
        self._in_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))
            self._in_ld = False


def head_of(client, url) -> _Head:
    response = client.get(url)
    assert response.status_code == 200
    parser = _Head()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def victim(db):
    place = PlaceFactory(name_en="Test City Prison", name_fa="زندان شهر آزمایشی")
    return VictimFactory(
        ref="TEST-CITE1", name_latin="Kamran Zandi", name_fa="کامران زندی",
        father_name="Hassan", birth_year=1961, gender="male",
        death_date=datetime.date(1988, 8, 1), death_date_precision="month", death_place=place,
        aliases="Kamran Zendi",
    )  # fmt: skip


def test_a_victims_page_tells_zotero_what_to_cite_in_english_and_in_persian(client, victim):
    head = head_of(client, "/victims/TEST-CITE1/")
    changed = victim.updated_at.date().isoformat()
    assert head.meta["citation_title"] == ["Kamran Zandi (کامران زندی)"]
    assert head.meta["citation_publisher"] == ["1988 Massacre Archive"]
    assert head.meta["citation_date"] == [changed]
    assert head.meta["citation_public_url"] == ["http://testserver/victims/TEST-CITE1/"]
    assert head.meta["citation_language"] == ["en"]

    persian = head_of(client, "/fa/victims/TEST-CITE1/")
    assert persian.meta["citation_title"] == ["کامران زندی (Kamran Zandi)"]
    assert persian.meta["citation_public_url"] == ["http://testserver/fa/victims/TEST-CITE1/"]
    assert persian.meta["citation_language"] == ["fa"]


def test_the_json_ld_names_the_person_in_both_scripts_with_dates_at_their_precision(client, victim):
    (person,) = head_of(client, "/victims/TEST-CITE1/").json_ld
    assert person["@context"] == "https://schema.org" and person["@type"] == "Person"
    assert person["name"] == [
        {"@value": "Kamran Zandi", "@language": "fa-Latn"},
        {"@value": "کامران زندی", "@language": "fa"},
    ]
    assert person["alternateName"] == ["Kamran Zendi"]
    assert person["birthDate"] == "1961"  # a year, never a made-up 1 January
    assert person["deathDate"] == "1988-08"  # a month, never a made-up day
    assert person["identifier"] == "TEST-CITE1"
    assert person["sameAs"] == ["http://testserver/fa/victims/TEST-CITE1/"]
    assert person["deathPlace"]["name"][1] == {"@value": "زندان شهر آزمایشی", "@language": "fa"}
    assert person["mainEntityOfPage"]["dateModified"] == victim.updated_at.date().isoformat()


def test_a_name_cannot_close_the_json_ld_script(client):
    VictimFactory(ref="TEST-CITE2", name_latin="Evil </script><script>alert(1)</script> Name")
    html = client.get("/victims/TEST-CITE2/").content.decode()
    assert "<script>alert(1)" not in html
    (person,) = head_of(client, "/victims/TEST-CITE2/").json_ld
    assert person["name"][0]["@value"].startswith("Evil </script>")


def test_perpetrator_and_source_pages_carry_their_metadata_too(client):
    PerpetratorFactory(ref="TEST-CITE3", name_latin="Parviz Karimi", birth_year=1940)
    head = head_of(client, "/perpetrators/TEST-CITE3/")
    assert head.meta["citation_title"] == ["Parviz Karimi"]
    assert head.json_ld[0]["@type"] == "Person" and head.json_ld[0]["birthDate"] == "1940"
    source = SourceFactory(
        title="Test report on prisons", author="Test Author", publisher="Test NGO",
        date=datetime.date(1990, 5, 1), date_precision="month", language="en",
    )  # fmt: skip
    head = head_of(client, f"/sources/{source.pk}/")
    assert head.meta["citation_title"] == ["Test report on prisons"]
    assert head.meta["citation_author"] == ["Test Author"]
    assert head.meta["citation_publisher"] == ["Test NGO"]
    assert head.meta["citation_date"] == ["1990-05"]
    assert head.meta["citation_public_url"] == [f"http://testserver/sources/{source.pk}/"]
    work = head.json_ld[0]
    assert work["@type"] == "CreativeWork" and work["datePublished"] == "1990-05"


def test_cite_this_record_links_the_three_formats(client, victim):
    html = client.get("/victims/TEST-CITE1/").content.decode()
    for fmt in ("bib", "ris", "json"):
        assert f'href="/victims/TEST-CITE1/cite.{fmt}"' in html


@pytest.mark.parametrize(
    ("language", "separator", "changed"),
    [("en", ", ", "last changed"), ("fa", "، ", "آخرین تغییر")],
)
@pytest.mark.parametrize("kind", ["victims", "perpetrators"])
def test_cite_this_record_reads_alike_on_every_record_page_in_the_readers_punctuation(
    client, victim, kind, language, separator, changed
):
    # A perpetrator's page had its own copy of the line: Latin commas on the Persian page,
    # and no date of the last change.
    PerpetratorFactory(ref="TEST-CITE1", name_latin="Parviz Karimi")
    prefix = "/fa" if language == "fa" else ""
    html = client.get(f"{prefix}/{kind}/TEST-CITE1/").content.decode()
    section = re.search(r'<section class="cite-this".*?</section>', html, re.S).group(0)
    line = " ".join(re.sub(r"<[^>]+>", "", section.split("<p>")[1]).split())
    site = "آرشیو کشتار ۱۳۶۷" if language == "fa" else "1988 Massacre Archive"
    assert f"TEST-CITE1){separator}{site}{separator}http://testserver{prefix}/{kind}/" in line
    assert f"{separator}{changed} " in line
    for fmt in ("bib", "ris", "json"):
        assert f'href="{prefix}/{kind}/TEST-CITE1/cite.{fmt}"' in section


def test_the_bibtex_reads_back_with_the_permanent_address_and_the_last_change(client, victim):
    response = client.get("/victims/TEST-CITE1/cite.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="TEST-CITE1.bib"'
    parser = BibTexParser(common_strings=True)
    (entry,) = bibtexparser.loads(response.content.decode("utf-8"), parser=parser).entries
    assert entry["ENTRYTYPE"] == "misc"
    assert entry["title"] == "{Kamran Zandi (کامران زندی)}"
    assert entry["url"] == "http://testserver/victims/TEST-CITE1/"
    assert entry["date"] == victim.updated_at.date().isoformat()
    assert entry["author"] == "{1988 Massacre Archive}"


def test_the_ris_reads_back_with_both_scripts(client, victim):
    response = client.get("/fa/victims/TEST-CITE1/cite.ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    (entry,) = rispy.loads(response.content.decode("utf-8"))
    assert entry["type_of_reference"] == "ELEC"
    assert entry["title"] == "کامران زندی (Kamran Zandi)"
    assert entry["urls"] == ["http://testserver/fa/victims/TEST-CITE1/"]
    assert entry["translated_title"] == "Kamran Zandi"
    assert entry["date"] == victim.updated_at.strftime("%Y/%m/%d/")
    assert entry["language"] == "fa"


# CSL's schema (csl-data.json) is not shipped by any package we could install: the
# variables and types used here are checked against the CSL 1.0.2 specification's lists.
CSL_TYPES = {"webpage", "entry-encyclopedia", "dataset", "document"}
CSL_STRINGS = {
    "id", "type", "title", "original-title", "publisher", "container-title", "URL",
    "language", "note", "genre",
}  # fmt: skip


def test_the_csl_json_is_what_citeproc_reads(client, victim):
    response = client.get("/perpetrators/TEST-CITE1/cite.json")
    assert response.status_code == 404  # a victim's ref is no perpetrator's
    response = client.get("/victims/TEST-CITE1/cite.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    (item,) = json.loads(response.content.decode("utf-8"))
    assert item["type"] in CSL_TYPES
    assert set(item) <= CSL_STRINGS | {"author", "issued"}
    assert all(isinstance(item[k], str) for k in set(item) & CSL_STRINGS)
    assert item["title"] == "Kamran Zandi (کامران زندی)"
    assert item["URL"] == "http://testserver/victims/TEST-CITE1/"
    changed = victim.updated_at.date()
    assert item["issued"] == {"date-parts": [[changed.year, changed.month, changed.day]]}
    assert item["author"] == [{"literal": "1988 Massacre Archive"}]


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_an_unpublished_record_has_no_citation(client, fmt):
    VictimFactory(ref="TEST-CITE4", publication_status="draft")
    PerpetratorFactory(ref="TEST-CITE5", publication_status="withdrawn")
    assert client.get(f"/victims/TEST-CITE4/cite.{fmt}").status_code == 404
    assert client.get(f"/perpetrators/TEST-CITE5/cite.{fmt}").status_code == 404


def test_an_unknown_format_is_a_404(client, victim):
    assert client.get("/victims/TEST-CITE1/cite.docx").status_code == 404
