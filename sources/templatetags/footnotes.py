"""``{% cite notes record "death_date" %}``, ``{% cited_text notes record text %}`` and
``{% footnote_list notes %}``."""

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from sources.footnotes import MARKER

register = template.Library()


def _sup(numbers):
    if not numbers:
        return ""
    links = format_html_join(
        '<span class="fn-sep">,</span>',
        '<a href="#fn-{0}" aria-describedby="footnotes-label">{0}</a>',
        ((n,) for n in numbers),
    )
    return format_html('<sup class="fn">{}</sup>', links)


@register.simple_tag
def cite(notes, obj, claim="general"):
    """Superscript footnote numbers for a claim (nothing when no public source)."""
    return _sup(notes.cite(obj, claim)) if notes is not None else ""


@register.simple_tag
def cited_text(notes, obj, text):
    """A text with its ``[src:ID]`` markers turned into footnote numbers. A marker that
    points at no public citation of the record is dropped, never shown broken."""
    text = text or ""
    out, last = [], 0
    for match in MARKER.finditer(text):
        out.append(conditional_escape(text[last : match.start()]))
        number = notes.cite_source(obj, int(match.group(1))) if notes is not None else None
        out.append(_sup([number]) if number else "")
        last = match.end()
    out.append(conditional_escape(text[last:]))
    paragraphs = "".join(str(part) for part in out).split("\n\n")
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs if p.strip()))


@register.inclusion_tag("includes/footnotes.html")
def footnote_list(notes):
    return {"notes": notes.notes() if notes is not None else []}
