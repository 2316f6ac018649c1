"""A file with bad rows changes nothing, and the researcher is told every bad row, its
column and the reason, in words."""

import codecs

import pytest

from archive.core.models import Place
from tests.factories import PlaceFactory, VictimFactory
from tests.imports.conftest import write_csv
from victims.models import Victim

pytestmark = pytest.mark.django_db


def test_a_year_in_words_is_reported_by_row_and_column_and_nothing_is_written(
    tmp_path, manage, rows
):
    rows[1]["birth_year"] = "nineteen-fifty"
    path = write_csv(tmp_path / "three.csv", rows)

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "row 3, birth_year: 'nineteen-fifty' is not a year" in run.err
    assert "row 1 is the header" in run.err
    assert "Traceback" not in run.text
    assert Victim.objects.count() == 0


def test_every_bad_row_is_reported_not_only_the_first(tmp_path, manage, rows):
    rows[0]["gender"] = "man?"
    rows[1]["publication_status"] = "public"
    rows[2]["name_fa"] = ""
    path = write_csv(tmp_path / "bad.csv", rows)

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "row 2, gender: 'man?' is not one of: male, female, other" in run.err
    assert (
        "row 3, publication_status: 'public' is not one of: draft, in_review, published, "
        "withdrawn" in run.err
    )
    assert "row 4, name_latin/name_fa: Give a name in Latin script" in run.err
    assert Victim.objects.count() == 0


def test_a_bad_row_after_many_good_batches_still_leaves_the_database_untouched(tmp_path, manage):
    good = [{"ref": f"T-{i}", "name_latin": f"Person {i}"} for i in range(30)]
    good.append({"ref": "T-bad", "name_latin": "Bad", "birth_year": "19x0"})
    path = write_csv(tmp_path / "long.csv", good, header=["ref", "name_latin", "birth_year"])

    run = manage("import_records", "victims", path, "--batch-size", "7")

    assert run.code == 1
    assert "row 32, birth_year: '19x0' is not a year" in run.err
    assert Victim.objects.count() == 0


def test_an_update_that_fails_leaves_the_existing_record_as_it_was(tmp_path, manage):
    VictimFactory(ref="T-1", name_latin="Old Name", publication_status="draft")
    path = write_csv(
        tmp_path / "u.csv",
        [{"ref": "T-1", "name_latin": "New Name"}, {"ref": "T-2", "name_latin": ""}],
    )

    assert manage("import_records", "victims", path).code == 1
    assert Victim.objects.get(ref="T-1").name_latin == "Old Name"


def test_a_ref_given_twice_names_both_rows(tmp_path, manage, rows):
    rows[2]["ref"] = "T-1"
    path = write_csv(tmp_path / "dup.csv", rows)

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "row 4, ref: 'T-1' is also the ref of row 2" in run.err
    assert Victim.objects.count() == 0


def test_a_missing_required_column_is_named_with_the_expected_ones(tmp_path, manage):
    path = tmp_path / "noref.csv"
    path.write_text("name_latin,birth_year\nAli,1950\n", encoding="utf-8")

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "no column 'ref'" in run.err
    assert "expected columns: ref, name_latin, name_fa" in run.err


def test_a_latin1_file_is_refused_with_how_to_save_it_as_utf8(tmp_path, manage):
    path = tmp_path / "latin1.csv"
    path.write_bytes("ref,name_latin\nT-1,José Müller\n".encode("latin-1"))

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "is not UTF-8" in run.err
    assert "Latin-1" in run.err
    assert "CSV UTF-8" in run.err
    assert Victim.objects.count() == 0


def test_a_utf16_file_is_refused_with_what_was_detected(tmp_path, manage):
    path = tmp_path / "utf16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "ref,name_fa\nT-1,علی\n".encode("utf-16-le"))

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "is not UTF-8: it looks like UTF-16" in run.err


def test_a_persian_windows_file_is_recognised(tmp_path, manage):
    path = tmp_path / "cp1256.csv"
    path.write_bytes("ref,name_fa\nT-1,علی کریمی\nT-2,حسن رضایی\n".encode("cp1256", "replace"))

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "Windows-1256" in run.err


def test_an_empty_file_and_an_unknown_extension_are_explained(tmp_path, manage):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    header_only = write_csv(tmp_path / "header.csv", [], header=["ref", "name_latin"])
    doc = tmp_path / "people.docx"
    doc.write_bytes(b"PK")

    assert "empty.csv is empty" in manage("import_records", "victims", empty).err
    assert "has a header but no records" in manage("import_records", "victims", header_only).err
    run = manage("import_records", "victims", doc)
    assert run.code == 1
    assert "unknown file type '.docx'. Use one of .csv, .xlsx, .json" in run.err


