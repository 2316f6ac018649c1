"""A list repeats its years, dates, choices and places on thousands of rows, and names
from a few hundred: the import reads each distinct cell once, keeps each field's check
of a value and each name's search keys. What a researcher sees must not change: every
row with a bad cell gets its own message, a new place is made once, and the search keys
stored are those a save through the admin computes. Synthetic people only."""

import pytest

from archive.core.importing import import_file
from archive.core.models import Place
from archive.core.names import keys as name_keys_module
from tests.imports.conftest import write_csv
from victims.models import Victim

pytestmark = pytest.mark.django_db

HEADER = ["ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year",
          "prison", "death_date", "publication_status"]  # fmt: skip


def row(i: int, **cells) -> dict:
    values = {
        "ref": f"TEST-REP-{i}", "name_latin": "Testali Repeatpour", "name_fa": "تستعلی تکرارپور",
        "aliases": "Test-Ali Repeat-Pour", "father_name": "Testhassan", "gender": "male",
        "birth_year": "1960", "prison": "Test Repeat Prison", "death_date": "1988-08",
        "publication_status": "draft",
    }  # fmt: skip
    values.update(cells)
    return values


def test_a_bad_cell_repeated_on_many_rows_is_reported_on_every_one_of_them(tmp_path):
    rows = [row(i) for i in range(6)]
    for i in (1, 3, 5):
        rows[i]["birth_year"] = "nineteen-sixty"
        rows[i]["gender"] = "mail"
    path = write_csv(tmp_path / "repeat.csv", rows, HEADER)

    report = import_file("victims", path)

    lines = [str(problem) for problem in report.problems]
    for number in (3, 5, 7):
        assert f"row {number}, birth_year: 'nineteen-sixty' is not a year" in lines
        assert any(line.startswith(f"row {number}, gender: 'mail' is not one of") for line in lines)
    assert not any(line.startswith(("row 2,", "row 4,", "row 6,")) for line in lines)
    assert not Victim.objects.filter(ref__startswith="TEST-REP-").exists()


def test_a_new_prison_named_on_many_rows_is_made_once_and_every_row_points_to_it(tmp_path):
    path = write_csv(tmp_path / "repeat.csv", [row(i) for i in range(5)], HEADER)

    report = import_file("victims", path)

    assert report.ok, report.problems
    prisons = Place.objects.filter(name_en="Test Repeat Prison")
    assert prisons.count() == 1
    assert set(
        Victim.objects.filter(ref__startswith="TEST-REP-").values_list("prison", flat=True)
    ) == {prisons.get().pk}


def test_the_search_keys_an_import_stores_are_those_a_save_computes(tmp_path):
    names = [("Testmohammad Reza Repeatpour", "محمدرضا تکرارپور", "Hasan"),
             ("Seyed Testali Repeat-Pour", "سید تستعلی تکرارپور", "Testhassan"),
             ("Testmohammad Reza Repeatpour", "", "Hasan")]  # fmt: skip
    rows = [
        row(i, name_latin=latin, name_fa=fa, father_name=father)
        for i, (latin, fa, father) in enumerate(names * 3)
    ]
    path = write_csv(tmp_path / "repeat.csv", rows, HEADER)

    assert import_file("victims", path).ok

    # Nothing kept from the import: every name tokenised and keyed afresh.
    for cached in (name_keys_module._tokens, name_keys_module.token_key):
        cached.cache_clear()
    name_keys_module._keys_of_name.cache_clear()
    for stored in Victim.objects.filter(ref__startswith="TEST-REP-"):
        fresh = Victim(
            name_latin=stored.name_latin, name_fa=stored.name_fa, aliases=stored.aliases,
            father_name=stored.father_name,
        )  # fmt: skip
        fresh.refresh_name_keys()
        assert stored.name_keys == fresh.name_keys


def test_an_import_leaves_no_object_kept_from_the_garbage_collector(tmp_path):
    # The import keeps what outlives each batch out of the collector's passes while it
    # runs (``archive.core.collector.FrozenHeap``): afterwards the process is as it was,
    # whether the file was written or refused.
    import gc

    assert gc.get_freeze_count() == 0
    path = write_csv(tmp_path / "repeat.csv", [row(i) for i in range(5)], HEADER)
    assert import_file("victims", path, batch_size=2).ok
    assert gc.get_freeze_count() == 0
    bad = [row(10), row(11, birth_year="nineteen-sixty")]
    assert not import_file("victims", write_csv(tmp_path / "bad.csv", bad, HEADER)).ok
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_its_objects_keeps_them_frozen_after_an_import(tmp_path):
    # A web worker freezes its application at start (``archive.wsgi``); an import in the
    # admin must not thaw it.
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        path = write_csv(tmp_path / "repeat.csv", [row(i) for i in range(3)], HEADER)
        assert import_file("victims", path).ok
        # Still frozen (fewer only as frozen objects were freed), none thawed or added.
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
