"""``import_records hearings FILE``: synthetic hearings with their officials, cited row by
row, then read on the public pages (each official's page lists the victims decided at
the hearings they sat on; each victim's page names the officials); every bad cell
refused by its row and column, and then nothing written; the export reads back."""

import csv

import pytest

from perpetrators.models import Perpetrator
from sources.models import Citation
from tests.factories import (
    ChargeCategoryFactory,
    CommissionFactory,
    PerpetratorFactory,
    PlaceFactory,
    SourceFactory,
    VictimFactory,
)
from tests.imports.conftest import write_csv
from victims.hearings import Hearing, HearingOfficial

pytestmark = pytest.mark.django_db

HEADER = ["victim", "date", "place", "body", "officials", "charges", "charge_categories",
          "decision", "sentence"]  # fmt: skip


@pytest.fixture
def archive(db):
    PlaceFactory(name_en="Synthetic Hearing Prison", name_fa="زندان دادرسی آزمایشی")
    for slug in ("moharebeh", "membership", "apostasy"):
        ChargeCategoryFactory(slug=slug)
    CommissionFactory(slug="test-import-commission", name_en="Test import commission")
    for n in (1, 2, 3):
        VictimFactory(ref=f"TEST-VH-{n}", name_latin=f"Testvictim Imported{n}")
    PerpetratorFactory(ref="TEST-PH-1", name_latin="Testjudge Imported", name_fa="داور آزمایشی")
    PerpetratorFactory(ref="TEST-PH-2", name_latin="Testprosecutor Imported")
    return SourceFactory(title="Synthetic hearing list (test data)")


def _rows():
    return [
        {"victim": "TEST-VH-1", "date": "1988-08-10", "place": "Synthetic Hearing Prison",
         "body": "test-import-commission",
         "officials": "TEST-PH-1 (religious judge); TEST-PH-2 (دادستان)",
         "charges": "Synthetic charge one", "charge_categories": "moharebeh; membership",
         "decision": "Synthetic decision one", "sentence": ""},
        {"victim": "TEST-VH-2", "date": "1988-08", "place": "زندان دادرسی آزمایشی",
         "body": "Synthetic Revolutionary Court", "officials": "TEST-PH-1 (religious_judge)",
         "charges": "Synthetic charge two", "charge_categories": "apostasy",
         "decision": "Synthetic decision two", "sentence": ""},
        {"victim": "TEST-VH-3", "date": "1983", "place": "", "body": "دادگاه آزمایشی",
         "officials": "TEST-PH-2 (prosecutor)", "charges": "", "charge_categories": "",
         "decision": "", "sentence": "Synthetic: ten years"},
    ]  # fmt: skip


def test_imported_hearings_link_each_official_to_the_victims_decided(
    manage, archive, reviewer, client, tmp_path
):
    path = write_csv(tmp_path / "hearings.csv", _rows(), HEADER)
    run = manage("import_records", "hearings", path, "--source", archive.pk, "--as", "reviewer")
    assert run.code == 0, run.text
    assert Hearing.objects.count() == 3 and HearingOfficial.objects.count() == 4

    judge = client.get("/perpetrators/TEST-PH-1/").content.decode()
    assert "/victims/TEST-VH-1/#hearing-" in judge and "/victims/TEST-VH-2/#hearing-" in judge
    assert "TEST-VH-3" not in judge
    prosecutor = client.get("/perpetrators/TEST-PH-2/").content.decode()
    assert "/victims/TEST-VH-1/#hearing-" in prosecutor
    assert "/victims/TEST-VH-3/#hearing-" in prosecutor

    first = client.get("/victims/TEST-VH-1/").content.decode()
    assert 'href="/perpetrators/TEST-PH-1/"' in first and 'href="/perpetrators/TEST-PH-2/"' in first
    assert "religious judge" in first and "prosecutor" in first
    assert "Test import commission" in first
    third = client.get("/fa/victims/TEST-VH-3/").content.decode()
    assert "دادگاه آزمایشی" in third

    hearing = Hearing.objects.get(victim__ref="TEST-VH-1")
    assert {c.slug for c in hearing.charge_categories.all()} == {"moharebeh", "membership"}
    claims = set(Citation.objects.for_object(hearing).values_list("claim", "locator"))
    assert {("date", "row 2"), ("place", "row 2"), ("body", "row 2"), ("charges", "row 2"),
            ("decision", "row 2")} <= claims  # fmt: skip
    for seat in hearing.officials.all():
        assert Citation.objects.for_object(seat).get().locator == "row 2"
    court = Hearing.objects.get(victim__ref="TEST-VH-2")
    assert court.court_en == "Synthetic Revolutionary Court" and court.commission is None
    assert court.history.count() == 1