def test_an_unknown_column_is_a_warning_not_a_failure(tmp_path, manage, rows):
    for row in rows:
        row["notes_from_ngo"] = "x"
        row["publication_status"] = "draft"
    path = write_csv(tmp_path / "extra.csv", rows)

    run = manage("import_records", "victims", path)

    assert run.code == 0
    assert "warning: column 'notes_from_ngo'" in run.err
    assert Victim.objects.count() == 3


def test_a_misspelt_prison_is_refused_with_the_close_names(tmp_path, manage):
    PlaceFactory(name_en="Evin Prison", name_fa="زندان اوین", kind="prison")
    path = write_csv(
        tmp_path / "p.csv", [{"ref": "T-1", "name_latin": "A", "prison": "Evn Prison"}]
    )

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "row 2, prison: no prison called 'Evn Prison'; did you mean 'Evin Prison'?" in run.err
    assert Place.objects.count() == 1


def test_a_prison_is_found_by_either_script_or_without_the_word_prison(tmp_path, manage):
    evin = PlaceFactory(name_en="Evin Prison", name_fa="زندان اوین", kind="prison")
    path = write_csv(
        tmp_path / "p.csv",
        [
            {"ref": "T-1", "name_latin": "A", "prison": "evin prison"},
            {"ref": "T-2", "name_latin": "B", "prison": "زندان اوين"},  # Arabic yeh
            {"ref": "T-3", "name_latin": "C", "prison": "Evin"},
        ],
    )

    assert manage("import_records", "victims", path).code == 0
    assert set(Victim.objects.values_list("prison", flat=True)) == {evin.pk}


def test_a_new_prison_is_created_and_named_in_the_report(tmp_path, manage):
    PlaceFactory(name_en="Evin Prison", kind="prison")
    path = write_csv(
        tmp_path / "p.csv",
        [
            {"ref": "T-1", "name_latin": "A", "prison": "Vakilabad Prison"},
            {"ref": "T-2", "name_latin": "B", "prison": "Vakilabad Prison"},
        ],
    )

    run = manage("import_records", "victims", path)

    assert run.code == 0
    assert "place 'Vakilabad Prison'" in run.out
    assert Place.objects.filter(kind="prison", name_en="Vakilabad Prison").count() == 1


def test_an_unknown_event_is_refused_with_the_known_slugs(tmp_path, manage, seed):
    path = write_csv(tmp_path / "e.csv", [{"ref": "T-1", "name_latin": "A", "event": "1988"}])

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "row 2, event: no event with the slug '1988'; known: 1988-massacre" in run.err


def test_dates_give_their_precision_and_solar_hijri_months_are_refused(tmp_path, manage):
    path = write_csv(
        tmp_path / "d.csv",
        [
            {"ref": "T-1", "name_latin": "A", "death_date": "1988", "arrest_date": "1981-09"},
            {"ref": "T-2", "name_latin": "B", "death_date": "1988-08-15", "arrest_date": ""},
            {"ref": "T-3", "name_latin": "C", "death_date": "۱۳۶۷-۰۵-۱۰", "arrest_date": ""},
        ],
    )
    assert manage("import_records", "victims", path).code == 0
    one, two, three = Victim.objects.order_by("ref")
    assert (one.death_date.isoformat(), one.death_date_precision) == ("1988-01-01", "year")
    assert (one.arrest_date.isoformat(), one.arrest_date_precision) == ("1981-09-01", "month")
    assert (two.death_date.isoformat(), two.death_date_precision) == ("1988-08-15", "day")
    assert three.death_date.isoformat() == "1988-08-01"

    bad = write_csv(
        tmp_path / "b.csv", [{"ref": "T-9", "name_latin": "D", "death_date": "1367-05"}]
    )
    run = manage("import_records", "victims", bad)
    assert "row 2, death_date: '1367-05' looks like a Solar Hijri year or month" in run.err


def test_a_death_before_birth_is_a_row_error(tmp_path, manage):
    path = write_csv(
        tmp_path / "d.csv", [{"ref": "T-1", "name_latin": "A", "birth_year": "1990",
                              "death_date": "1988-08"}]
    )  # fmt: skip
    run = manage("import_records", "victims", path)
    assert "row 2, death_date: The date of death is before the year of birth." in run.err
