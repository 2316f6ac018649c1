"""Bulk import and export of records from CSV, XLSX and JSON files.

One set of resource definitions (django-import-export ``ModelResource`` subclasses in each
app's ``resources.py``) drives both the admin's import/export screens and the
``import_records`` / ``export_records`` commands. The admin goes through the library's
row-by-row workflow (with its preview and diff); the commands go through ``import_file``
below, which calls the same resource methods for each row (``import_instance`` to turn
cells into field values through the same widgets, ``validate_instance`` for the same
checks, ``prepare_instance`` for search keys and publication dates) but writes in bulk,
a few thousand rows per statement, with their history.

What a researcher can rely on:

- **Atomic**: the whole file is imported in one transaction; one bad row and nothing is
  written. Every bad row is reported, not just the first.
- **Row numbers as in a spreadsheet**: the header is row 1, so the first record is row 2
  (JSON: record 1 is the first object of the list; JSON Lines: line numbers).
- **Messages in words**: ``row 2, birth_year: 'nineteen-fifty' is not a year``.
- **Key**: each resource names its import key (``ref`` for people): a known key updates
  that record, a new key creates one; a key given twice in a file is refused.
- **History**: every created or changed record gets a history entry with the importing
  user and "import from <file name>".

The registry is filled by each app's ``AppConfig.ready()`` (``register("victims", ...)``),
so that this core module never imports the apps.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from import_export import fields as ie_fields
from import_export import resources, widgets
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from archive.dates import DAY, MONTH, YEAR, PartialDate
from archive.import_permissions import PermissionRules
from archive.models import Gender, PublicationStatus
from archive.pagecache import data_changed

BATCH_SIZE = 2000
MAX_PROBLEMS = 100_000  # beyond this a report would be unreadable anyway
EXTENSIONS = {".csv": "CSV", ".xlsx": "XLSX", ".json": "JSON", ".jsonl": "JSON Lines"}

# --- Problems and reports ---------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one row (or with the file when ``where`` is empty)."""

    where: str
    column: str
    message: str

    def __str__(self):
        head = ", ".join(part for part in (self.where, self.column) if part)
        return f"{head}: {self.message}" if head else self.message


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, format, columns): nothing imported."""


@dataclass
class ImportReport:
    name: str
    file_name: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0
    warnings: list[str] = field(default_factory=list)
    new_references: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def add_problem(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1

    def bad_rows(self) -> int:
        return len({p.where for p in self.problems})

    def summary(self) -> str:
        if not self.ok:
            total = len(self.problems) + self.more_problems
            return (
                f"{self.file_name}: nothing was imported: {total} problem(s) in "
                f"{self.bad_rows()} row(s) of {self.rows}. Correct them and import the "
                "file again (row 1 is the header, so the first record is row 2)."
            )
        verb = "would be" if self.dry_run else "were"
        text = (
            f"{self.file_name}: {self.rows} rows read; {self.created} {self.name} {verb} "
            f"created, {self.updated} updated, {self.unchanged} unchanged"
        )
        if self.dry_run:
            text += " (dry run: nothing was written)"
        if self.seconds:
            text += f"; {self.rows_per_second:,.0f} rows/s"
        return text + "."


# --- Reading files ----------------------------------------------------------------------

SAVE_AS_UTF8 = (
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


def _check_utf8(path: Path, head: bytes) -> None:
    if head.startswith(
        (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ) or (head and head.count(b"\x00") > len(head) // 4):
        raise FileProblem(
            f"{path.name} is not UTF-8: it looks like {_guess_encoding(head)}. {SAVE_AS_UTF8}"
        )
    try:
        # A multi-byte character may be cut at the end of the sample.
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            line = head[: exc.start].count(b"\n") + 1
            raise FileProblem(
                f"{path.name} is not UTF-8 (the first bad byte, 0x{head[exc.start]:02x}, is on "
                f"line {line}): it looks like {_guess_encoding(head)}. {SAVE_AS_UTF8}"
            ) from None


def _cell_text(value) -> str:
    """A cell as text: spreadsheet numbers and dates as a person would type them."""
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
        return " | ".join(_cell_text(v) for v in value)
    return str(value).strip()


def normalise_header(name) -> str:
    text = _cell_text(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


@dataclass
class Table:
    """An opened file: its columns and an iterator over ``(where, row)`` pairs, where
    ``where`` is how the report names the row ("row 7", "record 3")."""

    columns: list[str]
    rows: Iterator[tuple[str, dict]]
    format: str


def _rows_from_lists(header: list, lists: Iterator[list], first_number: int, label: str):
    columns = [normalise_header(h) for h in header]
    for number, values in enumerate(lists, start=first_number):
        cells = [_cell_text(v) for v in values]
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

    def lists():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            try:
                yield from reader
            except UnicodeDecodeError as exc:
                raise FileProblem(
                    f"{path.name} is not UTF-8 after row {reader.line_num}: "
                    f"it contains the byte 0x{exc.object[exc.start]:02x}. {SAVE_AS_UTF8}"
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
        [normalise_header(h) for h in header], _rows_from_lists(header, iterator, 2, "row"), "CSV"
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
    if not header or not any(_cell_text(h) for h in header):
        book.close()
        raise FileProblem(f"{path.name} is empty: its first sheet has no header row.")
    return Table(
        [normalise_header(h) for h in header],
        _rows_from_lists(list(header), iterator, 2, "row"),
        "XLSX",
    )


def _json_objects(path: Path) -> Iterator:
    """The items of a top-level JSON list, one at a time, so that a file of a million
    records is never held in memory whole."""
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8-sig") as handle:
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

    def items():
        if lines:
            with path.open(encoding="utf-8-sig") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        try:
                            yield f"line {number}", json.loads(line)
                        except ValueError as exc:
                            yield f"line {number}", {"__error__": f"not valid JSON ({exc})"}
        else:
            for number, item in enumerate(_json_objects(path), start=1):
                yield f"record {number}", item

    iterator = items()
    first = next(iterator, None)
    if first is None:
        raise FileProblem(f"{path.name} holds no records.")

    def rows():
        for where, item in _chain(first, iterator):
            if not isinstance(item, dict):
                yield where, {"__error__": "is not an object of column names and values"}
                continue
            yield where, {normalise_header(k): _cell_text(v) for k, v in item.items()}

    columns = list(first[1]) if isinstance(first[1], dict) else []
    return Table([normalise_header(c) for c in columns], rows(), "JSON")


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


# --- Widgets: one cell <-> one value ---------------------------------------------------

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def _digits(text: str) -> str:
    return text.translate(_DIGITS)


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class RefWidget(TextWidget):
    """The import key: it is part of the record's web address, so no slashes or spaces."""

    BAD = re.compile(r"[\s/?#%\\]")

    def clean(self, value, row=None, **kwargs):
        text = _cell_text(value)
        if not text:
            raise ValueError(_("is empty; every record needs its ref (the import key)"))
        if self.BAD.search(text):
            raise ValueError(
                _("'%(v)s' cannot be a ref: it is part of the record's web address, so it may "
                  "not contain spaces, '/', '?', '#', '%%' or '\\'") % {"v": text}
            )  # fmt: skip
        return text


class YearWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = _digits(_cell_text(value))
        if not text:
            return None
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError(_("'%(v)s' is not a year") % {"v": _cell_text(value)})
        year = int(text)
        if 1300 <= year <= 1420:
            raise ValueError(
                _("'%(v)s' looks like a Solar Hijri year; give the Gregorian year "
                  "(%(a)s or %(b)s)") % {"v": text, "a": year + 621, "b": year + 622}
            )  # fmt: skip
        return year

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class BooleanWordWidget(widgets.BooleanWidget):
    TRUE = {"yes", "true", "1", "y", "بله"}
    FALSE = {"no", "false", "0", "n", "", "خیر"}

    def clean(self, value, row=None, **kwargs):
        text = _cell_text(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("'%(v)s' is not yes or no") % {"v": _cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class IsoDateWidget(widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        text = _digits(_cell_text(value))
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                _("'%(v)s' is not a date; write it as 1988-08-15") % {"v": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """One of a model field's choices, by its stored value or by its label in English
    or Persian ("in review", "in_review", "در حال بررسی" are the same)."""

    def __init__(self, choices, blank=None, required=False):
        super().__init__()
        self.choices = list(choices)
        self.blank = blank
        self.required = required
        self.lookup = {}
        for value, label in self.choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value
            with override("fa"):
                self.lookup[str(label).lower()] = value

    def allowed(self) -> list[str]:
        return [str(v) for v, _label in self.choices if v != ""]

    def clean(self, value, row=None, **kwargs):
        text = " ".join(_cell_text(value).lower().split())
        if not text:
            if self.required:
                raise ValueError(
                    _("is empty; give one of: %(allowed)s") % {"allowed": ", ".join(self.allowed())}
                )
            return self.blank
        found = self.lookup.get(text, self.lookup.get(text.replace(" ", "_")))
        if found is None:
            raise ValueError(
                _("'%(v)s' is not one of: %(allowed)s")
                % {"v": _cell_text(value), "allowed": ", ".join(self.allowed())}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class AliasesWidget(widgets.Widget):
    """Several names in one cell, separated by '|' or by line breaks; stored one per line
    and written back separated by ' | '."""

    def clean(self, value, row=None, **kwargs):
        text = _cell_text(value)
        parts = [p.strip() for p in re.split(r"[|\n\r]+", text)]
        return "\n".join(p for p in parts if p)

    def render(self, value, obj=None, **kwargs):
        return " | ".join(line.strip() for line in (value or "").splitlines() if line.strip())


def parse_partial_date(value) -> PartialDate | None:
    """``1988``, ``1988-08`` or ``1988-08-15`` (also with '/' or '.', Persian digits, or a
    full Solar Hijri day such as ``1367-05-10``) to a date with its precision."""
    if isinstance(value, datetime):
        return PartialDate(value.date(), DAY)
    if isinstance(value, date):
        return PartialDate(value, DAY)
    text = _digits(_cell_text(value))
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?", text)
    if not match:
        raise ValueError(
            _("'%(v)s' is not a date; write it as 1988, 1988-08 or 1988-08-15") % {"v": text}
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    if 1300 <= year <= 1420:
        if day is None:
            raise ValueError(
                _("'%(v)s' looks like a Solar Hijri year or month, which spans parts of two "
                  "Gregorian ones; give the Gregorian date (e.g. 1988 or 1988-08) or the full "
                  "Solar Hijri day (e.g. 1367-05-10)") % {"v": text}
            )  # fmt: skip
        from persiantools.jdatetime import JalaliDate

        try:
            return PartialDate(JalaliDate(year, month, day).to_gregorian(), DAY)
        except ValueError:
            raise ValueError(
                _("'%(v)s' is not a Solar Hijri date that exists") % {"v": text}
            ) from None
    if not 1800 <= year <= 2100:
        raise ValueError(_("'%(v)s' is not a plausible year") % {"v": text})
    try:
        if day is not None:
            return PartialDate(date(year, month, day), DAY)
        if month is not None:
            return PartialDate(date(year, month, 1), MONTH)
        return PartialDate(date(year, 1, 1), YEAR)
    except ValueError as exc:
        raise ValueError(_("'%(v)s' is not a date (%(why)s)") % {"v": text, "why": exc}) from None


class PartialDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_partial_date(value)

    def render(self, value, obj=None, **kwargs):
        return value.iso() if value else ""


def _fold(text: str) -> str:
    """Loose form of a name for matching: case, accents, Arabic letter forms, spacing."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": " "}))
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


GENERIC_WORDS = {
    "prison", "jail", "zendan", "زندان", "cemetery", "graveyard", "ghabrestan",
    "qabrestan", "گورستان", "قبرستان", "آرامستان", "the",
}  # fmt: skip


def _core(text: str) -> str:
    return "".join(w for w in _fold(text).split() if w not in GENERIC_WORDS)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent swaps, stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def likely_misspellings(core: str, known: list[str]) -> list[str]:
    """Known names one edit away from ``core`` (two for longer names): "evn" for "evin",
    "ghezelhesar" for "qezelhesar"; but not "adelabad" for "dizelabad", two real prisons."""
    if not core:
        return []
    limit = 1 if len(core) <= 6 else 2
    return [k for k in known if k != core and edit_distance(core, k, limit) <= limit][:4]


class NamedRecordWidget(widgets.ForeignKeyWidget):
    """A place or an organisation named in either script. Lookups are cached for the
    whole import (one query per distinct name).

    An unknown name is created as a new record of ``create_kind`` (reported at the end of
    the import) unless it looks like a misspelling of a known one ("Evn Prison" next to
    "Evin Prison"), which is refused with the close names, since a typo silently made into
    a new prison would split that prison's victims in two.
    """

    def __init__(self, model, *, noun, kinds=None, create_kind=None, name_fields=None):
        super().__init__(model, field="pk")
        self.noun = noun
        self.kinds = kinds
        self.create_kind = create_kind
        self.name_fields = name_fields or [
            n
            for n in ("name_en", "name_fa", "abbreviation")
            if any(f.name == n for f in model._meta.get_fields())
        ]
        self._known: dict[str, object] | None = None
        self._cores: dict[str, object] = {}
        self.created: list[object] = []
        self.on_create: Callable | None = None

    def _queryset(self):
        qs = self.model._default_manager.all()
        if self.kinds:
            qs = qs.filter(kind__in=self.kinds)
        return qs

    def _load(self):
        self._known = {}
        for obj in self._queryset().order_by("pk"):
            self._remember(obj)

    def _remember(self, obj):
        for name in self.name_fields:
            value = getattr(obj, name, "")
            if value:
                self._known.setdefault(_fold(value), obj)
                if _core(value):
                    self._cores.setdefault(_core(value), obj)

    def known_names(self) -> list[str]:
        seen = []
        for obj in dict.fromkeys(self._known.values()):
            seen.append(str(obj))
        return seen

    def clean(self, value, row=None, **kwargs):
        text = _cell_text(value)
        if not text:
            return None
        if self._known is None:
            self._load()
        folded = _fold(text)
        found = self._known.get(folded) or self._cores.get(_core(text))
        if found is not None:
            self._known[folded] = found
            return found
        close = likely_misspellings(_core(text), list(self._cores))
        if close or self.create_kind is None:
            names = [str(self._cores[c]) for c in close] or self.known_names()[:8]
            hint = (
                _("did you mean %(names)s? If it is a different %(noun)s, add it in the "
                  "admin first")
                if close
                else _("known %(noun)ss include %(names)s")
            )  # fmt: skip
            message = _("no %(noun)s called '%(v)s'") % {"noun": self.noun, "v": text}
            if names:
                message = f"{message}; " + hint % {
                    "noun": self.noun,
                    "names": ", ".join(f"'{n}'" for n in names),
                }
            raise ValueError(message)
        obj = self.model(kind=self.create_kind)
        setattr(obj, "name_fa" if re.search(r"[\u0600-\u06ff]", text) else "name_en", text)
        if self.on_create:
            self.on_create(obj)
        obj.save()
        self.created.append(obj)
        self._remember(obj)
        return obj

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return getattr(value, "name_en", "") or getattr(value, "name_fa", "") or str(value)


class SlugWidget(widgets.ForeignKeyWidget):
    """A publishable record (event, commission) by its slug; never created by an import,
    since a researcher writes and cites it."""

    def __init__(self, model, *, noun, field="slug", required=False):
        super().__init__(model, field=field)
        self.noun = noun
        self.required = required
        self._known: dict[str, object] | None = None

    def clean(self, value, row=None, **kwargs):
        text = _cell_text(value)
        if not text:
            if self.required:
                raise ValueError(
                    _("is empty; give the %(noun)s's %(field)s")
                    % {"noun": self.noun, "field": self.field}
                )
            return None
        if self._known is None:
            self._known = {
                str(getattr(o, self.field)).lower(): o for o in self.model._default_manager.all()
            }
        found = self._known.get(text.lower())
        if found is None:
            close = difflib.get_close_matches(text.lower(), list(self._known), n=4, cutoff=0.6)
            names = close or sorted(self._known)[:8]
            message = _("no %(noun)s with the %(field)s '%(v)s'") % {
                "noun": self.noun,
                "field": self.field,
                "v": text,
            }
            if names:
                message += "; " + _("known: %(names)s") % {"names": ", ".join(names)}
            raise ValueError(message)
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


# --- Columns ----------------------------------------------------------------------------


class Column(ie_fields.Field):
    """A resource field that also documents itself for the data dictionary."""

    def __init__(self, *args, kind="text", allowed="", example="", meaning="", required=False,
                 **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.allowed = allowed
        self.example = example
        self.meaning = meaning
        self.required = required


class PartialDateColumn(Column):
    """One cell for a date and its precision: ``1988``, ``1988-08`` or ``1988-08-15``
    sets the date and the precision (year, month, day); export writes the same form."""

    def __init__(self, attribute, **kwargs):
        kwargs.setdefault("kind", "partial date")
        kwargs.setdefault("allowed", "1988, 1988-08 or 1988-08-15 (a Solar Hijri day such as "
                          "1367-05-10 is converted); the form sets the precision")  # fmt: skip
        super().__init__(
            attribute=attribute, column_name=attribute, widget=PartialDateWidget(), **kwargs
        )

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.clean(row, **kwargs)
        setattr(instance, self.attribute, value.value if value else None)
        setattr(instance, f"{self.attribute}_precision", value.precision if value else "")

    def get_value(self, instance):
        return instance.partial(self.attribute)


# --- Resources ---------------------------------------------------------------------------


class ArchiveResource(PermissionRules, resources.ModelResource):
    """Shared behaviour of the archive's resources; see the module docstring."""

    # Columns that must be present in a file (names, or tuples of alternatives).
    required_columns: tuple = ()
    # The column that identifies a record (``ref``); ``id`` for records without one.
    key_column = "ref"
    # Short words for the report ("victims").
    noun = "records"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = kwargs.get("user")
        self.file_name = kwargs.get("file_name") or ""
        self.new_references: list[str] = []
        for column in self.fields.values():
            widget = column.widget
            if isinstance(widget, NamedRecordWidget):
                widget.on_create = self._on_reference_created

    # The library passes the user and the file name to import_data (admin screens);
    # the command passes them to the constructor.
    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user") or self.user
        self.file_name = kwargs.get("file_name") or self.file_name
        missing = self.missing_columns([normalise_header(h) for h in dataset.headers or []])
        if missing:
            raise ValidationError(self.missing_message(missing))
        # The admin's file may say "Name Latin": map headers as the command does.
        if dataset.headers:
            dataset.headers = [normalise_header(h) for h in dataset.headers]

    def after_import(self, dataset, result, **kwargs):
        """The admin's import screen numbers rows as the command does: in a spreadsheet the
        header is row 1, so the library's first data row (its number 1) is row 2; a JSON
        file's records are counted from 1. Each error is written out as the command
        writes it ("row 5, birth_year: 'x' is not a year")."""
        super().after_import(dataset, result, **kwargs)
        records = Path(self.file_name).suffix.lower() in {".json", ".jsonl", ".yaml", ".yml"}
        shift, label = (0, _("record")) if records else (1, _("row"))
        for row in [*result.invalid_rows, *result.error_rows]:
            row.number += shift
        result.problems = [
            problem
            for row in result.invalid_rows
            for problem in _messages(row.error, self, f"{label} {row.number}")
        ]
        result.row_label = label

    def _on_reference_created(self, obj):
        obj._change_reason = self.change_reason()
        if self.user is not None and getattr(self.user, "pk", None):
            obj._history_user = self.user
        self.new_references.append(f"{obj._meta.verbose_name} '{obj}'")

    def change_reason(self) -> str:
        return f"import from {Path(self.file_name).name}" if self.file_name else "import"

    @classmethod
    def columns(cls) -> list[Column]:
        return [f for f in cls().get_import_fields() if isinstance(f, ie_fields.Field)]

    @classmethod
    def column_names(cls) -> list[str]:
        return [f.column_name for f in cls.columns()]

    def missing_columns(self, present: list[str]) -> list:
        missing = []
        for required in self.required_columns:
            options = required if isinstance(required, tuple) else (required,)
            if not any(o in present for o in options):
                missing.append(options)
        return missing

    def missing_message(self, missing) -> str:
        names = "; ".join(" or ".join(f"'{o}'" for o in options) for options in missing)
        return (
            f"the file has no column {names}. Its first row must name the columns; expected "
            f"columns: {', '.join(self.column_names())} (see docs/data-dictionary.md)."
        )

    def column_for(self, attribute: str) -> str:
        for column in self.fields.values():
            if column.attribute == attribute or f"{column.attribute}_precision" == attribute:
                return column.column_name
        return attribute

    # Model checks, the same for the admin and the command: each field's own checks
    # (length, choices) without the per-row queries of foreign keys (the widgets resolved
    # them already), then the model's clean().
    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | {
            f.name
            for f in instance._meta.concrete_fields
            if f.is_relation or not f.editable or f.name in {"id", "ref"}
        }
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as exc:
            # A cell already refused leaves its field unset: say only what is new.
            for key, value in exc.update_error_dict({}).items():
                errors.setdefault(key, value)
        self.check_permission(instance, errors)
        if errors:
            raise ValidationError(errors)

    def after_init_instance(self, instance, new, row, **kwargs):
        self.remember_before_import(instance, new, row)

    def import_instance(self, instance, row, **kwargs):
        """Each cell through its column's widget; the errors of all cells at once."""
        if not hasattr(instance, "_import_new"):
            self.after_init_instance(instance, instance.pk is None, row)
        present = frozenset(row)
        if getattr(self, "_present", None) != present:
            # Rows of one file have the same columns: look the fields up once per file.
            self._present = present
            self._fields_present = [
                f
                for f in self.get_import_fields()
                if f.attribute
                and f.column_name in present
                and not isinstance(f.widget, widgets.ManyToManyWidget)
            ]
        errors = {}
        for column in self._fields_present:
            try:
                column.save(instance, row, **kwargs)
            except ValueError as exc:
                errors[column.attribute] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    def prepare_instance(self, instance) -> None:
        """What a save through the admin would do, for bulk writes that send no signals."""
        if hasattr(instance, "refresh_name_keys"):
            instance.refresh_name_keys()
        if getattr(instance, "publication_status", None) == "published" and not getattr(
            instance, "published_at", True
        ):
            instance.published_at = timezone.now()
        instance._change_reason = self.change_reason()

    def before_save_instance(self, instance, row, **kwargs):
        self.prepare_instance(instance)

    # Export: what the user may see (``PermissionRules.filter_export``), in the key's order.
    def export_queryset(self):
        qs = self.filter_export(self._meta.model._default_manager.all())
        related = [
            f.name
            for f in self._meta.model._meta.concrete_fields
            if f.is_relation and any(c.attribute == f.name for c in self.fields.values())
        ]
        return qs.select_related(*related).order_by(
            self.key_column if self.key_column != "id" else "pk"
        )

    def get_queryset(self):
        return self._meta.model._default_manager.all()

    def existing(self, keys: list[str]) -> dict[str, models.Model]:
        """The records a batch of rows names, in one query."""
        field_name = self.key_attribute()
        lookup = {f"{field_name}__in": keys}
        related = [
            f.name
            for f in self._meta.model._meta.concrete_fields
            if f.is_relation and any(c.attribute == f.name for c in self.fields.values())
        ]
        return {
            str(getattr(obj, field_name)): obj
            for obj in self._meta.model._default_manager.filter(**lookup).select_related(*related)
        }

    def key_attribute(self) -> str:
        for column in self.fields.values():
            if column.column_name == self.key_column:
                return column.attribute
        return self.key_column

    def row_key(self, row: dict) -> str:
        return _cell_text(row.get(self.key_column, ""))

    def after_bulk_write(self, created: list, updated: list) -> None:
        """Hook for records that need more than their own row (memberships, ids)."""


# --- Columns shared by people ----------------------------------------------------------------

STATUS_HELP = (
    "Blank: draft for a new record, unchanged for an existing one. Only a reviewer may "
    "publish or withdraw (the admin's import screen, or the command with --as)."
)


def person_columns(example_ref: str) -> dict:
    """The columns every person (victim or perpetrator) has."""
    return {
        "ref": Column(
            attribute="ref", column_name="ref", widget=RefWidget(), required=True,
            meaning="Stable identifier of the record, used in its web address and as the "
            "import key: a known ref updates that record, a new ref creates one.",
            allowed="Up to 40 characters; no spaces, '/', '?', '#', '%' or '\\'. Each ref "
            "once per file.",
            example=example_ref,
        ),
        "name_latin": Column(
            attribute="name_latin", column_name="name_latin", widget=TextWidget(),
            meaning="Name as written in Latin script, given name first.",
            allowed="Up to 200 characters. Either name may be blank, not both.",
            example="Mohammad Hosseini",
        ),
        "name_fa": Column(
            attribute="name_fa", column_name="name_fa", widget=TextWidget(),
            meaning="Name as written in Persian script.",
            allowed="Up to 200 characters. Either name may be blank, not both.",
            example="محمد حسینی",
        ),
        "aliases": Column(
            attribute="aliases", column_name="aliases", widget=AliasesWidget(),
            meaning="Other spellings in either script, noms de guerre; found by the search.",
            allowed="Several names in one cell, separated by '|' or by line breaks; exported "
            "separated by ' | '.",
            example="Mohammed Hoseini | محمد حسيني",
        ),
        "father_name": Column(
            attribute="father_name", column_name="father_name", widget=TextWidget(),
            meaning="Father's name, as Iranian records tell namesakes apart.",
            allowed="Up to 120 characters, either script.",
            example="Ali",
        ),
        "gender": Column(
            attribute="gender", column_name="gender", kind="choice",
            widget=ChoiceWidget(Gender.choices, blank=""),
            meaning="Gender as the sources give it.",
            allowed="male, female, other; blank when unknown.",
            example="male",
        ),
        "birth_year": Column(
            attribute="birth_year", column_name="birth_year", widget=YearWidget(),
            kind="year",
            meaning="Gregorian year of birth.",
            allowed="Four digits between 1850 and this year (Persian digits are read too; a "
            "Solar Hijri year such as 1340 is refused with its Gregorian equivalents).",
            example="1961",
        ),
    }  # fmt: skip


def status_column() -> Column:
    return Column(
        attribute="publication_status", column_name="publication_status", kind="choice",
        widget=ChoiceWidget(PublicationStatus.choices, blank=None), saves_null_values=False,
        meaning="Whether the public sees the record. " + STATUS_HELP,
        allowed="draft, in_review, published, withdrawn",
        example="draft",
    )  # fmt: skip


def biography_column() -> Column:
    return Column(
        attribute="biography", column_name="biography", widget=TextWidget(),
        meaning="Attributed statements only; [src:ID] places a footnote to a cited source.",
        allowed="Free text; line breaks are kept.",
        example="Arrested in 1981, according to [src:3].",
    )  # fmt: skip


REGISTRY: dict[str, type[ArchiveResource]] = {}


def register(name: str, resource_class: type[ArchiveResource]) -> None:
    """Called from each app's ``AppConfig.ready()``."""
    REGISTRY[name] = resource_class


def get_resource_class(name: str) -> type[ArchiveResource]:
    try:
        return REGISTRY[name]
    except KeyError:
        raise FileProblem(
            f"unknown kind of record '{name}'; choose one of: {', '.join(sorted(REGISTRY))}"
        ) from None


# --- Progress ------------------------------------------------------------------------------


class Progress:
    """Rows done and rows per second on one terminal line (stderr), twice a second."""

    def __init__(self, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, rows: int, *, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not final and now - self.last < 0.5:
            return
        self.last = now
        rate = rows / (now - self.start) if now > self.start else 0
        end = "\n" if final else ""
        self.stream.write(f"\r{rows:,} rows done, {rate:,.0f} rows/s   {end}")
        self.stream.flush()


# --- The command's bulk import -----------------------------------------------------------


def _messages(error: ValidationError, resource: ArchiveResource, where: str) -> list[Problem]:
    problems = []
    if hasattr(error, "error_dict"):
        for attribute, errors in error.error_dict.items():
            column = resource.column_for(attribute) if attribute != "__all__" else ""
            if attribute == "name_latin" and "name_fa" in resource.fields:
                column = "name_latin/name_fa"
            for message in ValidationError(errors).messages:
                problems.append(Problem(where, column, str(message)))
    else:
        problems.extend(Problem(where, "", str(m)) for m in error.messages)
    return problems


def _batches(rows: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in rows:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_file(
    name: str,
    path: str | Path,
    *,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import one file of ``name`` records (``"victims"``) in one transaction.

    Raises ``FileProblem`` when the file cannot be read at all; otherwise returns a report
    whose ``problems`` name every bad row (and then nothing was written).
    """
    resource_class = get_resource_class(name)
    path = Path(path)
    started = time.monotonic()
    resource = resource_class(user=user, file_name=path.name)
    refused = resource_class.import_refused(resource.acting_user)
    if refused:
        raise FileProblem(str(refused))
    table = open_table(path)
    report = ImportReport(name=resource.noun, file_name=path.name, dry_run=dry_run)

    known = {c.column_name for c in resource.fields.values()}
    if len(set(table.columns)) != len([c for c in table.columns if c]):
        twice = sorted({c for c in table.columns if c and table.columns.count(c) > 1})
        raise FileProblem(f"{path.name}: the column(s) {', '.join(twice)} appear twice.")
    missing = resource.missing_columns(table.columns)
    if missing:
        raise FileProblem(f"{path.name}: {resource.missing_message(missing)}")
    for column in table.columns:
        if column and column not in known:
            report.warnings.append(
                f"column '{column}' is not one of this kind's columns and was ignored "
                f"(known: {', '.join(resource.column_names())})"
            )
    import_fields = [f for f in resource.get_import_fields() if f.column_name in table.columns]
    model = resource._meta.model
    db = router.db_for_write(model)
    seen: dict[str, int] = {}
    now = timezone.now()
    history_user = user if getattr(user, "pk", None) else None
    update_fields = sorted(
        {
            name
            for f in import_fields
            for name in (f.attribute, f"{f.attribute}_precision")
            if any(mf.name == name for mf in model._meta.concrete_fields)
        }
        | {
            n
            for n in ("name_keys", "updated_at", "published_at")
            if any(mf.name == n for mf in model._meta.concrete_fields)
        }
    )

    with transaction.atomic(using=db):
        # The multi-row INSERTs send no signals: cached public pages learn of the import
        # when it commits (nothing, if it rolls back).
        data_changed(db)
        for batch in _batches(table.rows, batch_size):
            keys = [resource.row_key(row) for _where, row in batch]
            existing = resource.existing([k for k in keys if k])
            to_create, to_update = [], []
            for (where, row), key in zip(batch, keys, strict=True):
                report.rows += 1
                if "__error__" in row:
                    report.add_problem(Problem(where, "", row["__error__"]))
                    continue
                if key:
                    if key in seen:
                        first = f"{where.split()[0]} {seen[key]}"
                        report.add_problem(
                            Problem(
                                where,
                                resource.key_column,
                                f"'{key}' is also the {resource.key_column} of {first}; "
                                f"each record may appear once in a file",
                            )
                        )
                        continue
                    # The number alone: a million keys must not hold a million labels too.
                    seen[key] = int(where.split()[-1])
                instance = existing.get(key)
                new = instance is None
                if new:
                    instance = resource.init_instance(row)
                before = None if new else [f.export(instance) for f in import_fields]
                resource.after_init_instance(instance, new, row)
                try:
                    errors = {}
                    try:
                        resource.import_instance(instance, row)
                    except ValidationError as exc:
                        errors = exc.update_error_dict(errors)
                    resource.validate_instance(instance, errors)
                except ValidationError as exc:
                    for problem in _messages(exc, resource, where):
                        report.add_problem(problem)
                    continue
                if report.problems:
                    continue  # keep checking rows; nothing more will be written
                if not new and before == [f.export(instance) for f in import_fields]:
                    report.unchanged += 1
                    continue
                resource.prepare_instance(instance)
                if new:
                    to_create.append(instance)
                else:
                    if hasattr(instance, "updated_at"):
                        instance.updated_at = now
                    to_update.append(instance)
            if not report.problems:
                if to_create:
                    create_with_history(
                        to_create,
                        model,
                        db=db,
                        user=history_user,
                        reason=resource.change_reason(),
                        when=now,
                    )
                if to_update:
                    update_with_history(
                        to_update,
                        model,
                        update_fields,
                        db=db,
                        user=history_user,
                        reason=resource.change_reason(),
                        when=now,
                    )
                resource.after_bulk_write(to_create, to_update)
                report.created += len(to_create)
                report.updated += len(to_update)
            if progress:
                progress.update(report.rows)
        if report.rows == 0:
            raise FileProblem(f"{path.name} has a header but no records.")
        if report.problems or dry_run:
            transaction.set_rollback(True, using=db)
        elif resource.key_column == "id":
            _reset_sequence(model, db)
    if progress:
        progress.update(report.rows, final=True)
    report.new_references = list(resource.new_references)
    if not report.ok:
        report.created = report.updated = report.unchanged = 0
    report.seconds = time.monotonic() - started
    return report


# --- Bulk writes ----------------------------------------------------------------------------
#
# Django's bulk_create compiles every value of every row through the ORM's SQL compiler,
# and django-simple-history builds a model instance per historical row: together about
# half the time of an import. For new records the command writes the same rows with one
# multi-row INSERT per few hundred records (psycopg2's execute_values on PostgreSQL,
# INSERT ... RETURNING on SQLite), converting only values that are not already plain
# (dates, times, files) through the field's own get_db_prep_save. What is written is what
# bulk_create_with_history would write; other databases use it.

_PASS_THROUGH = (
    models.CharField, models.TextField, models.IntegerField, models.BooleanField,
    models.ForeignKey, models.AutoField, models.BigAutoField,
)  # fmt: skip


def _row_builder(fields, connection):
    """A function from a record to its row of database values: plain values are read in
    one C-level call; only dates, times and files go through get_db_prep_save."""
    from operator import attrgetter

    get = attrgetter(*[f.attname for f in fields]) if len(fields) > 1 else None
    special = [
        (i, f)
        for i, f in enumerate(fields)
        if not isinstance(f, _PASS_THROUGH) or isinstance(f, models.FileField)
    ]

    def build(obj):
        row = list(get(obj)) if get else [getattr(obj, fields[0].attname)]
        for i, f in special:
            if row[i] is not None:
                row[i] = f.get_db_prep_save(row[i], connection)
        return row

    return build


def _insert(connection, table: str, columns: list[str], rows: list[list], returning: str):
    qn = connection.ops.quote_name
    # Table and column names come from model metadata, never from the file.
    head = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES "  # noqa: S608
    tail = f" RETURNING {qn(returning)}" if returning else ""
    ids = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            result = execute_values(
                cursor.cursor, head + "%s" + tail, rows, page_size=500, fetch=bool(returning)
            )
            ids = [r[0] for r in result or []]
        else:
            per = max(1, min(500, 32000 // max(1, len(columns))))
            one = "(" + ", ".join(["%s"] * len(columns)) + ")"
            for start in range(0, len(rows), per):
                chunk = rows[start : start + per]
                cursor.execute(
                    head + ", ".join([one] * len(chunk)) + tail,
                    [v for row in chunk for v in row],
                )
                if returning:
                    ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _create(objs: list, model, connection, when, with_pk: bool) -> None:
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    for obj in objs:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, when)
    build = _row_builder(fields, connection)
    rows = [build(obj) for obj in objs]
    ids = _insert(
        connection, model._meta.db_table, [f.column for f in fields], rows, model._meta.pk.column
    )
    if len(ids) != len(objs):  # pragma: no cover - a database that would not say
        raise RuntimeError("the database did not return the new records' ids")
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk


def create_with_history(objs: list, model, *, db: str, user, reason: str, when) -> None:
    """Insert new records and their "created" history entries, in bulk."""
    connection = connections[db]
    if connection.vendor not in {"postgresql", "sqlite"}:
        bulk_create_with_history(
            objs, model, batch_size=BATCH_SIZE, default_user=user,
            default_change_reason=reason, default_date=when,
        )  # fmt: skip
        return
    for with_pk in (True, False):
        group = [obj for obj in objs if (obj.pk is not None) == with_pk]
        if group:
            _create(group, model, connection, when, with_pk)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db

    _insert_history(objs, model, connection, user=user, reason=reason, when=when, kind="+")


def update_with_history(
    objs: list, model, fields: list[str], *, db: str, user, reason: str, when
) -> None:
    """Write changed records (one prepared UPDATE, executed in batches) and their
    "changed" history entries. Django's bulk_update builds a CASE per field and row, which
    costs more than the rest of an import together."""
    connection = connections[db]
    if connection.vendor not in {"postgresql", "sqlite"}:
        bulk_update_with_history(
            objs, model, fields, batch_size=500, default_user=user,
            default_change_reason=reason, default_date=when,
        )  # fmt: skip
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(f.column)} = %s" for f in columns)
    # Table and column names come from model metadata, never from the file.
    sql = f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s"  # noqa: S608
    build = _row_builder([*columns, meta.pk], connection)
    rows = [build(obj) for obj in objs]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_batch

            execute_batch(cursor.cursor, sql, rows, page_size=500)
        else:
            cursor.executemany(sql, rows)
    _insert_history(objs, model, connection, user=user, reason=reason, when=when, kind="~")


def _insert_history(objs, model, connection, *, user, reason, when, kind) -> None:
    history = getattr(model, "history", None)
    if history is None:
        return
    historical = history.model
    tracked = list(historical.tracked_fields)
    extra = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": kind,
        "history_user_id": getattr(user, "pk", None),
    }
    hfields = [historical._meta.get_field(f.name) for f in tracked] + [
        historical._meta.get_field(name) for name in ("history_date", "history_change_reason",
                                                      "history_type", "history_user")
    ]  # fmt: skip
    fixed = [
        f.get_db_prep_save(v, connection) if v is not None else None
        for f, v in zip(hfields[len(tracked) :], extra.values(), strict=True)
    ]
    build = _row_builder(tracked, connection)
    hrows = [build(obj) + fixed for obj in objs]
    _insert(connection, historical._meta.db_table, [f.column for f in hfields], hrows, "")


def _reset_sequence(model, db) -> None:
    """After rows were created with the ids a file gave, the next id must follow them."""
    from django.core.management.color import no_style

    connection = connections[db]
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- Export --------------------------------------------------------------------------------


def export_rows(resource: ArchiveResource, chunk_size: int = BATCH_SIZE) -> Iterator[list[str]]:
    columns = [f for f in resource.get_import_fields() if isinstance(f, ie_fields.Field)]
    for obj in resource.export_queryset().iterator(chunk_size=chunk_size):
        yield [resource.export_field(c, obj) if c.attribute else "" for c in columns]


def export_file(name: str, path: str | Path, *, user=None) -> int:
    """Write the records of ``name`` that ``user`` may export (``PermissionRules``; without
    a user, the command line's: published or not) to ``path``, in the format its extension
    names. Returns the number of records written."""
    resource_class = get_resource_class(name)
    resource = resource_class(user=user)
    refused = resource_class.export_refused(resource.acting_user)
    if refused:
        raise FileProblem(str(refused))
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise FileProblem(
            f"{path.name}: unknown file type '{suffix or '(none)'}'. Use one of "
            f"{', '.join(EXTENSIONS)}."
        )
    header = resource.column_names()
    count = 0
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for values in export_rows(resource):
                writer.writerow(values)
                count += 1
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(name)
        sheet.append(header)
        for values in export_rows(resource):
            # Text cells: a spreadsheet must not turn 1988-08 into a date or a ref into a number.
            sheet.append(values)
            count += 1
        book.save(path)
    else:
        with path.open("w", encoding="utf-8") as handle:
            lines = suffix == ".jsonl"
            if not lines:
                handle.write("[")
            for values in export_rows(resource):
                record = json.dumps(dict(zip(header, values, strict=True)), ensure_ascii=False)
                if lines:
                    handle.write(record + "\n")
                else:
                    handle.write(("\n" if count == 0 else ",\n") + record)
                count += 1
            if not lines:
                handle.write("\n]\n")
    return count


class IdKeyedResource(ArchiveResource):
    """For records without a ref (sources, positions): the ``id`` column is the key. A
    known id updates, a blank id creates a record, and an id this database does not hold
    creates the record under that id (so that an export imports into an empty database
    unchanged)."""

    key_column = "id"

    def existing(self, keys):
        ids = [int(k) for k in keys if k.isdigit()]
        if not ids:
            return {}
        return super().existing([str(i) for i in ids])


class IdWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = _digits(_cell_text(value))
        if not text:
            return None
        if not text.isdigit() or int(text) == 0:
            raise ValueError(
                _("'%(v)s' is not an id (a whole number); leave it blank for a new record")
                % {"v": text}
            )
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


# --- Data dictionary ------------------------------------------------------------------------

DICTIONARY_INTRO = """\
# Data dictionary

Generated from the import/export resources by `python manage.py data_dictionary`; do not
edit by hand (a test fails when this file and the resources disagree).

## Files

- `python manage.py import_records KIND FILE [--dry-run] [--as USERNAME]` and
  `python manage.py export_records KIND FILE [--as USERNAME]`, where KIND is one of:
  {kinds}. The admin's Import and Export buttons read and write the same columns.
- **Permissions** (docs/security.md, "Staff accounts and roles") are those of the account
  named with `--as` (in the admin, the signed-in user). Importing needs the add and change
  permissions; a row that creates or changes what a published record shows (or publishes,
  withdraws or unpublishes one) needs the permission to publish it, and is refused by its
  row number otherwise. Without `--as`, the command line writes drafts only: such rows are
  refused.
- The format follows the extension: `.csv` (UTF-8, comma-separated; a semicolon- or
  tab-separated file is recognised by its header), `.xlsx` (the first sheet), `.json` (a
  list of objects, read as a stream) or `.jsonl` (one object per line).
- The first row names the columns, in any order; headers are read without regard to case
  or spaces (`Name Latin` is `name_latin`). Columns not listed here are ignored, with a
  warning. A column left out of the file leaves that field of existing records as it is;
  an empty cell in a column that is present clears the field (`publication_status`
  aside).
- **Row numbers** in messages count as a spreadsheet shows them: the header is row 1, so
  the first record is row 2. In a JSON file, record 1 is the first object; in a JSON Lines
  file, numbers are line numbers.
- **All or nothing**: one bad row and nothing is written; every bad row is reported with
  its column and the reason, and the command exits with status 1. `--dry-run` checks and
  reports the same, writing nothing.
- Every created or changed record gets a history entry: who imported it (`--as`, or
  none for the command line) and "import from FILE NAME". Search keys are computed as for
  a record saved in the admin. A row that changes nothing is left alone.
- Export writes what the account may see: every record, published or not, for those who
  work on drafts (the change permission; the command line without `--as` too), published
  records only for others; a source's staff notes only for those allowed to read them (the
  public open-data downloads hold published records only). Exporting, importing the export
  into an empty database and exporting again gives the same file.
"""


def _escape(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def data_dictionary() -> str:
    """``docs/data-dictionary.md``, from the registered resources (in English, whatever
    language the caller's thread last served)."""
    with override("en"):
        return _data_dictionary()


def _data_dictionary() -> str:
    order = ["victims", "perpetrators", "memberships", "positions", "sources"]
    kinds = sorted(REGISTRY, key=lambda k: (order.index(k) if k in order else len(order), k))
    parts = [DICTIONARY_INTRO.format(kinds=", ".join(f"`{k}`" for k in kinds))]
    for kind in kinds:
        resource_class = REGISTRY[kind]
        resource = resource_class()
        model = resource._meta.model
        parts.append(f"\n## `{kind}` ({model._meta.verbose_name_plural})\n\n")
        doc = (resource_class.__doc__ or "").strip()
        module_doc = (sys.modules[resource_class.__module__].__doc__ or "").strip()
        if doc and doc != (ArchiveResource.__doc__ or "").strip():
            parts.append(" ".join(doc.split()) + "\n")
        elif module_doc and kind == next(
            k for k in kinds if REGISTRY[k].__module__ == resource_class.__module__
        ):
            parts.append(module_doc + "\n")
        key = resource.key_column
        required = "; ".join(
            " or ".join(f"`{o}`" for o in (r if isinstance(r, tuple) else (r,)))
            for r in resource.required_columns
        )
        parts.append(f"\nImport key: `{key}`. Required columns: {required}.\n")
        parts.append("\n| column | meaning | type | allowed values | example |")
        parts.append("\n| --- | --- | --- | --- | --- |\n")
        for column in resource.columns():
            meaning = getattr(column, "meaning", "")
            if not meaning:
                try:
                    f = model._meta.get_field(column.attribute)
                    meaning = f.help_text or f.verbose_name
                except Exception:
                    meaning = ""
            example = getattr(column, "example", "")
            parts.append(
                f"| `{column.column_name}` | {_escape(meaning)} | "
                f"{_escape(getattr(column, 'kind', 'text'))} | "
                f"{_escape(getattr(column, 'allowed', ''))} | "
                f"{('`' + _escape(example) + '`') if example else ''} |\n"
            )
    return "".join(parts)
