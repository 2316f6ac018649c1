"""What a good file does: creates and updates by ref, keeps history and search keys,
and a dry run writes nothing."""

import pytest

from archive.core import names
from archive.core.search import search
from tests.factories import VictimFactory
from tests.imports.conftest import write_csv
from victims.models import Victim

pytestmark = pytest.mark.django_db


def test_a_good_file_creates_every_record(tmp_path, manage, cited, rows, reviewer):
    path = write_csv(tmp_path / "good.csv", rows)

    run = manage("import_records", "victims", path, "--as", "reviewer", *cited)

    assert run.code == 0
    assert "3 victims were created, 0 updated" in run.out
    ali = Victim.objects.get(ref="T-1")
    assert (ali.name_fa, ali.father_name, ali.gender, ali.birth_year) == (
        "علی کریمی", "Hassan", "male", 1955,
    )  # fmt: skip
    assert Victim.objects.get(ref="T-3").publication_status == "published"
    assert Victim.objects.get(ref="T-3").published_at is not None


def test_a_dry_run_reports_the_same_and_writes_nothing(tmp_path, manage, cited, rows, reviewer):
    path = write_csv(tmp_path / "good.csv", rows)

    run = manage("import_records", "victims", path, "--dry-run", "--as", "reviewer", *cited)

    assert run.code == 0
    assert "3 victims would be created" in run.out
    assert "dry run: nothing was written" in run.out
    assert Victim.objects.count() == 0
    assert Victim.history.count() == 0


def test_a_dry_run_of_a_bad_file_reports_its_rows(tmp_path, manage, rows):
    rows[1]["birth_year"] = "nineteen-fifty"
    path = write_csv(tmp_path / "bad.csv", rows)

    run = manage("import_records", "victims", path, "--dry-run")

    assert run.code == 1
    assert "row 3, birth_year: 'nineteen-fifty' is not a year" in run.err


def test_a_known_ref_updates_that_record_and_leaves_absent_columns_alone(tmp_path, manage):
    victim = VictimFactory(
        ref="T-1", name_latin="Ali Karimi", biography="Kept.", publication_status="draft"
    )
    path = write_csv(tmp_path / "u.csv", [{"ref": "T-1", "name_latin": "Ali Karimy",
                                             "birth_year": "1950"}])  # fmt: skip

    run = manage("import_records", "victims", path)

    assert run.code == 0
    assert "0 victims were created, 1 updated" in run.out
    victim.refresh_from_db()
    assert (victim.name_latin, victim.birth_year, victim.biography) == ("Ali Karimy", 1950, "Kept.")
    assert Victim.objects.count() == 1
    assert victim.name_keys == names.name_keys("Ali Karimy")  # keys follow the new spelling
    assert victim in search(Victim.objects.all(), "Ali Karimy")


def test_an_unchanged_row_is_left_alone_without_a_history_entry(
    tmp_path, manage, cited, rows, reviewer
):
    path = write_csv(tmp_path / "good.csv", rows)
    manage("import_records", "victims", path, "--as", "reviewer", *cited)

    run = manage("import_records", "victims", path)  # unchanged rows need no reviewer

    assert "0 victims were created, 0 updated, 3 unchanged" in run.out
    assert Victim.history.count() == 3


def test_history_says_who_imported_and_from_which_file(tmp_path, manage, cited, rows, reviewer):
    VictimFactory(ref="T-1", name_latin="Old", publication_status="draft")
    path = write_csv(tmp_path / "ngo-list-2024.csv", rows)

    # --update: the file is preferred, so T-1's name changes (without it, the file's
    # name would be kept as its source's version and the record's stay).
    assert (
        manage("import_records", "victims", path, "--as", "reviewer", *cited, "--update").code == 0
    )

    created = Victim.history.filter(ref="T-2").get()
    assert created.history_type == "+"
    assert created.history_user == reviewer
    assert created.history_change_reason == "import from ngo-list-2024.csv"
    updated = Victim.history.filter(ref="T-1").order_by("-history_id").first()
    assert updated.history_type == "~"
    assert updated.history_change_reason == "import from ngo-list-2024.csv"
    assert updated.name_latin == "Ali Karimi"


def test_a_researcher_named_as_importer_cannot_publish_by_import(
    tmp_path, manage, rows, researcher
):
    run = manage("import_records", "victims", write_csv(tmp_path / "l.csv", rows),
                 "--as", "researcher")  # fmt: skip

    assert run.code == 1
    assert "row 4, publication_status: only a reviewer may publish" in run.err
    assert Victim.objects.count() == 0


def test_from_the_command_line_without_user_history_has_no_user(tmp_path, manage, rows):
    rows[2]["publication_status"] = "in_review"
    assert manage("import_records", "victims", write_csv(tmp_path / "l.csv", rows)).code == 0
    entry = Victim.history.get(ref="T-1")
    assert entry.history_user is None
    assert entry.history_change_reason == "import from l.csv"


def test_an_unknown_user_is_refused(tmp_path, manage, rows):
    run = manage("import_records", "victims", write_csv(tmp_path / "l.csv", rows), "--as", "x")
    assert run.code == 1
    assert "no user called 'x'" in run.err
    assert Victim.objects.count() == 0


def test_imported_people_have_search_keys_and_are_found(tmp_path, manage, cited, rows, reviewer):
    manage(
        "import_records", "victims", write_csv(tmp_path / "l.csv", rows), "--as", "reviewer", *cited
    )

    assert all(Victim.objects.values_list("name_keys", flat=True))
    assert "T-1" in [v.ref for v in search(Victim.objects.all(), "Ali Karimi")]
    assert "T-3" in [v.ref for v in search(Victim.objects.all(), "Hossein Rezaei")]


def test_aliases_in_one_cell_become_one_per_line(tmp_path, manage):
    path = write_csv(tmp_path / "a.csv", [{"ref": "T-1", "name_latin": "Ali Karimi",
                                             "aliases": "Aly Karimy | علي كريمي"}])  # fmt: skip
    manage("import_records", "victims", path)
    assert Victim.objects.get().alias_list() == ["Aly Karimy", "علي كريمي"]


def test_json_rows_are_counted_as_records(tmp_path, manage):
    path = tmp_path / "v.json"
    path.write_text('[{"ref": "T-1", "name_latin": "A"}, {"ref": "T-2", "birth_year": "x"}]')

    run = manage("import_records", "victims", path)

    assert "record 2, birth_year: 'x' is not a year" in run.err
    assert "record 2, name_latin/name_fa" in run.err


def test_a_progress_line_is_written_when_asked(tmp_path, manage, cited, rows, reviewer):
    path = write_csv(tmp_path / "l.csv", rows)
    run = manage("import_records", "victims", path, "--progress", "--as", "reviewer", *cited)
    assert run.code == 0, run.err
    assert "3 rows done" in run.err
    assert "rows/s" in run.err


def test_no_progress_line_when_not_on_a_terminal(tmp_path, manage, cited, rows, reviewer):
    path = write_csv(tmp_path / "l.csv", rows)
    run = manage("import_records", "victims", path, "--as", "reviewer", *cited)
    assert run.code == 0, run.err
    assert "rows done" not in run.err
