"""An import knows how far through its file it is (``Table.share_read``), and tells the
duplicate check with each batch, so that the check can project what the whole file will
cost it: a long file that meets many people reads the archive at once rather than batch
after batch first (issue 26, ``StoredMatcher.matches``)."""

import json

import pytest
from openpyxl import Workbook

from archive.core.importing.readers import open_table
from archive.core.importing.run import import_file
from tests.imports.conftest import write_csv, write_json
from victims.resources import VictimResource

ROWS = 600


def people(n: int = ROWS) -> list[dict]:
    """Synthetic rows, each with a biography over three lines (a file's lines are not
    its rows)."""
    return [
        {"ref": f"SHARE-{i:04d}", "name_latin": f"Synthetic Person {i}", "gender": "male",
         "biography": f"Synthetic test data, row {i}.\nA second line.\nA third line, "
                      + "x" * 2000}
        for i in range(n)
    ]  # fmt: skip


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def write_xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    book.save(path)
    return path


WRITERS = {"csv": write_csv, "json": write_json, "jsonl": write_jsonl, "xlsx": write_xlsx}


@pytest.mark.parametrize("suffix", WRITERS)
def test_a_file_read_a_quarter_at_a_time_says_so_whatever_its_format(tmp_path, suffix):
    table = open_table(WRITERS[suffix](tmp_path / f"list.{suffix}", people()))
    shares = []
    for i, _row in enumerate(table.rows, start=1):
        if i % (ROWS // 4) == 0 and i < ROWS:
            shares.append(table.share_read())
    shares.append(table.share_read())  # every row read

    # (A text file is read a block ahead of its rows, 8 KB, or 64 KB for a JSON list, of
    # about 1.3 MB here.)
    assert shares[:3] == pytest.approx([0.25, 0.5, 0.75], abs=0.06)
    assert shares[3] == 1.0


def test_each_batch_of_the_command_tells_the_check_how_far_through_the_file_it_is(
    db, tmp_path, monkeypatch
):
    told = []

    def possible_matches(self, rows, *, read=1.0):
        told.append((len(rows), read))
        return []

    monkeypatch.setattr(VictimResource, "possible_matches", possible_matches)
    path = write_csv(tmp_path / "list.csv", people())

    report = import_file("victims", path, dry_run=True, batch_size=ROWS // 3)

    assert report.ok
    assert [n for n, _read in told] == [ROWS // 3] * 3
    assert [read for _n, read in told] == pytest.approx([1 / 3, 2 / 3, 1.0], abs=0.06)
