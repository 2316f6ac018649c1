"""The admin's import screen reads the same columns with the same checks as the command,
and records who imported what."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from tests.factories import SourceFactory
from tests.imports.conftest import format_value, import_through_admin, upload
from victims.models import Victim

pytestmark = pytest.mark.django_db

GOOD = (
    "ref,name_latin,name_fa,birth_year,death_date,publication_status\n"
    "T-1,Ali Karimi,علی کریمی,1955,1988-08,published\n"
    "T-2,,مریم احمدی,,1988,draft\n"
)


def test_a_reviewer_imports_a_file_through_preview_and_confirm(reviewer_client, reviewer):
    source = SourceFactory(title="Synthetic list the file comes from")
    preview = upload(reviewer_client, GOOD, source=source.pk)
    assert preview.status_code == 200
    assert Victim.objects.count() == 0  # the preview writes nothing
    form = preview.context["confirm_form"]
    assert form is not None

    done = reviewer_client.post(
        reverse("admin:victims_victim_process_import"),
        {name: form.initial.get(name, "") for name in form.fields},
    )

    assert done.status_code == 302
    ali = Victim.objects.get(ref="T-1")
    assert (ali.death_date_precision, ali.publication_status) == ("month", "published")
    assert ali.name_keys
    entry = ali.history.get()
    assert entry.history_user == reviewer
    assert entry.history_change_reason == "import from list.csv"
    cited = ali.citations.filter(source=source)
    assert sorted(cited.values_list("claim", "locator")) == [
        ("birth_year", "row 2"), ("death_date", "row 2"), ("name_fa", "row 2"),
        ("name_latin", "row 2"),
    ]  # fmt: skip


def _import_message(client, source, language) -> str:
    """The one message the admin shows after a file (``GOOD``) is previewed and confirmed."""
    headers = {"accept-language": language}
    preview = upload(client, GOOD, source=source.pk, headers=headers)
    form = preview.context["confirm_form"]
    done = client.post(
        reverse("admin:victims_victim_process_import"),
        {name: form.initial.get(name, "") for name in form.fields},
        headers=headers,
        follow=True,
    )
    shown = [str(message) for message in done.context["messages"]]
    assert len(shown) == 1, shown
    return shown[0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Import finished: 2 new, 0 updated, 0 deleted and 0 skipped victims."),
        ("fa", "درون‌ریزی تمام شد: ۲ تازه، ۰ به‌روزشده، ۰ حذف‌شده و ۰ بی‌تغییر، از "),
    ],
)
def test_the_message_after_an_import_counts_in_the_readers_digits(
    reviewer_client, language, expected
):
    source = SourceFactory(title="Synthetic list the file comes from")
    assert _import_message(reviewer_client, source, language).startswith(expected)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Import finished: 0 new, 0 updated, 0 deleted and 2 skipped victims."),
        ("fa", "درون‌ریزی تمام شد: ۰ تازه، ۰ به‌روزشده، ۰ حذف‌شده و ۲ بی‌تغییر، از "),
    ],
)
def test_a_file_sent_again_counts_its_rows_as_unchanged_not_as_refused(
    reviewer_client, language, expected
):
    # The Persian message called them "ردشده" (refused): a researcher looked for errors
    # in rows the archive already held as they were.
    source = SourceFactory(title="Synthetic list the file comes from")
    _import_message(reviewer_client, source, language)

    assert _import_message(reviewer_client, source, language).startswith(expected)
    assert Victim.objects.count() == 2


def test_the_admin_refuses_to_publish_a_row_when_no_source_is_chosen(reviewer_client):
    page = upload(reviewer_client, GOOD)

    text = page.content.decode()
    assert "this row publishes the record, but the import cites no source" in text
    assert reverse("admin:victims_victim_process_import") not in text  # nothing to confirm


def test_the_preview_shows_the_same_row_errors_as_the_command(reviewer_client):
    page = upload(reviewer_client, GOOD.replace("1955", "nineteen-fifty"))

    text = page.content.decode()
    assert "&#x27;nineteen-fifty&#x27; is not a year" in text
    assert reverse("admin:victims_victim_process_import") not in text  # nothing to confirm
    assert Victim.objects.count() == 0


def test_a_persian_reader_sees_the_row_in_persian_digits_and_why_a_date_is_not_one(
    reviewer_client,
):
    text = GOOD.replace("1988-08,published", "1988-13,draft").replace("T-2,,", "T-2,Testname,")
    text = text.replace(",1988,draft", ",1988-02-30,draft")
    page = upload(reviewer_client, text, headers={"accept-language": "fa"})

    shown = page.content.decode()
    assert "ردیف ۲" in shown and "ردیف ۳" in shown  # the header is row 1
    # The row and the column joined the Persian way, the Latin column isolated from the
    # Persian sentence around it.
    assert "ردیف ۲، <bdi>death_date</bdi>: " in shown
    # Python's own words ("month must be in 1..12") are not shown to a Persian reader.
    assert "ماه باید از ۱ تا ۱۲ باشد" in shown and "1..12" not in shown
    assert "آن ماه روز 30 ندارد" in shown
    assert Victim.objects.count() == 0


def _preview(page) -> tuple[list[str], list[dict]]:
    """The preview table's headings as read (tags dropped) and its rows, each by the
    file's column name (the last word of its heading; the first column says what the
    import does with the row)."""
    html = page.content.decode()
    table = re.search(r'<table class="import-preview"[^>]*>(.*?)</table>', html, re.S).group(1)

    def text(cell):
        return " ".join(re.sub(r"<[^>]+>", " ", cell).split())

    headings = [text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    columns = [h.split()[-1] for h in headings[1:]]
    rows = [
        [text(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r'<tr class="new">(.*?)</tr>', table, re.S)
    ]
    return headings, [dict(zip(columns, cells, strict=True)) for cells in rows]


@pytest.mark.parametrize(
    ("language", "headings", "first", "second"),
    [
        (
            "fa",
            ["سال تولد birth_year", "تاریخ مرگ death_date", "وضعیت انتشار publication_status"],
            ("۱۹۵۵", "۱۹۸۸-۰۸", "منتشرشده"),
            ("", "۱۹۸۸", "پیش‌نویس"),
        ),
        (
            "en",
            ["birth_year", "death_date", "publication_status"],
            ("1955", "1988-08", "published"),
            ("", "1988", "draft"),
        ),
    ],
)
def test_the_preview_heads_its_columns_and_writes_numbers_and_choices_as_the_reader_reads(
    reviewer_client, language, headings, first, second
):
    source = SourceFactory(title="Synthetic list the file comes from")
    page = upload(reviewer_client, GOOD, source=source.pk, headers={"accept-language": language})

    shown, rows = _preview(page)
    columns = ["birth_year", "death_date", "publication_status"]
    assert [h for h in shown if h and h.split()[-1] in columns] == headings
    assert [tuple(row[c] for c in columns) for row in rows] == [first, second]
    # Names and refs are data: as the file gives them, whatever the reader's language.
    assert [(row["ref"], row["name_latin"], row["name_fa"]) for row in rows] == [
        ("T-1", "Ali Karimi", "علی کریمی"), ("T-2", "", "مریم احمدی"),
    ]  # fmt: skip
    assert Victim.objects.count() == 0


def test_the_preview_marks_what_a_row_adds_without_style_attributes_the_csp_refuses(
    reviewer_client,
):
    text = 'ref,name_latin\nT-1,Ali style="x" Karimi\n'
    page = upload(reviewer_client, text, source=SourceFactory().pk)

    html = page.content.decode()
    table = re.search(r'<table class="import-preview"[^>]*>(.*?)</table>', html, re.S).group(1)
    # The site's CSP (style-src 'self') refuses style attributes: the library wrote one
    # on every changed cell, and the browser dropped its colour with a console error.
    assert '<ins>Ali style="x" Karimi</ins>' in table  # a value's own text stays
    assert not re.search(r"<(ins|del|span)[^>]* style=", table)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_persian_windows_file_is_explained_in_the_admin_as_the_command_explains_it(
    reviewer_client, language
):
    url = reverse("admin:victims_victim_import")
    windows = "ref,name_fa\nT-1,علی کریمی\nT-2,حسن رضایی\n".encode("cp1256", "replace")
    page = reviewer_client.post(
        url,
        {"format": format_value(reviewer_client, url),
         "import_file": SimpleUploadedFile("list.csv", windows, "text/csv")},
        headers={"accept-language": language},
    )  # fmt: skip

    # What a reader sees: the bidirectional isolates around the Latin words left out.
    shown = page.content.decode().translate(dict.fromkeys(range(0x2066, 0x206A)))
    assert "UnicodeDecodeError" not in shown
    assert "Windows-1256" in shown and "CSV UTF-8 (Comma delimited)" in shown
    if language == "fa":
        assert "با کدگذاری UTF-8 نیست" in shown
    assert Victim.objects.count() == 0


def test_a_researcher_cannot_publish_through_the_import_screen(researcher_client):
    page = upload(researcher_client, GOOD)

    text = page.content.decode()
    assert "only a reviewer may publish" in text
    assert reverse("admin:victims_victim_process_import") not in text


@pytest.mark.parametrize(
    ("prefer", "record_date", "version"), [("", "1988-08", "1988-09"), ("on", "1988-09", "")]
)
def test_the_admin_import_keeps_a_differing_date_as_a_version_unless_the_source_is_preferred(
    reviewer_client, prefer, record_date, version
):
    first = SourceFactory(title="Synthetic first list")
    second = SourceFactory(title="Synthetic second list")
    import_through_admin(reviewer_client, GOOD, source=first.pk)
    other = GOOD.replace("1955,1988-08", "1955,1988-09").replace(
        "T-2,,مریم احمدی,,1988,draft\n", ""
    )

    import_through_admin(reviewer_client, other, source=second.pk, prefer_source=prefer)

    ali = Victim.objects.get(ref="T-1")
    assert ali.death_date.isoformat()[:7] == record_date
    by_second = ali.citations.get(source=second, claim="death_date")
    assert by_second.value == version
    if prefer:  # the first list's August is kept as its version, not lost
        assert ali.citations.get(source=first, claim="death_date").value == "1988-08"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_after_an_admin_import_searches_are_planned_for_the_victims_it_wrote(reviewer_client):
    # Without fresh statistics a search right after an import into a young archive was
    # planned for an empty table (126-136 ms of the server a search, against 4.8).
    source = SourceFactory(
        title="Synthetic list the file comes from", publication_status="published"
    )
    rows = "".join(f"TEST-PLAN-{i},Testname Planned{i},,,1988-08,draft\n" for i in range(400))
    preview = upload(reviewer_client, GOOD.splitlines()[0] + "\n" + rows, source=source.pk)
    form = preview.context["confirm_form"]
    done = reviewer_client.post(
        reverse("admin:victims_victim_process_import"),
        {name: form.initial.get(name, "") for name in form.fields},
    )

    assert done.status_code == 302 and Victim.objects.count() == 400
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'victims_victim'")
        assert cursor.fetchone()[0] == 400


def test_the_persian_import_screen_explains_a_file_with_no_data_in_persian(reviewer_client):
    url = "/admin/victims/victim/import/"
    page = reviewer_client.post(
        url,
        {"format": format_value(reviewer_client, url),
         "import_file": SimpleUploadedFile("empty.csv", b"ref,name_latin\n", "text/csv")},
        HTTP_ACCEPT_LANGUAGE="fa",
    ).content.decode()  # fmt: skip
    assert "داده‌ای معتبر برای درون‌ریزی پیدا نشد" in page
    assert "No valid data to import" not in page


def test_the_preview_can_be_scrolled_from_the_keyboard_and_names_each_column(reviewer_client):
    page = upload(reviewer_client, GOOD, source=SourceFactory().pk)

    html = page.content.decode()
    # axe-core: a region that scrolls sideways (a wide file) must take the keyboard's focus,
    # and a column heading must not be empty (the first column says what each row does).
    assert '<table class="import-preview" tabindex="0" aria-label="Preview">' in html
    first = re.search(r'<table class="import-preview".*?<th[^>]*>(.*?)</th>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", first).strip() == "Action"


SOURCES = (
    "id,kind,title,is_private,received_date\n"
    ",testimony,Synthetic testimony,yes,2024-03-01\n"
    ",ngo_report,Synthetic report,no,\n"
)


@pytest.mark.parametrize(
    ("language", "heading", "cells"),
    [("fa", "شناسه id", ["بله", "خیر"]), ("en", "id", ["yes", "no"])],
)
def test_the_preview_names_the_id_column_and_writes_yes_or_no_in_the_readers_language(
    reviewer_client, language, heading, cells
):
    url = reverse("admin:sources_source_import")
    page = reviewer_client.post(
        url,
        {"format": format_value(reviewer_client, url),
         "import_file": SimpleUploadedFile("sources.csv", SOURCES.encode(), "text/csv")},
        headers={"accept-language": language},
    )  # fmt: skip

    shown, rows = _preview(page)
    # The id column, headed as the others: its name in the reader's language, the
    # file's column name beneath (Persian pages wrote "id" alone, in Latin).
    assert shown[1] == heading
    # A yes/no cell as the reader reads it (Persian pages wrote "yes" and "no").
    assert [row["is_private"] for row in rows] == cells


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_file_longer_than_the_screen_takes_is_refused_with_its_length_and_the_way_to_import_it(
    reviewer_client, monkeypatch, language
):
    from archive.core.importing import resource as importing_resource

    # (The screen takes 500 rows: a preview must answer before gunicorn stops it.)
    monkeypatch.setattr(importing_resource, "SCREEN_ROWS", 2)
    rows = [f"T-{i},Synthetic Person {i},draft\n" for i in range(1, 4)]
    header = "ref,name_latin,publication_status\n"

    page = upload(reviewer_client, header + "".join(rows), headers={"accept-language": language})

    text = page.content.decode()
    if language == "en":
        assert "This file has 3 rows; the import screen takes at most 2 at a time." in text
        assert "import_records" in text
    else:
        assert "این پرونده ۳ ردیف دارد؛ صفحهٔ درون‌ریزی هر بار دست‌بالا ۲ ردیف" in text
    assert "Confirm import" not in text and "confirm_form" not in (page.context or {})
    assert Victim.objects.count() == 0
    assert upload(reviewer_client, header + "".join(rows[:2])).context["confirm_form"]
