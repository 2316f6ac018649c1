"""An import names the rows that are probably people already in the archive, and lets the
researcher skip them; nothing is merged. Synthetic people."""

import pytest

from tests.factories import PlaceFactory, VictimFactory
from tests.imports.conftest import write_csv
from victims.models import Victim

HEADER = ["ref", "name_latin", "name_fa", "father_name", "gender", "prison", "publication_status"]


@pytest.fixture
def in_the_archive(db):
    PlaceFactory(name_en="Gohardasht")
    return VictimFactory(ref="V-0002", name_latin="Mohammad Hosseini Tabrizi", father_name="Ali",
                         gender="male", prison=PlaceFactory(name_en="Testdasht"))  # fmt: skip


def _file(tmp_path):
    return write_csv(
        tmp_path / "list.csv",
        [
            {
                "ref": "T-10",
                "name_latin": "Testonly Newperson",
                "name_fa": "",
                "father_name": "Reza",
                "gender": "male",
                "prison": "",
                "publication_status": "draft",
            },
            {
                "ref": "T-11",
                "name_latin": "",
                "name_fa": "محمد حسینی تبریزی",
                "father_name": "علی",
                "gender": "male",
                "prison": "Testdasht",
                "publication_status": "draft",
            },
        ],
        HEADER,
    )


def test_the_dry_run_says_which_row_may_be_which_record_and_why(tmp_path, in_the_archive, manage):
    run = manage("import_records", "victims", _file(tmp_path), "--dry-run")
    assert run.code == 0, run.text
    line = next(x for x in run.out.splitlines() if "may be V-0002" in x)
    assert line.strip().startswith("row 3 may be V-0002, score 0.")
    assert "same name in another spelling" in line
    assert "same father's name" in line
    assert "row 2 may be" not in run.out
    assert "1 rows may be records already in the archive" in run.out


def test_by_default_the_matched_row_is_imported_and_reported_never_merged(
    tmp_path, in_the_archive, manage
):
    run = manage("import_records", "victims", _file(tmp_path))
    assert run.code == 0, run.text
    assert "row 3 may be V-0002" in run.out
    assert Victim.objects.filter(ref__in=["T-10", "T-11"]).count() == 2
    assert Victim.objects.get(ref="V-0002").aliases == ""  # nothing merged into it


def test_on_match_skip_leaves_the_matched_row_out(tmp_path, in_the_archive, manage):
    run = manage("import_records", "victims", _file(tmp_path), "--on-match=skip")
    assert run.code == 0, run.text
    assert "row 3 may be V-0002" in run.out
    assert "(1 skipped)" in run.out
    assert set(Victim.objects.values_list("ref", flat=True)) == {"V-0002", "T-10"}


@pytest.fixture
def an_official(db):
    from tests.factories import PerpetratorFactory

    return PerpetratorFactory(ref="P-0007", name_latin="Hossein-Ali Testnayyeri", cited=False)


def _officials(tmp_path):
    header = ["ref", "name_latin", "name_fa", "publication_status"]
    return write_csv(
        tmp_path / "officials.csv",
        [
            {
                "ref": "TP-1",
                "name_latin": "Testonly Official",
                "name_fa": "",
                "publication_status": "draft",
            },
            {
                "ref": "TP-2",
                "name_latin": "",
                "name_fa": "آیت‌الله حسینعلی تستنیری",
                "publication_status": "draft",
            },
        ],
        header,
    )


def test_a_perpetrator_import_names_the_official_already_in_the_archive(
    tmp_path, an_official, manage
):
    run = manage("import_records", "perpetrators", _officials(tmp_path), "--dry-run")
    assert run.code == 0, run.text
    line = next(x for x in run.out.splitlines() if "may be P-0007" in x)
    assert line.strip().startswith("row 3 may be P-0007, score ")
    assert "same name in another spelling" in line
    assert "row 2 may be" not in run.out


def test_a_perpetrator_import_skips_the_official_already_in_the_archive_when_asked(
    tmp_path, an_official, manage
):
    from perpetrators.models import Perpetrator

    run = manage("import_records", "perpetrators", _officials(tmp_path), "--on-match=skip")
    assert run.code == 0, run.text
    assert "(1 skipped)" in run.out
    assert set(Perpetrator.objects.values_list("ref", flat=True)) == {"P-0007", "TP-1"}
