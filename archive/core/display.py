"""How a value is shown to a reader in their language, the same on public pages, in the
admin and in dossiers: a partial date at its precision (in Persian, the Solar Hijri date
with the Gregorian beside it)."""

from __future__ import annotations

from django.utils import translation
from django.utils.html import format_html

from archive.core.dates import PartialDate
from archive.core.digits import number, persian_digits


def format_partial(value: PartialDate | None):
    if value is None:
        return ""
    lang = translation.get_language() or "en"
    if lang.startswith("fa"):
        return format_html(
            '<time datetime="{}">{}</time> <span class="gregorian">(<bdi>{}</bdi>)</span>',
            value.iso(),
            value.jalali("fa"),
            value.gregorian("fa"),
        )
    return format_html('<time datetime="{}">{}</time>', value.iso(), value.gregorian("en"))


def separator(*, strong: bool = False) -> str:
    """What joins the items of a list in the reader's language: a comma (Persian "، "), or
    between items that hold commas themselves a semicolon (Persian "؛ "). The same
    message ids as the templates' (``{% translate ", " context "list separator" %}``)."""
    if strong:
        return translation.pgettext("strong list separator", "; ")
    return translation.pgettext("list separator", ", ")


def listed(items, *, strong: bool = False) -> str:
    """``items`` joined as the reader's language joins a list (``separator``)."""
    return separator(strong=strong).join(str(item) for item in items)


def reads_persian() -> bool:
    """Whether the reader's language (the request's, or the one activated) is Persian."""
    return (translation.get_language() or "en").startswith("fa")


def localized_number(value) -> str:
    """A count or a figure in the reader's digits, grouped by thousands (1,988; ۱٬۹۸۸)."""
    if value is None or value == "":
        return ""
    return number(value, persian=reads_persian())


def localized_digits(value) -> str:
    """A year or a code in the reader's digits, without grouping (1988, not 1,988)."""
    if value is None or value == "":
        return ""
    return persian_digits(value) if reads_persian() else str(value)


def format_age(age) -> str:
    """An age at death (``archive.core.ages.Age``) in the reader's digits: "27" or
    "27–28"; in Persian "۲۷ تا ۲۸", words that keep the range in reading order on a
    right-to-left page (a dash between digits alone would be laid out left to right)."""
    if age is None:
        return ""
    if age.exact:
        return localized_digits(age.low)
    if reads_persian():
        return f"{persian_digits(age.low)} تا {persian_digits(age.high)}"
    return f"{age.low}–{age.high}"
