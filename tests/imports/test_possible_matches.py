"""An import (the command, or the admin's screen) names the rows that are probably people
already in the archive, and lets the researcher skip them (the command); nothing is
merged. Synthetic people."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from archive.core.importing import resource as importing_resource
from archive.core.importing.resource import ArchiveResource
from tests.factories import PlaceFactory, VictimFactory
from tests.imports.conftest import format_value, import_through_admin, upload, write_csv
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


# --- The admin's import screen -------------------------------------------------------------


def test_the_admins_preview_names_the_row_that_may_be_a_record_already_there_and_links_it(
    tmp_path, in_the_archive, reviewer_client
):
    page = upload(reviewer_client, _file(tmp_path).read_text(encoding="utf-8"))

    text = page.content.decode()
    assert "Rows that may be records already in the archive" in text
    link = reverse("admin:victims_victim_change", args=[in_the_archive.pk])
    item = next(li for li in re.findall(r"<li dir=\"auto\">(.*?)</li>", text, re.S) if link in li)
    assert item.startswith(f'row 3 may be <a href="{link}"><bdi>V-0002</bdi></a> (score 0.')
    assert "same name in another spelling" in item and "same father&#x27;s name" in item
    # The rows the import writes in its preview are not found to be one another or
    # themselves: the archive is read before the first of them is written.
    assert "row 2 may be" not in text
    assert text.count(" may be <a href=") == 1
    assert Victim.objects.count() == 1  # a preview writes nothing


def test_the_admins_import_goes_on_with_the_matched_row_and_merges_nothing(
    tmp_path, in_the_archive, reviewer_client
):
    done = import_through_admin(reviewer_client, _file(tmp_path).read_text(encoding="utf-8"))

    assert done.status_code == 302
    assert set(Victim.objects.values_list("ref", flat=True)) == {"V-0002", "T-10", "T-11"}
    assert Victim.objects.get(ref="V-0002").aliases == ""


def test_a_persian_reader_is_told_which_row_may_be_which_record_in_persian(
    tmp_path, in_the_archive, reviewer_client
):
    page = upload(
        reviewer_client,
        _file(tmp_path).read_text(encoding="utf-8"),
        headers={"accept-language": "fa"},
    )

    text = page.content.decode()
    assert "ردیف‌هایی که شاید پرونده‌ای از پیش در آرشیو باشند" in text
    assert "ردیف ۳ شاید همان <a href=" in text
    assert "<bdi>V-0002</bdi></a> باشد (امتیاز ۰٫" in text
    assert "همان نام با املایی دیگر" in text


def test_the_admins_perpetrator_import_names_the_official_already_there(
    tmp_path, an_official, reviewer_client
):
    url = reverse("admin:perpetrators_perpetrator_import")
    page = reviewer_client.post(
        url,
        {
            "format": format_value(reviewer_client, url),
            "import_file": SimpleUploadedFile(
                "officials.csv", _officials(tmp_path).read_bytes(), "text/csv"
            ),
        },
    )

    text = page.content.decode()
    link = reverse("admin:perpetrators_perpetrator_change", args=[an_official.pk])
    assert f'row 3 may be <a href="{link}"><bdi>P-0007</bdi></a> (score ' in text
    assert "row 2 may be" not in text
    assert text.count(" may be <a href=") == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite reads every victim: no keys to make"
)
def test_a_preview_without_time_to_make_the_keys_says_it_did_not_check_and_the_next_checks(
    tmp_path, in_the_archive, reviewer_client, monkeypatch
):
    text = _file(tmp_path).read_text(encoding="utf-8")
    # The keys of the one person in the archive are not made yet (as after a large
    # import), and the screen has no time to make them.
    monkeypatch.setattr(importing_resource, "PREVIEW_KEYS_SECONDS", -1)

    first = upload(reviewer_client, text).content.decode()

    assert "Not checked for records already in the archive" in first
    assert "still making the search keys of 1 person added or renamed" in first
    assert " may be <a href=" not in first
    assert "Confirm import" in first  # the rows may still be imported
    persian = upload(reviewer_client, text, headers={"accept-language": "fa"}).content.decode()
    assert "آرشیو هنوز کلیدهای جست‌وجوی ۱ نفر را می‌سازد" in persian

    monkeypatch.setattr(importing_resource, "PREVIEW_KEYS_SECONDS", 10)
    second = upload(reviewer_client, text).content.decode()

    assert "Not checked for records already in the archive" not in second
    assert "row 3 may be <a href=" in second


@pytest.mark.parametrize("language", ["en", "fa"])
def test_rows_the_preview_had_no_time_to_check_are_named_and_the_rows_before_are_checked(
    tmp_path, in_the_archive, reviewer_client, monkeypatch, language
):
    # The row that may be V-0002 first, then a stranger; the screen checks a row at a
    # time and has no time left after the first.
    rows = list(reversed(_file(tmp_path).read_text(encoding="utf-8").splitlines()[1:]))
    text = "\n".join([",".join(HEADER), *rows]) + "\n"
    monkeypatch.setattr(importing_resource, "SCREEN_CHECK_ROWS", 1)
    chunks = iter([True])
    monkeypatch.setattr(ArchiveResource, "_has_time", lambda self: next(chunks, False))

    page = upload(reviewer_client, text, headers={"accept-language": language}).content.decode()

    if language == "en":
        assert "Not every row checked for records already in the archive" in page
        assert "1 row, from row 3 on, was not checked: the screen had no more time." in page
        assert "row 2 may be <a href=" in page
        assert "Confirm import" in page  # the researcher decides
    else:
        assert "۱ ردیف، از ردیف ۳ به بعد، بررسی نشد" in page
        assert "ردیف ۲ شاید همان <a href=" in page
    assert "row 3 may be" not in page and "ردیف ۳ شاید" not in page


def test_a_preview_with_time_to_check_every_row_says_nothing_of_unchecked_rows(
    tmp_path, in_the_archive, reviewer_client, monkeypatch
):
    monkeypatch.setattr(importing_resource, "SCREEN_CHECK_ROWS", 1)

    page = upload(reviewer_client, _file(tmp_path).read_text(encoding="utf-8")).content.decode()

    assert "Not every row checked" not in page
    assert "row 3 may be <a href=" in page  # checked in the second chunk


def test_a_preview_out_of_time_before_its_check_names_every_new_row_as_not_checked(
    tmp_path, in_the_archive, reviewer_client, monkeypatch
):
    # (The keys made and the file written took the screen's time: nothing is checked
    # rather than the answer stopped by gunicorn.)
    monkeypatch.setattr(importing_resource, "PREVIEW_SECONDS", -1)

    page = upload(reviewer_client, _file(tmp_path).read_text(encoding="utf-8")).content.decode()

    assert "2 rows, from row 2 on, were not checked: the screen had no more time." in page
    assert " may be <a href=" not in page
    assert "Confirm import" in page
