"""Template helpers shared by every page: language links, partial dates, names."""

from django import template
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html

from archive.dates import PartialDate, persian_digits

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, lang_code):
    """The current page in another language (the same record, the same filters)."""
    request = context["request"]
    return translate_url(request.get_full_path(), lang_code)


@register.simple_tag
def partial_date(obj, field):
    """A record's partial date at its precision; on Persian pages in the Solar Hijri
    calendar with the Gregorian date beside it."""
    value = obj.partial(field) if hasattr(obj, "partial") else None
    return format_partial(value)


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


@register.filter
def num(value):
    """A number in the reader's digits (Persian digits on Persian pages)."""
    if value is None:
        return ""
    lang = translation.get_language() or "en"
    text = f"{value:,}" if isinstance(value, int) else str(value)
    if lang.startswith("fa"):
        return persian_digits(text.replace(",", "٬"))
    return text


@register.simple_tag
def name_of(obj):
    """The name in the reader's script first."""
    return obj.display_name(translation.get_language())
