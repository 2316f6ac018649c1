"""Widgets: one cell to one value and back (django-import-export widgets), each refusing
what it cannot read with a message in words."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from import_export import widgets
from persiantools.jdatetime import JalaliDate

from archive.core.dates import (
    DAY,
    EARLIEST_DATE_YEAR,
    LATEST_DATE_YEAR,
    MONTH,
    YEAR,
    PartialDate,
    YearError,
    read_year,
)
from archive.core.digits import ascii_digits
from archive.core.importing.readers import cell_text

# --- Widgets: one cell <-> one value ---------------------------------------------------


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class RefWidget(TextWidget):
    """The import key: it is part of the record's web address, so no slashes or spaces."""

    BAD = re.compile(r"[\s/?#%\\]")

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(_("is empty; every record needs its ref (the import key)"))
        if self.BAD.search(text):
            raise ValueError(
                _("'%(v)s' cannot be a ref: it is part of the record's web address, so it may "
                  "not contain spaces, '/', '?', '#', '%%' or '\\'") % {"v": text}
            )  # fmt: skip
        return text


class YearWidget(widgets.IntegerWidget):
    """A Gregorian year of birth (``read_year``). A Solar Hijri year is refused with
    the two Gregorian years it overlaps: a file has no room to say which one is meant."""

    # The reading depends on the cell alone: ``Column.clean`` keeps it per distinct cell.
    repeats = True

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            year = read_year(text)
        except YearError as exc:
            if exc.code == YearError.NOT_A_YEAR:
                raise ValueError(_("'%(v)s' is not a year") % {"v": text}) from None
            raise ValueError(
                _("%(year)s is not a plausible year of birth.") % {"year": exc.text}
            ) from None
        if year.is_solar_hijri:
            a, b = year.gregorian_span
            raise ValueError(
                _("'%(v)s' looks like a Solar Hijri year; give the Gregorian year "
                  "(%(a)s or %(b)s)") % {"v": year.number, "a": a, "b": b}
            )  # fmt: skip
        return year.number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class BooleanWordWidget(widgets.BooleanWidget):
    # The reading depends on the cell alone: ``Column.clean`` keeps it per distinct cell.
    repeats = True

    TRUE = {"yes", "true", "1", "y", "بله"}
    FALSE = {"no", "false", "0", "n", "", "خیر"}
    # Each value by its label, as the import preview shows a cell to a Persian reader
    # (archive.core.importing.preview): the words of the admin's own yes/no filter,
    # "بله" and "خیر", which ``clean`` reads back.
    choices = ((True, _("Yes")), (False, _("No")))

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("'%(v)s' is not yes or no") % {"v": cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class IsoDateWidget(widgets.DateWidget):
    # The reading depends on the cell alone: ``Column.clean`` keeps it per distinct cell.
    repeats = True

    def clean(self, value, row=None, **kwargs):
        text = ascii_digits(cell_text(value))
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

    # The reading depends on the cell alone: ``Column.clean`` keeps it per distinct cell.
    repeats = True

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
        text = " ".join(cell_text(value).lower().split())
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
                % {"v": cell_text(value), "allowed": ", ".join(self.allowed())}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class AliasesWidget(widgets.Widget):
    """Several names in one cell, separated by '|' or by line breaks; stored one per line
    and written back separated by ' | '."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
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
    text = ascii_digits(cell_text(value))
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?", text)
    if not match:
        raise ValueError(
            _("'%(v)s' is not a date; write it as 1988, 1988-08 or 1988-08-15") % {"v": text}
        )
    year_text, month_text, day_text = match.groups()
    month = int(month_text) if month_text else None
    day = int(day_text) if day_text else None
    try:
        year = read_year(year_text, earliest=EARLIEST_DATE_YEAR, latest=LATEST_DATE_YEAR)
    except YearError:
        raise ValueError(_("'%(v)s' is not a plausible year") % {"v": text}) from None
    if year.is_solar_hijri:
        if day is None:
            raise ValueError(
                _("'%(v)s' looks like a Solar Hijri year or month, which spans parts of two "
                  "Gregorian ones; give the Gregorian date (e.g. 1988 or 1988-08) or the full "
                  "Solar Hijri day (e.g. 1367-05-10)") % {"v": text}
            )  # fmt: skip
        try:
            return PartialDate(JalaliDate(year.number, month, day).to_gregorian(), DAY)
        except ValueError:
            raise ValueError(
                _("'%(v)s' is not a Solar Hijri date that exists") % {"v": text}
            ) from None
    year = year.number
    if month is not None and not 1 <= month <= 12:
        raise ValueError(_("'%(v)s' is not a date: the month must be from 1 to 12") % {"v": text})
    try:
        if day is not None:
            return PartialDate(date(year, month, day), DAY)
        if month is not None:
            return PartialDate(date(year, month, 1), MONTH)
        return PartialDate(date(year, 1, 1), YEAR)
    except ValueError:
        raise ValueError(
            _("'%(v)s' is not a date: that month has no day %(day)s") % {"v": text, "day": day}
        ) from None


class PartialDateWidget(widgets.Widget):
    # The reading depends on the cell alone: ``Column.clean`` keeps it per distinct cell.
    repeats = True

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

    # A name, once found or created, reads as the same record for the rest of the import.
    repeats = True

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
        text = cell_text(value)
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

    # The reading depends on the cell alone: ``Column.clean`` keeps it per distinct cell.
    repeats = True

    def __init__(self, model, *, noun, field="slug", required=False):
        super().__init__(model, field=field)
        self.noun = noun
        self.required = required
        self._known: dict[str, object] | None = None

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
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
