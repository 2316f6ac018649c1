"""Partial dates ("August 1988", "1988", "19 July 1988") and their display in the
Gregorian and Solar Hijri calendars.

Pure Python: no Django. A date is stored as a Gregorian ``date`` plus a precision; only
the parts the precision covers are meaningful (``1988-08-01`` at month precision means
"August 1988"). A Solar Hijri year or month does not line up with a Gregorian one, so a
Gregorian month or year is shown in Solar Hijri as the span it covers
("Mordad–Shahrivar 1399"), never as a made-up single month.

``read_year`` is the one reading of a year people type (the family form, an import, the
model's check): Gregorian or Solar Hijri, in any digits, or refused with the reason.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from persiantools.jdatetime import JalaliDate

from archive.core.digits import ascii_digits, persian_digits

YEAR, MONTH, DAY = "year", "month", "day"
PRECISIONS = (YEAR, MONTH, DAY)

GREGORIAN_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
JALALI_MONTHS_EN = (
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
)  # fmt: skip
JALALI_MONTHS_FA = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
GREGORIAN_MONTHS_FA = (
    "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن",
    "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
)  # fmt: skip


@dataclass(frozen=True)
class PartialDate:
    """A Gregorian date known to a precision of a year, a month or a day."""

    value: date
    precision: str = DAY

    def __post_init__(self):
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {self.precision!r}")

    @classmethod
    def from_parts(cls, value: date | None, precision: str | None) -> PartialDate | None:
        if value is None:
            return None
        return cls(value, precision or DAY)

    @property
    def first_day(self) -> date:
        if self.precision == YEAR:
            return date(self.value.year, 1, 1)
        if self.precision == MONTH:
            return date(self.value.year, self.value.month, 1)
        return self.value

    @property
    def last_day(self) -> date:
        if self.precision == YEAR:
            return date(self.value.year, 12, 31)
        if self.precision == MONTH:
            days = calendar.monthrange(self.value.year, self.value.month)[1]
            return date(self.value.year, self.value.month, days)
        return self.value

    def iso(self) -> str:
        """ISO 8601 at the date's precision: ``1988``, ``1988-08``, ``1988-08-15``."""
        if self.precision == YEAR:
            return f"{self.value.year:04d}"
        if self.precision == MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def gregorian(self, lang: str = "en") -> str:
        months = GREGORIAN_MONTHS_FA if lang == "fa" else GREGORIAN_MONTHS_EN
        v = self.value
        if self.precision == YEAR:
            text = f"{v.year}"
        elif self.precision == MONTH:
            text = f"{months[v.month - 1]} {v.year}"
        else:
            text = f"{v.day} {months[v.month - 1]} {v.year}"
        return persian_digits(text) if lang == "fa" else text

    def jalali(self, lang: str = "fa") -> str:
        """The Solar Hijri rendering at the same precision, as a span where the
        Gregorian period covers parts of two Solar Hijri months or years."""
        months = JALALI_MONTHS_FA if lang == "fa" else JALALI_MONTHS_EN
        start = JalaliDate(self.first_day)
        end = JalaliDate(self.last_day)
        if self.precision == DAY:
            text = f"{start.day} {months[start.month - 1]} {start.year}"
        elif self.precision == MONTH:
            if (start.year, start.month) == (end.year, end.month):
                text = f"{months[start.month - 1]} {start.year}"
            elif start.year == end.year:
                text = f"{months[start.month - 1]}–{months[end.month - 1]} {start.year}"
            else:
                text = f"{months[start.month - 1]} {start.year}–{months[end.month - 1]} {end.year}"
        else:
            text = f"{start.year}" if start.year == end.year else f"{start.year}–{end.year}"
        return persian_digits(text) if lang == "fa" else text

    def __str__(self) -> str:
        return self.gregorian("en")


