"""Template helpers of the dossiers: footnote numbers, numbers and dates in the reader's
digits and calendar (Persian digits and the Solar Hijri calendar on Persian dossiers)."""

import re
from urllib.parse import urljoin

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from archive.core.dates import DAY, GREGORIAN_MONTHS_EN, PartialDate
from archive.core.digits import persian_digits
from archive.core.display import localized_number, reads_persian
from archive.templatetags.archive_tags import format_partial
from sources.footnotes import MARKER

register = template.Library()


_persian = reads_persian
digits = localized_number


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
def comma():
    """A comma in the reader's script (the Persian comma on Persian dossiers)."""
    return "،" if _persian() else ","


@register.simple_tag
def dcite(notes, obj, *claims):
    """Footnote numbers for one or more claims of a record, in the reader's digits."""
    numbers = set()
    for claim in claims or ("general",):
        numbers.update(notes.cite(obj, claim))
    return format_html("{}{}", _sup(sorted(numbers)), _versions(notes, obj, claims))


def _versions(notes, obj, claims) -> str:
    """ "; September 1988 according to ³" for each other value a source gives, when the
    footnotes are those of one fact (``general`` beside it has no value). A heading that
    gathers several facts (both names) shows no versions: each has its own row."""
    facts = [claim for claim in claims if claim != "general"]
    if len(facts) != 1:
        return ""
    found = notes.versions(obj, facts[0])
    return format_html_join(
        "",
        '<span class="version">{} <bdi>{}</bdi> {}{}</span>',
        (
            (mark_safe("؛" if _persian() else ";"), value, gettext("according to"), _sup(nums))
            for value, nums in found
        ),
    )


@register.simple_tag
def dcited_text(notes, obj, text):
    """A text whose ``[src:ID]`` markers become footnote numbers; a marker that points
    at no public citation of the record is dropped."""
    text = text or ""
    out, last = [], 0
    for match in MARKER.finditer(text):
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


def _date(value: PartialDate | None):
    """A partial date at its precision; on Persian dossiers the Solar Hijri date with the
    Gregorian beside it in brackets, the brackets in the same run of text as the date
    they hold and kept on one line with it.

    Not ``format_partial``'s ``(<bdi>…</bdi>)``: WeasyPrint lays out each inline box by
    itself, and a bracket alone in a box of a right-to-left line was mirrored and placed
    apart from its date when the line broke inside the brackets."""
    if value is None:
        return ""
    if _persian():
        return format_html(
            '<time datetime="{}">{} <span class="gregorian">({})</span></time>',
            value.iso(),
            value.jalali("fa"),
            value.gregorian("fa"),
        )
    return format_partial(value)


@register.simple_tag
def pdate(value):
    """A ``PartialDate`` at its precision (Solar Hijri with the Gregorian beside on
    Persian dossiers)."""
    return _date(value) if isinstance(value, PartialDate) else ""


@register.simple_tag
def ddate(obj, field):
    """A record's partial date at its precision."""
    return _date(obj.partial(field)) if hasattr(obj, "partial") else ""


@register.simple_tag
def plain_date(value):
    """A plain ``date`` (day precision), e.g. when a testimony was received."""
    return _date(PartialDate(value, DAY)) if value else ""


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
            '<time datetime="{}">{}، {} UTC <span class="gregorian">({})</span></time>',
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


@register.simple_tag
def isolate(text, cls=""):
    """A name, title or phrase of either script set apart from the text around it, in
    its own direction: ``<bdi dir="ltr">Head of the Judiciary (Judiciary Chief)</bdi>`` on
    a Persian dossier.

    The direction is written out (as ``dir="auto"`` would find it, by the first strong
    letter) because WeasyPrint, which makes the PDF, knows only ``dir="ltr"`` and
    ``dir="rtl"``: a ``<bdi>`` without it took the page's direction, and the brackets and
    full stops of an English title on a Persian page went to the wrong end. A text in the
    page's own direction needs no element (fewer boxes for WeasyPrint to lay out)."""
    text = "" if text is None else str(text)
    if not text:
        return ""
    direction = text_dir(text)
    page = "rtl" if translation.get_language_bidi() else "ltr"
    if direction == page:
        if cls:
            return format_html('<span class="{}">{}</span>', cls, text)
        return conditional_escape(text)
    if cls:
        return format_html(
            '<bdi dir="{}" lang="{}" class="{}">{}</bdi>', direction, text_lang(text), cls, text
        )
    return format_html('<bdi dir="{}" lang="{}">{}</bdi>', direction, text_lang(text), text)


@register.simple_tag
def isolate_first(obj, fa_field, latin_field, other=False):
    """A record's text in the reader's script (``fa_field`` on Persian dossiers, else
    ``latin_field``; the other when that one is blank), isolated; with ``other``, the text
    in the other script, only when the record has both."""
    fa, latin = getattr(obj, fa_field, "") or "", getattr(obj, latin_field, "") or ""
    first, second = (fa, latin) if _persian() else (latin, fa)
    if other:
        return isolate(second) if first and second else ""
    return isolate(first or second)


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


@register.filter
def documents_of(dossier, source):
    """The public documents of a cited source (none for a private testimony)."""
    return dossier.documents_of(source)
