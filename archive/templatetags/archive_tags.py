"""Template helpers shared by every page: language links, partial dates, names."""

import re
from functools import lru_cache

from django import template
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from archive.core.digits import persian_digits
from archive.core.display import (
    format_age,
    format_partial,
    listed,
    localized_digits,
    localized_number,
)
from archive.core.records import published

register = template.Library()


@lru_cache(maxsize=4096)
def _translated(path: str, lang_code: str) -> str:
    # translate_url resolves the path and reverses it: the same answer for the same path
    # every time (the URLconf does not change while the process runs), and a page asks
    # for its own path in each language several times (canonical, alternates, switch).
    return translate_url(path, lang_code)


@register.simple_tag(takes_context=True)
def language_url(context, lang_code):
    """The current page in another language (the same record, the same filters)."""
    request = context["request"]
    return _translated(request.get_full_path(), lang_code)


@register.simple_tag
def partial_date(obj, field):
    """A record's partial date at its precision; on Persian pages in the Solar Hijri
    calendar with the Gregorian date beside it."""
    value = obj.partial(field) if hasattr(obj, "partial") else None
    return format_partial(value)


@register.filter
def num(value):
    """A number in the reader's digits (Persian digits on Persian pages)."""
    return localized_number(value)


@register.simple_tag
def name_of(obj):
    """The name in the reader's script first."""
    return obj.display_name(translation.get_language())


@register.simple_tag(takes_context=True)
def alternate_url(context, lang_code=None):
    """This page's absolute URL (no query) in ``lang_code``, for the canonical link and
    the hreflang alternates."""
    request = context["request"]
    path = _translated(request.path, lang_code) if lang_code else request.path
    return request.build_absolute_uri(path)


@register.simple_tag
def person_name(obj, tag="span"):
    """The name in the reader's script, the other script beside it; each isolated so
    that Latin and Persian do not scramble one another."""
    lang = translation.get_language() or "en"
    first = obj.display_name(lang)
    other = obj.other_script_name(lang) if hasattr(obj, "other_script_name") else ""
    first_lang = "fa" if first and first == getattr(obj, "name_fa", None) else "en"
    if other:
        return format_html(
            '<bdi lang="{}">{}</bdi> <span class="other-script">(<bdi lang="{}">{}</bdi>)</span>',
            first_lang,
            first,
            "en" if first_lang == "fa" else "fa",
            other,
        )
    return format_html('<bdi lang="{}">{}</bdi>', first_lang, first)


@register.simple_tag
def bilingual(obj):
    """A place, event or organisation named in the reader's script, isolated."""
    if obj is None:
        return ""
    return format_html('<bdi dir="auto">{}</bdi>', obj.display_name(translation.get_language()))


@register.simple_tag
def place_link(place):
    """A place named in the reader's script, linked to its page. Only for places a
    published record shown on the page uses (they are public by that very use:
    ``PlaceQuerySet.public``)."""
    if place is None:
        return ""
    name = place.display_name(translation.get_language())
    if not getattr(place, "slug", ""):
        return format_html('<bdi dir="auto">{}</bdi>', name)
    return format_html(
        '<a href="{}" class="place-link"><bdi dir="auto">{}</bdi></a>',
        place.get_absolute_url(),
        name,
    )


@register.simple_tag
def coordinates(place):
    """A place's latitude and longitude in decimal degrees, in the reader's digits."""
    if place is None or place.latitude is None or place.longitude is None:
        return ""
    latitude, longitude = place.latitude, place.longitude
    if latitude < 0 or longitude < 0:  # never in Iran; shown as stored
        return f"{latitude}, {longitude}"
    return gettext("%(latitude)s° N, %(longitude)s° E") % {
        "latitude": localized_number(f"{latitude:.5f}"),
        "longitude": localized_number(f"{longitude:.5f}"),
    }


_TRAILING_PARENS = re.compile(r"\s*\(([^()]*)\)\s*$")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z/&.\-]{1,14}$")


def short_publisher(publisher: str) -> str:
    """ "Justice for the Victims of the 1988 Massacre in Iran (JVMI)" -> "JVMI";
    "U.S. Department of State (@statedeptspox)" -> "U.S. Department of State"."""
    publisher = (publisher or "").strip()
    match = _TRAILING_PARENS.search(publisher)
    if not match:
        return publisher
    inner = match.group(1).strip()
    if _ACRONYM.match(inner) and sum(ch.isupper() for ch in inner) >= 2:
        return inner
    return publisher[: match.start()].strip() or publisher


@register.filter
def source_short(source):
    """How an attribution names a source (its public view, or a source, whose public view
    is taken): its publisher (or title) and year, e.g. "JVMI (2017)"; a private testimony
    only as such."""
    if source is None:
        return ""
    if hasattr(source, "public_view"):
        source = source.public_view()
    if source.private:
        return translation.gettext("a private testimony")
    name = short_publisher(source.publisher) or source.author or source.title
    if source.date:
        year = source.date.year
        lang = translation.get_language() or "en"
        return f"{name} ({persian_digits(year) if lang.startswith('fa') else year})"
    return name


@register.filter(name="published")
def published_filter(record):
    """``victim.event|published``: the linked record, or None when it is not published."""
    return published(record)


@register.filter
def localized(obj, attribute):
    """``event|localized:"description"``: calls ``obj.description()`` in the reader's
    language."""
    method = getattr(obj, attribute, None)
    return method(translation.get_language()) if callable(method) else ""


@register.filter(name="listed")
def listed_filter(items):
    """A list joined as the reader's language joins one (``display.listed``)."""
    return listed(items)


@register.filter
def digits(value):
    """A year or a code in the reader's digits, without grouping (1988, not 1,988)."""
    return localized_digits(value)


@register.simple_tag
def page_number(cl, i):
    """An admin list's link to its page ``i``: Django's ``paginator_number`` (admin_list,
    Django 5.2), the number in the reader's digits (the Persian admin wrote "1 2 … 9";
    the links are Django's, ``?p=2``)."""
    from django.contrib.admin.views.main import PAGE_VAR

    if i == cl.paginator.ELLIPSIS:
        return format_html("{} ", cl.paginator.ELLIPSIS)
    if i == cl.page_num:
        return format_html('<span class="this-page">{}</span> ', localized_digits(i))
    return format_html(
        '<a href="{}"{}>{}</a> ',
        cl.get_query_string({PAGE_VAR: i}),
        mark_safe(' class="end"' if i == cl.paginator.num_pages else ""),
        localized_digits(i),
    )


_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


@register.filter
def text_lang(text):
    """``fa`` or ``en`` by a text's first letter, for a record's free text (a biography,
    a quotation, "as reported") that has one language only: on a Persian page an English
    biography is marked lang="en", so that a screen reader reads it in an English voice.
    Names are not marked so: they are attested spellings (person_name)."""
    text = str(text or "")
    persian, latin = _ARABIC_SCRIPT.search(text), _LATIN_LETTER.search(text)
    if persian and (not latin or persian.start() < latin.start()):
        return "fa"
    return "en" if latin else ""


@register.filter
def age(value):
    """An age at death (``archive.core.ages.Age``) in the reader's digits and words."""
    return format_age(value)