def test_every_bad_cell_is_named_by_its_row_and_column_and_nothing_is_written(
    manage, archive, tmp_path
):
    rows = [
        {**_rows()[0], "victim": "TEST-VH-9"},
        {**_rows()[1], "officials": "TEST-PH-9 (religious judge)"},
        {**_rows()[1], "victim": "TEST-VH-3", "officials": "TEST-PH-1 (executioner)"},
        {**_rows()[2], "date": "1988-13-45"},
        {**_rows()[2], "place": "Nowhere Synthetic Prison"},
        {**_rows()[2], "charge_categories": "jaywalking"},
    ]
    path = write_csv(tmp_path / "bad.csv", rows, HEADER)
    run = manage("import_records", "hearings", path)
    assert run.code == 1
    assert "row 2, victim: no victim with the ref 'TEST-VH-9'" in run.text
    assert "row 3, officials: no perpetrator with the ref 'TEST-PH-9'" in run.text
    assert "row 4, officials: the role of TEST-PH-1: 'executioner' is not one of" in run.text
    assert "row 5, date: '1988-13-45' is not a date" in run.text
    assert "row 6, place: no place called 'Nowhere Synthetic Prison'" in run.text
    assert "row 7, charge_categories: no charge category 'jaywalking'" in run.text
    assert not Hearing.objects.exists() and not HearingOfficial.objects.exists()


def test_a_hearing_after_the_victims_death_is_refused_by_row_and_column(
    manage, archive, reviewer, tmp_path
):
    import datetime

    from victims.models import Victim

    Victim.objects.filter(ref="TEST-VH-1").update(
        death_date=datetime.date(1988, 8, 1), death_date_precision="day"
    )
    path = write_csv(tmp_path / "late.csv", _rows()[:1], HEADER)
    run = manage("import_records", "hearings", path, "--as", "reviewer")
    assert run.code == 1
    assert "row 2, date: The hearing is dated after the date of death" in run.text


def test_a_hearing_of_a_published_victim_needs_a_source(manage, archive, reviewer, tmp_path):
    path = write_csv(tmp_path / "uncited.csv", _rows()[:1], HEADER)
    run = manage("import_records", "hearings", path, "--as", "reviewer")
    assert run.code == 1
    assert "victim TEST-VH-1 is published: a hearing added to its page must be cited" in run.text
    assert not Hearing.objects.exists()


def test_the_export_reads_back_with_officials_and_categories(manage, archive, reviewer, tmp_path):
    path = write_csv(tmp_path / "hearings.csv", _rows(), HEADER)
    assert manage("import_records", "hearings", path, "--source", archive.pk,
                  "--as", "reviewer").code == 0  # fmt: skip
    out = tmp_path / "out.csv"
    assert manage("export_records", "hearings", out).code == 0
    exported = list(csv.DictReader(out.open(encoding="utf-8")))
    first = next(r for r in exported if r["victim"] == "TEST-VH-1")
    assert first["officials"] == "TEST-PH-1 (religious judge); TEST-PH-2 (prosecutor)"
    assert first["charge_categories"] == "membership; moharebeh"
    assert first["body"] == "test-import-commission" and first["date"] == "1988-08-10"
    Hearing.objects.all().delete()
    again = manage("import_records", "hearings", out, "--source", archive.pk, "--as", "reviewer")
    assert again.code == 0, again.text
    assert HearingOfficial.objects.count() == 4
    assert not Perpetrator.objects.filter(ref__startswith="P-").exists()
