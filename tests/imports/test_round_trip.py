"""Export writes every record, published or not, and export -> import into an empty
database -> export gives the same file, in each format."""

import csv

import pytest
from openpyxl import load_workbook

from archive.core.importing import export_file
from archive.core.models import Place
from perpetrators.models import CommissionMembership, Perpetrator, Position
from sources.models import Source
from tests.factories import (
    CommissionFactory,
    EventFactory,
    OrganisationFactory,
    PlaceFactory,
    VictimFactory,
)
from victims.models import Victim

pytestmark = pytest.mark.django_db


@pytest.fixture
def victims(cited):
    evin = PlaceFactory(name_en="Evin Prison", name_fa="زندان اوین", kind="prison")
    khavaran = PlaceFactory(name_en="Khavaran", kind="cemetery")
    event = EventFactory(slug="1988-massacre")
    commission = CommissionFactory(slug="tehran-1988")
    party = OrganisationFactory(name_en="Test Party", abbreviation="TP")
    VictimFactory(
        ref="T-1", name_latin="Ali Karimi", name_fa="علی کریمی",
        aliases="Aly Karimy\nعلي كريمي", father_name="Hassan", gender="male",
        birth_year=1955, affiliation=party, arrest_date="1981-09-01",
        arrest_date_precision="month", prison=evin, fate="executed",
        death_date="1988-01-01", death_date_precision="year", death_place=evin,
        burial_place=khavaran, event=event, commission=commission,
        # The marker names the source the file is imported with (--source), so that the
        # record, published, passes the gate once imported into an empty database.
        biography=f'Said "no", according to [src:{cited[1]}].\nSecond line, with a comma.',
        publication_status="published",
    )  # fmt: skip
    VictimFactory(
        ref="T-2", name_latin="", name_fa="مریم احمدی", fate="disappeared",
        death_date="1988-08-15", death_date_precision="day", publication_status="draft",
    )  # fmt: skip
    VictimFactory(ref="T-3", name_latin="Withdrawn Person", publication_status="withdrawn")


def _wipe_victims():
    Victim.objects.update(publication_status="draft")
    Victim.objects.all().delete()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_export_import_export_gives_the_same_file(
    tmp_path, manage, cited, victims, suffix, reviewer
):
    first = tmp_path / f"first{suffix}"
    assert manage("export_records", "victims", first).code == 0
    _wipe_victims()

    run = manage("import_records", "victims", first, "--as", "reviewer", *cited)
    assert run.code == 0, run.err
    assert "3 victims were created" in run.out

    second = tmp_path / f"second{suffix}"
    manage("export_records", "victims", second)
    assert _content(first) == _content(second)
    assert Victim.objects.get(ref="T-1").death_date_precision == "year"


def _content(path):
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    return path.read_bytes()


def test_export_holds_unpublished_records_and_dates_at_their_precision(tmp_path, victims):
    path = tmp_path / "all.csv"
    export_file("victims", path)
    with path.open(encoding="utf-8") as handle:
        rows = {row["ref"]: row for row in csv.DictReader(handle)}

    assert set(rows) == {"T-1", "T-2", "T-3"}
    assert rows["T-1"]["death_date"] == "1988"
    assert rows["T-1"]["arrest_date"] == "1981-09"
    assert rows["T-2"]["death_date"] == "1988-08-15"
    assert rows["T-1"]["prison"] == "Evin Prison"
    assert rows["T-1"]["aliases"] == "Aly Karimy | علي كريمي"
    assert rows["T-1"]["event"] == "1988-massacre"
    assert rows["T-3"]["publication_status"] == "withdrawn"


def test_a_round_trip_into_an_empty_database_recreates_nothing_else(
    tmp_path, manage, victims, reviewer, cited
):
    path = tmp_path / "v.csv"
    export_file("victims", path)
    _wipe_victims()
    places = Place.objects.count()

    assert manage("import_records", "victims", path, "--as", "reviewer", *cited).code == 0

    assert Place.objects.count() == places  # every place found by name, none made up


def test_perpetrators_memberships_positions_and_sources_round_trip(
    tmp_path, manage, seed, reviewer
):
    kinds = ["perpetrators", "memberships", "positions", "sources"]
    first = {k: tmp_path / f"{k}-1.csv" for k in kinds}
    for kind in kinds:
        assert manage("export_records", kind, first[kind]).code == 0
    counts = (Perpetrator.objects.count(), CommissionMembership.objects.count(),
              Position.objects.count(), Source.objects.count())  # fmt: skip

    CommissionMembership.objects.all().delete()
    Position.objects.all().delete()
    for kind in kinds:
        run = manage("import_records", kind, first[kind], "--as", "reviewer")
        assert run.code == 0, run.err
    assert (Perpetrator.objects.count(), CommissionMembership.objects.count(),
            Position.objects.count(), Source.objects.count()) == counts  # fmt: skip

    for kind in kinds:
        second = tmp_path / f"{kind}-2.csv"
        manage("export_records", kind, second)
        assert second.read_bytes() == first[kind].read_bytes()


def test_a_membership_file_imported_twice_keeps_one_seat(tmp_path, manage, seed, reviewer):
    path = tmp_path / "m.csv"
    path.write_text(
        "perpetrator,commission,role,start_date\n"
        "P-0001,death-commissions-1988,prosecutor,1988-07\n",
        encoding="utf-8",
    )
    manage("import_records", "memberships", path, "--as", "reviewer")
    before = CommissionMembership.objects.count()
    path.write_text(
        "perpetrator,commission,role,start_date\n"
        "P-0001,death-commissions-1988,prosecutor,1988-08\n",
        encoding="utf-8",
    )
    run = manage("import_records", "memberships", path, "--as", "reviewer")
    assert "0 memberships were created, 1 updated" in run.out
    assert CommissionMembership.objects.count() == before


def test_a_membership_of_an_unknown_perpetrator_is_refused(tmp_path, manage, seed):
    path = tmp_path / "m.csv"
    path.write_text("perpetrator,commission\nP-9999,death-commissions-1988\n", encoding="utf-8")
    run = manage("import_records", "memberships", path)
    assert run.code == 1
    assert "row 2, perpetrator: no perpetrator with the ref 'P-9999'" in run.err


def test_a_new_source_gets_the_next_free_id(tmp_path, manage, seed):
    path = tmp_path / "s.csv"
    path.write_text("id,kind,title\n,ngo_report,A new report\n", encoding="utf-8")
    assert manage("import_records", "sources", path).code == 0
    new = Source.objects.get(title="A new report")
    assert new.pk > 10