def jalali_year_span(gregorian_year: int) -> tuple[int, int]:
    """The Solar Hijri years a Gregorian year overlaps (1988 -> (1366, 1367))."""
    return JalaliDate(date(gregorian_year, 1, 1)).year, JalaliDate(
        date(gregorian_year, 12, 31)
    ).year


# --- Reading a year ---------------------------------------------------------------------

GREGORIAN, SOLAR_HIJRI = "gregorian", "solar_hijri"
# The Solar Hijri year begins in March: year Y runs from March of Gregorian Y + 621 to
# March of Y + 622, so mostly through Y + 621.
SOLAR_HIJRI_OFFSET = 621
# The earliest year of birth the archive records: the oldest people in the 1988 lists
# were born around 1900; a source naming an older relative still fits.
EARLIEST_BIRTH_YEAR = 1850
# The years a date of an event (an arrest, a death, a publication) may fall in.
EARLIEST_DATE_YEAR, LATEST_DATE_YEAR = 1800, 2100

_FOUR_DIGITS = re.compile(r"[0-9]{4}", re.ASCII)


@dataclass(frozen=True)
class Year:
    """A year as written (``number``) and the calendar it was read in."""

    number: int
    calendar: str = GREGORIAN

    @property
    def is_solar_hijri(self) -> bool:
        return self.calendar == SOLAR_HIJRI

    @property
    def gregorian_span(self) -> tuple[int, int]:
        """The Gregorian years it overlaps: (1961, 1962) for Solar Hijri 1340."""
        if self.is_solar_hijri:
            return self.number + SOLAR_HIJRI_OFFSET, self.number + SOLAR_HIJRI_OFFSET + 1
        return self.number, self.number

    @property
    def gregorian(self) -> int:
        """The Gregorian year it falls in, or for a Solar Hijri year the one that holds
        most of it (1340 -> 1961)."""
        return self.gregorian_span[0]


class YearError(ValueError):
    """Text that is not a year this archive can use; ``code`` says why (NOT_A_YEAR: not
    four digits; OUT_OF_RANGE: four digits in neither calendar's span), ``text`` is what
    was read (Persian digits as ASCII)."""

    NOT_A_YEAR = "not_a_year"
    OUT_OF_RANGE = "out_of_range"

    def __init__(self, code: str, text: str, message: str):
        super().__init__(message)
        self.code = code
        self.text = text


def read_year(
    text: object, *, earliest: int = EARLIEST_BIRTH_YEAR, latest: int | None = None
) -> Year:
    """Four digits (ASCII, Persian or Arabic-Indic; spaces around ignored) read as a year
    of either calendar: a Gregorian year from ``earliest`` to ``latest`` (this year unless
    given), or a Solar Hijri year over the same span (``earliest`` - 621 to ``latest`` -
    621: 1229 to this year's). The two spans never meet while ``latest`` - 621 is before
    ``earliest``, so four digits name one calendar only. Raises ``YearError``, whose
    message names what is wrong; each caller words it for its reader (the family form,
    an import's report, the admin) through ``code``."""
    written = ascii_digits(str(text if text is not None else "")).strip()
    latest = date.today().year if latest is None else latest
    if not _FOUR_DIGITS.fullmatch(written):
        raise YearError(
            YearError.NOT_A_YEAR, written, f"{written!r} is not a year: write four digits"
        )
    number = int(written)
    if earliest <= number <= latest:
        return Year(number, GREGORIAN)
    if earliest - SOLAR_HIJRI_OFFSET <= number <= latest - SOLAR_HIJRI_OFFSET:
        return Year(number, SOLAR_HIJRI)
    raise YearError(
        YearError.OUT_OF_RANGE,
        written,
        f"{written!r} is not a plausible year: give one from {earliest} to {latest}, or "
        f"{earliest - SOLAR_HIJRI_OFFSET} to {latest - SOLAR_HIJRI_OFFSET} in the Solar "
        f"Hijri calendar",
    )
