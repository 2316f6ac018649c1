"""``{% cite notes record "death_date" %}``, ``{% cited_text notes record text %}`` and
``{% footnote_list notes %}``."""

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from archive.core.digits import persian_digits
from sources.footnotes import MARKER

register = template.Library()


def _sup(numbers):
    if not numbers:
        return ""
    # A Persian page numbers its notes in Persian digits, joined by the Persian comma;
    # the anchors stay ASCII.
    persian = (get_language() or "").startswith("fa")
    links = format_html_join(
        mark_safe(f'<span class="fn-sep">{"،" if persian else ","}</span>'),
        '<a href="#fn-{0}" aria-describedby="footnotes-label">{1}</a>',
        ((n, persian_digits(n) if persian else n) for n in numbers),
    )
    return format_html('<sup class="fn">{}</sup>', links)


@register.simple_tag
def cite(notes, obj, claim="general"):
    """Superscript footnote numbers for a claim (nothing when no public source), then
    each other source's version of it with its own numbers: wherever a value is shown
    with its footnotes, what other sources say of it follows (a commission's place, a
    seat's role, a post's dates as much as a victim's date of death)."""
    if notes is None:
        return ""
    return format_html("{}{}", _sup(notes.cite(obj, claim)), _versions(notes, obj, claim))


@register.simple_tag
def cite_also(notes, obj, claim, citations):
    """A claim's footnotes together with those of other records' citations that give it
    too (``Footnotes.cite_these``): a place's name, cited by the victims held there."""
    if notes is None:
        return ""
    return _sup(sorted(set(notes.cite(obj, claim)) | set(notes.cite_these(citations))))


@register.simple_tag
def cited_text(notes, obj, text):
    """A text with its ``[src:ID]`` markers turned into footnote numbers. A marker that
    points at no public citation of the record is dropped, never shown broken."""
    text = text or ""
    out, last = [], 0
    for match in MARKER.finditer(text):
        # "… JVMI (2017) [src:2]." reads "… JVMI (2017)¹.": the marker hugs its claim.
        out.append(conditional_escape(text[last : match.start()].rstrip(" ")))
        number = notes.cite_source(obj, int(match.group(1))) if notes is not None else None
        out.append(_sup([number]) if number else "")
        last = match.end()
    out.append(conditional_escape(text[last:]))
    paragraphs = "".join(str(part) for part in out).split("\n\n")
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs if p.strip()))


@register.inclusion_tag("includes/footnotes.html")
def footnote_list(notes):
    return {"notes": notes.notes() if notes is not None else []}


def _quotations(notes, obj, claim):
    quotes = notes.quotations(obj, claim) if notes is not None else []
    if len(quotes) < 2:
        return ""
    items = format_html_join(
        "",
        '<li><blockquote dir="auto">{}</blockquote>{}</li>',
        ((quote, _sup([number])) for number, quote in quotes),
    )
    return format_html(
        '<details class="quotations"><summary>{}</summary><ul>{}</ul></details>',
        gettext("What each source says"),
        items,
    )


@register.simple_tag
def quotations(notes, obj, claim="general"):
    """Where two or more sources quote different words for one claim (two dates of
    death), each version with its footnote."""
    return _quotations(notes, obj, claim)


def _versions(notes, obj, claim):
    """ "; September 1988 according to ³": each other value a source gives, with its own
    footnotes, after the record's value and its footnotes."""
    found = notes.versions(obj, claim) if notes is not None else []
    if not found:
        return ""
    # "according to" is a phrase of its own in each language; the numbers follow it.
    items = format_html_join(
        "",
        '<span class="version">{} <bdi>{}</bdi> {}{}</span>',
        (
            (mark_safe("؛" if _persian() else ";"), value, gettext("according to"), _sup(numbers))
            for value, numbers in found
        ),
    )
    return format_html('<span class="versions">{}</span>', items)


def _persian() -> bool:
    return (get_language() or "").startswith("fa")


@register.simple_tag
def versions(notes, obj, claim):
    """The other versions of one claim, each with its footnotes (nothing when none)."""
    return _versions(notes, obj, claim)


@register.simple_tag
def fact(notes, obj, claim, label, value):
    """One line of a record's facts: the value, its footnotes, each other source's
    version with its own, and where sources differ what each says. Nothing when the
    value is unknown."""
    if value is None or value == "" or value == []:
        return ""
    # The value is isolated in its own direction: an English alias on a Persian page (or
    # a Persian name on an English one) neither scrambles nor is scrambled by its line.
    return format_html(
        '<div class="fact"><dt>{}</dt><dd><bdi dir="auto">{}</bdi>{}{}</dd></div>',
        label,
        value,
        cite(notes, obj, claim),
        _quotations(notes, obj, claim),
    )


@register.simple_tag
def attributions_of(notes, obj, claim="general"):
    """[(footnote number, source)] of a claim, to attribute it: "… by JVMI (2017)¹"."""
    return notes.attributions(obj, claim) if notes is not None else []
