"""Filters of the public victims list and the API: year of death, prison, city or
province (through the prison's parent chain), event, commission, affiliation, gender,
fate. A value that names nothing is a form error shown beside the field, never a 500."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from archive.core.filters import (
    ANY,
    BilingualChoiceFilter,
    RecordIdFilter,
    YearFilter,
    places_inside,
    political_organisations,
    prisons,
    published_events,
    regions,
)
from archive.core.models import Gender
from perpetrators.models import Commission
from sources.models import Citation
from victims.models import Fate, Victim

GENDERS = [(value, label) for value, label in Gender.choices if value]


class VictimFilter(django_filters.FilterSet):
    year = YearFilter(field_name="death_date", label=_("Year of death"))
    prison = BilingualChoiceFilter(queryset=prisons, label=_("Prison"), empty_label=ANY)
    place = BilingualChoiceFilter(
        queryset=regions,
        label=_("City or province"),
        method="filter_place",
        empty_label=ANY,
        help_text=_("Victims held in a prison in this city or province."),
    )
    event = BilingualChoiceFilter(
        queryset=published_events, to_field_name="slug", label=_("Event"), empty_label=ANY
    )
    commission = BilingualChoiceFilter(
        queryset=lambda request: Commission.objects.published(),
        to_field_name="slug",
        label=_("Commission"),
        empty_label=ANY,
    )
    affiliation = BilingualChoiceFilter(
        queryset=political_organisations, label=_("Affiliation"), empty_label=ANY
    )
    gender = django_filters.ChoiceFilter(choices=GENDERS, label=_("Gender"), empty_label=ANY)
    fate = django_filters.ChoiceFilter(choices=Fate.choices, label=_("Fate"), empty_label=ANY)
    # Reached from a source's page ("all victims citing this source"), not from the form.
    source = RecordIdFilter(
        label=_("Cited to source"), method="filter_source", widget=forms.HiddenInput
    )

    class Meta:
        model = Victim
        fields = []

    def filter_place(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(prison_id__in=places_inside(value))

    def filter_source(self, queryset, name, value):
        if value is None:
            return queryset
        cited = Citation.objects.citing(value).filter(
            content_type=ContentType.objects.get_for_model(Victim)
        )
        return queryset.filter(pk__in=cited.values("object_id"))
