"""Imports cite: two lists of the same synthetic people, from two sources, one giving
other dates; every filled cell cited to its source with its row; the pages show both
versions with their footnotes; rows that would publish uncited facts are refused by row."""

import re

import pytest

from sources.models import Citation, Source
from tests.factories import SourceFactory
from tests.imports.conftest import write_csv
from victims.models import Victim

pytestmark = pytest.mark.django_db

FIRST = [
    {"ref": "TEST-LIST-1", "name_latin": "Testname Avalpour", "death_date": "1988-08",
     "publication_status": "published"},
    {"ref": "TEST-LIST-2", "name_latin": "Testname Dovomi", "death_date": "1988-08-20",
     "publication_status": "published"},
]  # fmt: skip
SECOND = [
    {"ref": "TEST-LIST-1", "name_latin": "Testname Avalpoor", "death_date": "1988-09",
     "publication_status": "published"},
    {"ref": "TEST-LIST-2", "name_latin": "Testname Dovomi", "death_date": "1988-08-20",
     "publication_status": "published"},
]  # fmt: skip


def death_line(client, path: str) -> str:
    html = client.get(path).content.decode()
    lines = re.findall(r'<div class="fact"><dt>(.*?)</dt><dd>(.*?)</dd></div>', html)
    death = next(dd for dt, dd in lines if dt in ("Date of death", "تاریخ مرگ"))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", death)).strip()


def import_list(manage, tmp_path, rows, source, *extra, name="list.csv"):
    path = write_csv(tmp_path / name, rows)
    return manage(
        "import_records", "victims", path, "--as", "reviewer", "--source", source.pk, *extra
    )


@pytest.fixture
def two_lists(tmp_path, manage, reviewer):
    first = SourceFactory(title="First synthetic list")
    second = SourceFactory(title="Second synthetic list")
    assert import_list(manage, tmp_path, FIRST, first, name="first.csv").code == 0
    run = import_list(manage, tmp_path, SECOND, second, name="second.csv")
    assert run.code == 0, run.err
    return first, second


def test_every_filled_cell_is_cited_to_the_source_with_its_row(two_lists):
    first, _second = two_lists
    victim = Victim.objects.get(ref="TEST-LIST-2")

    cited = victim.citations.filter(source=first)

    assert sorted(cited.values_list("claim", "locator", "value")) == [
        ("death_date", "row 3", ""),
        ("name_latin", "row 3", ""),
    ]


def test_the_second_list_keeps_its_other_date_as_its_version_and_the_page_shows_both(
    two_lists, client
):
    victim = Victim.objects.get(ref="TEST-LIST-1")
    assert victim.partial("death_date").iso() == "1988-08"  # the record's value stays
    assert victim.is_published

    english = death_line(client, "/victims/TEST-LIST-1/")
    persian = death_line(client, "/fa/victims/TEST-LIST-1/")

    assert english == "August 1988 1 ; September 1988 according to 2"
    assert re.fullmatch(r".*۱ ؛ .*سپتامبر ۱۹۸۸.* به گفتهٔ ۲", persian)


def test_the_sources_list_names_the_row_in_the_readers_language(two_lists, client):
    def sources_list(path):
        html = client.get(path).content.decode()
        notes = html.split('class="footnotes"', 1)[1].split("</ol>", 1)[0]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", notes))

    assert "First synthetic list , Test NGO , row 2 ." in sources_list("/victims/TEST-LIST-1/")
    persian = sources_list("/fa/victims/TEST-LIST-1/")
    assert "ردیف ۲" in persian
    assert "row" not in persian


def test_a_name_only_the_second_list_gives_finds_the_person(two_lists, client):
    found = client.get("/api/victims/", {"q": "Avalpoor"}).json()

    assert [row["ref"] for row in found["results"]] == ["TEST-LIST-1"]


def test_with_update_the_source_is_preferred_and_the_old_value_stays_a_version(
    tmp_path, manage, reviewer, client
):
    first = SourceFactory(title="First synthetic list")
    second = SourceFactory(title="Preferred synthetic list")
    import_list(manage, tmp_path, FIRST, first, name="first.csv")

    run = import_list(manage, tmp_path, SECOND, second, "--update", name="second.csv")

    assert run.code == 0, run.err
    assert Victim.objects.get(ref="TEST-LIST-1").partial("death_date").iso() == "1988-09"
    assert death_line(client, "/victims/TEST-LIST-1/") == (
        "September 1988 1 ; August 1988 according to 2"
    )


