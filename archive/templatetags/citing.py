"""``{% citation_metadata obj %}``: a record's or a source's embedded citation metadata
for the page's ``<head>`` (``archive.public.citations``)."""

import json

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from archive.public import citations
from sources.models import Source

register = template.Library()

# As Django's json_script: nothing in the data can close the script element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def citation_metadata(context, obj):
    request = context["request"]
    if isinstance(obj, Source):
        citable = citations.for_source(request, obj)
    else:
        citable = citations.for_person(request, obj)
    tags = format_html_join("\n", '<meta name="{}" content="{}">', citations.highwire(citable))
    data = json.dumps(citations.json_ld(citable), ensure_ascii=False).translate(_JSON_ESCAPES)
    script = format_html('<script type="application/ld+json">{}</script>', mark_safe(data))
    return format_html("{}\n{}", tags, script)
