"""Reading CSV, XLSX, JSON and JSON Lines files into rows of cells, with spreadsheet row numbers."""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext

from archive.core.display import localized_digits
from archive.core.importing.report import FileProblem

EXTENSIONS = {".csv": "CSV", ".xlsx": "XLSX", ".json": "JSON", ".jsonl": "JSON Lines"}


# --- Reading files ----------------------------------------------------------------------


def save_as_utf8() -> str:
    return gettext(
        "Save it as UTF-8 and import it again: in Excel, 'Save As' > 'CSV UTF-8 (Comma "
        "delimited)'; in LibreOffice, 'Save As' > 'Text CSV' with the character set "
        "'Unicode (UTF-8)'; in Google Sheets, 'File' > 'Download' > 'CSV'."
    )


def _guess_encoding(sample: bytes) -> str:
    """A plain-words guess at what a file that is not UTF-8 is written in."""
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 (Excel's 'Unicode Text')"
    if sample and sample.count(b"\x00") > len(sample) // 4:
        return "UTF-16 without a byte-order mark"
    high = [b for b in sample if b >= 0x80]
    if high:
        arabic = sum(1 for ch in sample.decode("cp1256", "replace") if "\u0600" <= ch <= "\u06ff")
        if arabic >= len(high) * 0.6:
            return "Windows-1256 (Arabic/Persian Windows)"
    return "Latin-1 / Windows-1252 (Western European Windows)"


def not_utf8(name: str, head: bytes) -> str | None:
    """Why a file whose first bytes are ``head`` cannot be read as UTF-8, with what it
    looks like and how to save it as UTF-8; None when it can. The command and the admin's
    import screen say the same."""
    if head.startswith(
        (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ) or (head and head.count(b"\x00") > len(head) // 4):
        return gettext("%(file)s is not UTF-8: it looks like %(guess)s. %(advice)s") % {
            "file": name, "guess": _guess_encoding(head), "advice": save_as_utf8(),
        }  # fmt: skip
    try:
        # A multi-byte character may be cut at the end of the sample.
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            return gettext(
                "%(file)s is not UTF-8 (the first bad byte, 0x%(byte)02x, is on line "
                "%(line)s): it looks like %(guess)s. %(advice)s"
            ) % {
                "file": name, "byte": head[exc.start], "guess": _guess_encoding(head),
                "line": localized_digits(head[: exc.start].count(b"\n") + 1),
                "advice": save_as_utf8(),
            }  # fmt: skip
    return None


def _check_utf8(path: Path, head: bytes) -> None:
    problem = not_utf8(path.name, head)
    if problem:
        raise FileProblem(problem)


def cell_text(value) -> str:
    """A cell as text: spreadsheet numbers and dates as a person would type them."""
    if type(value) is str:  # a CSV's every cell: the rest is for spreadsheets and JSON
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return " | ".join(cell_text(v) for v in value)
    return str(value).strip()


def normalise_header(name) -> str:
    text = cell_text(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


# How a report names a row: "row N" for a sheet (counted as the spreadsheet does), "record N"
# for a file of records. The same words are a cell's citation locator.
ROW, RECORD = "row", "record"
_WHERE = re.compile(r"(row|record) ([0-9]+)")


def shown_where(where: str) -> str:
    """A row as the report or a locator names it ("row 5"), in the reader's language and
    digits ("ردیف ۵"); any other text as it is (a locator a researcher typed)."""
    found = _WHERE.fullmatch(where.strip())
    if found is None:
        return where
    label = gettext("row") if found[1] == ROW else gettext("record")
    return f"{label} {localized_digits(found[2])}"


@dataclass
class Table:
    """An opened file: its columns and an iterator over ``(where, row)`` pairs, where
    ``where`` is how the report names the row ("row 7", "record 3")."""

    columns: list[str]
    rows: Iterator[tuple[str, dict]]
    format: str
    # How far through the file the rows read so far go, from 0 to 1 (what an import's
    # duplicate check projects the file's cost from, ``import_file``): the share of its
    # bytes read, or of the rows its sheet states; 1 where that is not known.
    share_read: Callable[[], float] = lambda: 1.0


class _Reading:
    """The share of a file's bytes read through the handle it opens (read ahead of the
    rows by the handle's buffer, a few kilobytes: a share, not a position). A cell over
    many lines counts as its bytes, unlike a count of lines."""

    def __init__(self, path: Path):
        self.path = path
        self.size = max(path.stat().st_size, 1)
        self.handle = None

    def open(self, **kwargs):
        self.handle = self.path.open(**kwargs)
        return self.handle

    def __call__(self) -> float:
        if self.handle is None:
            return 0.0
        if self.handle.closed:
            return 1.0
        return min(1.0, self.handle.buffer.tell() / self.size)


def _rows_from_lists(header: list, lists: Iterator[list], first_number: int, label: str):
    columns = [normalise_header(h) for h in header]
    for number, values in enumerate(lists, start=first_number):
        cells = [cell_text(v) for v in values]
        if not any(cells):
            continue  # blank lines at the end of a sheet are not records
        if len(cells) > len(columns) and any(cells[len(columns) :]):
            yield (
                f"{label} {number}",
                {"__error__": f"{len(cells)} cells but the header has {len(columns)} columns"},
            )
            continue
        yield f"{label} {number}", {c: v for c, v in zip(columns, cells, strict=False) if c}


def _read_csv(path: Path) -> Table:
    with path.open("rb") as raw:
        head = raw.read(1 << 20)
    _check_utf8(path, head)
    text_head = head.decode("utf-8-sig", "ignore")
    first_line = text_head.splitlines()[0] if text_head.strip() else ""
    if not first_line.strip():
        raise FileProblem(f"{path.name} is empty: it has no header row.")
    # Excel in many European locales writes semicolons; a tab means a pasted table.
    delimiter = max([",", ";", "\t"], key=lambda d: (first_line.count(d), d == ","))

    reading = _Reading(path)

    def lists():
        with reading.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            try:
                yield from reader
            except UnicodeDecodeError as exc:
                raise FileProblem(
                    f"{path.name} is not UTF-8 after row {reader.line_num}: "
                    f"it contains the byte 0x{exc.object[exc.start]:02x}. {save_as_utf8()}"
                ) from None
            except csv.Error as exc:
                raise FileProblem(
                    f"{path.name}, line {reader.line_num}: the CSV is malformed ({exc})."
                ) from None

    iterator = lists()
    header = next(iterator, None)
    if not header or not any(h.strip() for h in header):
        raise FileProblem(f"{path.name} is empty: it has no header row.")
    return Table(
        [normalise_header(h) for h in header],
        _rows_from_lists(header, iterator, 2, ROW),
        "CSV",
        share_read=reading,
    )


def _read_xlsx(path: Path) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileProblem(
            f"{path.name} is not an XLSX workbook ({exc}). An old .xls file must be saved "
            "as .xlsx (or CSV UTF-8) first."
        ) from None
    sheet = book.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header = next(iterator, None)
    if not header or not any(cell_text(h) for h in header):
        book.close()
        raise FileProblem(f"{path.name} is empty: its first sheet has no header row.")
    # A workbook's compressed stream says nothing of where it is: the rows read, of
    # those the sheet states it holds (where it states it).
    stated, read = (sheet.max_row or 0) - 1, [0]

    def counted():
        for values in iterator:
            read[0] += 1
            yield values

    return Table(
        [normalise_header(h) for h in header],
        _rows_from_lists(list(header), counted(), 2, ROW),
        "XLSX",
        share_read=(lambda: min(1.0, read[0] / stated)) if stated > 0 else (lambda: 1.0),
    )


def _json_objects(path: Path, reading: _Reading) -> Iterator:
    """The items of a top-level JSON list, one at a time, so that a file of a million
    records is never held in memory whole."""
    decoder = json.JSONDecoder()
    with reading.open(encoding="utf-8-sig") as handle:
        buffer, position, eof = "", 0, False

        def fill():
            nonlocal buffer, position, eof
            chunk = handle.read(1 << 16)
            if not chunk:
                eof = True
            buffer = buffer[position:] + chunk
            position = 0

        def skip_space():
            nonlocal position
            while True:
                while position < len(buffer) and buffer[position] in " \t\r\n":
                    position += 1
                if position < len(buffer) or eof:
                    return
                fill()

        fill()
        skip_space()
        if position >= len(buffer):
            raise FileProblem(f"{path.name} is empty.")
        if buffer[position] != "[":
            raise FileProblem(f"{path.name} must hold a list of records: [{{...}}, {{...}}].")
        position += 1
        expect_item = True
        while True:
            skip_space()
            if position >= len(buffer):
                raise FileProblem(f"{path.name} ends before its list is closed with ']'.")
            if buffer[position] == "]":
                return
            if not expect_item:
                if buffer[position] != ",":
                    raise FileProblem(f"{path.name}: a ',' is missing between two records.")
                position += 1
                skip_space()
            while True:
                try:
                    item, end = decoder.raw_decode(buffer, position)
                    if end == len(buffer) and not eof:
                        raise ValueError("may continue")
                    break
                except ValueError as exc:
                    if eof:
                        raise FileProblem(f"{path.name} is not valid JSON: {exc}") from None
                    fill()
            position = end
            expect_item = False
            yield item


def _read_json(path: Path, lines: bool) -> Table:
    with path.open("rb") as raw:
        head = raw.read(1 << 20)
    _check_utf8(path, head)
    if not head.strip():
        raise FileProblem(f"{path.name} is empty.")

    reading = _Reading(path)

    def items():
        if lines:
            with reading.open(encoding="utf-8-sig") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        try:
                            yield f"line {number}", json.loads(line)
                        except ValueError as exc:
                            yield f"line {number}", {"__error__": f"not valid JSON ({exc})"}
        else:
            for number, item in enumerate(_json_objects(path, reading), start=1):
                yield f"{RECORD} {number}", item

    iterator = items()
    first = next(iterator, None)
    if first is None:
        raise FileProblem(f"{path.name} holds no records.")

    def rows():
        for where, item in _chain(first, iterator):
            if not isinstance(item, dict):
                yield where, {"__error__": "is not an object of column names and values"}
                continue
            yield where, {normalise_header(k): cell_text(v) for k, v in item.items()}

    columns = list(first[1]) if isinstance(first[1], dict) else []
    return Table([normalise_header(c) for c in columns], rows(), "JSON", share_read=reading)


def _chain(first, rest):
    yield first
    yield from rest


def open_table(path: str | Path) -> Table:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise FileProblem(
            f"{path.name}: unknown file type '{suffix or '(none)'}'. Use one of "
            f"{', '.join(EXTENSIONS)} (the format is chosen by the file's extension)."
        )
    if not path.exists():
        raise FileProblem(f"{path}: no such file.")
    if path.stat().st_size == 0:
        raise FileProblem(f"{path.name} is empty.")
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    return _read_json(path, lines=suffix == ".jsonl")