def test_rows_that_publish_without_a_source_are_refused_by_row(tmp_path, manage, reviewer):
    path = write_csv(tmp_path / "list.csv", FIRST)

    run = manage("import_records", "victims", path, "--as", "reviewer")

    assert run.code == 1
    assert "row 2, publication_status: this row publishes the record" in run.err
    assert "row 3, publication_status: this row publishes the record" in run.err
    assert "--source ID" in run.err
    assert not Victim.objects.exists()


def test_rows_that_publish_with_a_draft_source_are_refused_naming_it(tmp_path, manage, reviewer):
    draft = SourceFactory(title="Unchecked synthetic list", publication_status="draft")

    run = import_list(manage, tmp_path, FIRST, draft)

    assert run.code == 1
    assert (
        "row 2, publication_status: not published: Name in Latin script: cited only to a "
        "source not yet published: «Unchecked synthetic list»"
    ) in run.err.replace("\u2068", "").replace("\u2069", "")  # as read: without isolating marks
    assert not Citation.objects.filter(source=draft).exists()


def test_a_draft_source_cites_draft_rows(tmp_path, manage, reviewer):
    draft = SourceFactory(title="Unchecked synthetic list", publication_status="draft")
    rows = [{**row, "publication_status": "draft"} for row in FIRST]

    run = import_list(manage, tmp_path, rows, draft)

    assert run.code == 0, run.err
    assert Citation.objects.filter(source=draft).count() == 4


def test_an_import_without_a_reviewer_publishes_nothing(tmp_path, manage):
    source = SourceFactory()
    path = write_csv(tmp_path / "list.csv", FIRST)

    run = manage("import_records", "victims", path, "--source", source.pk)

    assert run.code == 1
    assert "only a reviewer may publish" in run.err
    assert not Victim.objects.exists()


def test_an_unknown_source_is_refused_before_anything_is_read(tmp_path, manage, reviewer):
    path = write_csv(tmp_path / "list.csv", FIRST)

    run = manage("import_records", "victims", path, "--as", "reviewer", "--source", "999999")

    assert run.code == 1
    assert "There is no source with id 999999" in run.err


def test_a_list_of_sources_publishes_without_a_source_of_its_own(tmp_path, manage, reviewer):
    # A source is the evidence: its page shows no fact that another source must back.
    path = tmp_path / "sources.csv"
    path.write_text(
        "id,kind,title,publication_status\n,ngo_report,A synthetic report,published\n",
        encoding="utf-8",
    )

    run = manage("import_records", "sources", path, "--as", "reviewer")

    assert run.code == 0, run.err
    assert Source.objects.get(title="A synthetic report").is_published


def test_a_draft_already_cited_in_full_is_published_by_a_list_without_a_source(
    tmp_path, manage, reviewer
):
    source = SourceFactory(title="First synthetic list")
    drafts = [{**row, "publication_status": "draft"} for row in FIRST]
    assert import_list(manage, tmp_path, drafts, source, name="drafts.csv").code == 0
    publish = FIRST[:1]  # the same values, now to be published

    run = manage("import_records", "victims", write_csv(tmp_path / "p.csv", publish),
                 "--as", "reviewer")  # fmt: skip

    assert run.code == 0, run.err
    assert Victim.objects.get(ref="TEST-LIST-1").is_published
    assert not Victim.objects.get(ref="TEST-LIST-2").is_published


def test_a_row_refused_for_a_value_the_record_kept_says_which_and_why(tmp_path, manage, reviewer):
    first = SourceFactory(title="First synthetic list")
    second = SourceFactory(title="Second synthetic list")
    row = {"ref": "TEST-LIST-3", "name_latin": "Testname Sevomi", "publication_status": "draft"}
    assert import_list(manage, tmp_path, [{**row, "birth_year": "1960"}], first).code == 0

    # The second list's own cells agree (born 1935, died 1955), but the record keeps its
    # year of birth (1960) and takes the death date it lacked: died before being born.
    again = [{**row, "birth_year": "1935", "death_date": "1955"}]
    run = import_list(manage, tmp_path, again, second, name="second.csv")

    assert run.code == 1
    assert (
        "row 2, death_date: The date of death is before the year of birth. The record keeps "
        "its own values where this file differs, and they were checked with the row: Year of "
        "birth 1960, not 1935 (to prefer the source's: --update, or “Prefer this source's "
        "values” in the admin)." in run.err
    )
    assert "1 problem(s)" in run.err
    assert Victim.objects.get(ref="TEST-LIST-3").death_date is None  # nothing written
