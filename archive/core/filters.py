"""Filter parts shared by the public lists and the API (django-filter).

One rule for a filter value that cannot be used (it names nothing, a word where a number
goes, a number past any id, a NUL): it is never applied silently, nor sent to the
database. A list page, read by people, shows the list without it and says beside the
field why and "This filter was not applied."; the API, read by programs, answers 400 with
``{"errors": {"<parameter>": ["<why>"]}}``. The why is the form's own message, translated.
A cursor this site did not give: the first page with a notice, or a 400 naming ``cursor``.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from archive.core.models import Event, Organisation, Place


class BilingualModelChoiceField(forms.ModelChoiceField):
    """Choices labelled in the reader's script."""

    def label_from_instance(self, obj):
        return obj.display_name() if hasattr(obj, "display_name") else str(obj)


def _attributes(attrs: dict) -> str:
    """HTML attributes as Django's ``attrs.html`` writes them, in their order: True as
    the bare name, False left out."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python, the same HTML as Django's templates write. The
    victims' list offers every public prison and region: with 500 places, Django's
    template per option took ~100 ms of every render of the list (a third of a list
    page's render right after an edit at 1,000,000 victims)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html('<select name="{}"', widget["name"]),
            _attributes(widget["attrs"]),
            ">",
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts += [
                    format_html('\n  <option value="{}"', option["value"]),
                    _attributes(option["attrs"]),
                    format_html(">{}</option>", option["label"]),
                ]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part escaped above


class BilingualChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BilingualModelChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.Filter):
    """A Gregorian year, filtered as a date range so that the date's index is used."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(
            **{
                f"{self.field_name}__gte": datetime.date(value, 1, 1),
                f"{self.field_name}__lt": datetime.date(value + 1, 1, 1),
            }
        )


# The largest id a record can have (a 64-bit primary key): a number past it names nothing,
# and the database would refuse to compare a column with it.
MAX_ID = 2**63 - 1


class RecordIdFilter(django_filters.NumberFilter):
    """The id of a record, a whole number the database can hold, e.g. a source's."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        no_record = _("No record has this number.")
        kwargs.setdefault("error_messages", {"min_value": no_record, "max_value": no_record})
        super().__init__(*args, **kwargs)


def prisons(request=None):
    """The prisons a published record uses (``Place.objects.public()``): a prison only a
    draft names is not offered."""
    return Place.objects.public().prisons().order_by("name_en", "name_fa")


def regions(request=None):
    return (
        Place.objects.public()
        .filter(kind__in=[Place.Kind.CITY, Place.Kind.PROVINCE])
        .order_by("kind", "name_en", "name_fa")
    )


def published_events(request=None):
    return Event.objects.published().order_by("start_date", "slug")


def political_organisations(request=None):
    return Organisation.objects.filter(kind=Organisation.Kind.POLITICAL)


def places_inside(place) -> list[int]:
    """Ids of ``place`` and every place inside it (prison -> city -> province), read in
    one query: the table of places is small next to the victims'."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Place.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = [], [place.pk]
    while stack and len(found) < 100_000:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


ANY = _("any")


class PlaceFilter(django_filters.FilterSet):
    """The API's places (``/api/places/?kind=prison``)."""

    kind = django_filters.ChoiceFilter(choices=Place.Kind.choices, label=_("Kind"))

    class Meta:
        model = Place
        fields = []
