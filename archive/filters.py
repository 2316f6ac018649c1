"""Filter parts shared by the public lists and the API (django-filter)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from archive.models import Event, Organisation, Place


class BilingualModelChoiceField(forms.ModelChoiceField):
    """Choices labelled in the reader's script."""

    def label_from_instance(self, obj):
        return obj.display_name() if hasattr(obj, "display_name") else str(obj)


class BilingualChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BilingualModelChoiceField


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


def prisons(request=None):
    return Place.objects.prisons().order_by("name_en", "name_fa")


def regions(request=None):
    return Place.objects.filter(kind__in=[Place.Kind.CITY, Place.Kind.PROVINCE]).order_by(
        "kind", "name_en", "name_fa"
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
