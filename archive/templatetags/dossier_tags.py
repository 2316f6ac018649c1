"""Template helpers of the dossiers: footnote numbers, numbers and dates in the reader's
digits and calendar (Persian digits and the Solar Hijri calendar on Persian dossiers)."""

import re
from urllib.parse import urljoin

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from archive.dates import DAY, GREGORIAN_MONTHS_EN, PartialDate, persian_digits
from archive.templatetags.archive_tags import format_partial

register = template.Library()

_MARKER = r"\[src:(\d+)\]"


def _persian() -> bool:
    return (translation.get_language() or "en").startswith("fa")


def digits(value) -> str:
    text = f"{value:,}" if isinstance(value, int) else str(value)
    return persian_digits(text.replace(",", "٬")) if _persian() else text


def _sup(numbers) -> str:
    numbers = [n for n in numbers if n]
    if not numbers:
        return ""
    comma = "،" if _persian() else ","
    links = format_html_join(
        format_html('<span class="fn-sep">{}</span>', comma),
        '<a href="#fn-{}">{}</a>',
        ((n, digits(n)) for n in numbers),
    )
    return format_html('<sup class="fn">{}</sup>', links)


@register.simple_tag
def dcite(notes, obj, *claims):
    """Footnote numbers for one or more claims of a record, in the reader's digits."""
    numbers = set()
    for claim in claims or ("general",):
        numbers.update(notes.cite(obj, claim))
    return _sup(sorted(numbers))


@register.simple_tag
def dcited_text(notes, obj, text):
    """A text whose ``[src:ID]`` markers become footnote numbers; a marker that points
    at no public citation of the record is dropped."""
    text = text or ""
    out, last = [], 0
    for match in re.finditer(_MARKER, text):
        number = notes.cite_source(obj, int(match.group(1)))
        before = text[last : match.start()]
        # "by JVMI (2017) [src:2]." reads "by JVMI (2017)²." on paper.
        out.append(str(conditional_escape(before.rstrip(" ") if number else before)))
        out.append(_sup([number]) if number else "")
        last = match.end()
    out.append(str(conditional_escape(text[last:])))
    paragraphs = "".join(out).split("\n\n")
    return mark_safe("".join(f"<p>{p.strip()}</p>" for p in paragraphs if p.strip()))


@register.filter
def localnum(value):
    """A number in the reader's digits."""
    return "" if value is None else digits(value)


@register.simple_tag
def pdate(value):
    """A ``PartialDate`` at its precision (Solar Hijri with the Gregorian beside on
    Persian dossiers)."""
    return format_partial(value) if isinstance(value, PartialDate) else ""


@register.simple_tag
def ddate(obj, field):
    """A record's partial date, as ``partial_date`` does."""
    return format_partial(obj.partial(field)) if hasattr(obj, "partial") else ""


@register.simple_tag
def plain_date(value):
    """A plain ``date`` (day precision), e.g. when a testimony was received."""
    return format_partial(PartialDate(value, DAY)) if value else ""


@register.simple_tag
def timestamp(value):
    """A moment in UTC to the second: ``25 November 2026, 14:03:07 UTC``; on Persian
    dossiers the Solar Hijri day with the Gregorian beside, in Persian digits."""
    if value is None:
        return ""
    from datetime import UTC

    value = value.astimezone(UTC)
    clock = value.strftime("%H:%M:%S")
    day = PartialDate(value.date(), DAY)
    if _persian():
        return format_html(
            '<time datetime="{}">{}، {} UTC <span class="gregorian">(<bdi>{}</bdi>)</span></time>',
            value.isoformat(timespec="seconds"),
            day.jalali("fa"),
            persian_digits(clock),
            day.gregorian("fa"),
        )
    return format_html(
        '<time datetime="{}">{} {} {}, {} UTC</time>',
        value.isoformat(timespec="seconds"),
        value.day,
        GREGORIAN_MONTHS_EN[value.month - 1],
        value.year,
        clock,
    )


_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LTR = re.compile(r"[A-Za-z\u00c0-\u024f]")


@register.filter
def text_dir(text):
    """``rtl`` or ``ltr`` by a text's first strong letter: an English biography on a
    Persian dossier (or the reverse) is laid out in its own direction."""
    text = str(text or "")
    rtl, ltr = _RTL.search(text), _LTR.search(text)
    if rtl and (not ltr or rtl.start() < ltr.start()):
        return "rtl"
    return "ltr"


@register.filter
def text_lang(text):
    return "fa" if text_dir(text) == "rtl" else "en"


@register.filter
def isoformat(value):
    return value.isoformat(timespec="seconds") if value else ""


@register.filter
def chunks(text, size=16):
    """A long digest cut in groups, so that a reader can compare it group by group."""
    size = int(size)
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


@register.filter
def place_name(place):
    return place.display_name(translation.get_language()) if place else ""


@register.simple_tag(takes_context=True)
def absolute(context, path):
    """An absolute URL on this archive, as printed on paper: on the site's address the
    dossier is printed for (``base_url``), so that a background renderer prints the same
    URLs as a request would."""
    base_url = context.get("base_url")
    if base_url:
        return urljoin(base_url, path)
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.filter
def members_of(dossier, commission):
    return dossier.members_of(commission)
