"""Digits in both directions, the one home of the rule: Persian pages write numbers with
Persian digits (and the Persian thousands and decimal separators); what people type or
paste (forms, spreadsheets, sign-in codes, receipt codes) may hold Persian or Arabic-Indic
digits, which are read as ASCII. Pure Python, no Django."""

from __future__ import annotations

_TO_PERSIAN = str.maketrans("0123456789,.", "۰۱۲۳۴۵۶۷۸۹٬٫")
_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_PERSIAN_ONLY_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def persian_digits(value: object) -> str:
    """The ASCII digits of ``value`` written with Persian digits (nothing else changed)."""
    return str(value).translate(_PERSIAN_ONLY_DIGITS)


def ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits in ``text`` read as ASCII digits."""
    return (text or "").translate(_TO_ASCII)


def number(value: object, *, persian: bool) -> str:
    """A number as a reader reads it: grouped by thousands (1,988 people; ۱٬۹۸۸ نفر),
    with Persian digits and separators on Persian pages. Text is written as it is."""
    text = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
    return text.translate(_TO_PERSIAN) if persian else text
