"""Filters of the public victims list and the API: year of death, prison, city or
province (through the prison's parent chain), event, commission, affiliation, gender,
fate, occupation, religion, ethnicity, age group at death. A value that names nothing is
a form error shown beside the field, never a 500."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from archive.core.ages import AGE_GROUPS, age_group
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
from victims.person import AGE_GROUP_LABELS, Ethnicity, Occupation, Religion

GENDERS = [(value, label) for value, label in Gender.choices if value]

AGE_GROUPS_OFFERED = [(group.key, AGE_GROUP_LABELS[group.key]) for group in AGE_GROUPS]


def used_values(field: str) -> set[str]:
    """The values of ``field`` that published victims have, read once per data version
    (one index range per status: ``victim_pub_<field>``)."""
    from archive.core.pagination import cache_get, cache_key, cache_set
    from archive.core.versions import current_version, site_version

    key = cache_key("victim-values", field, current_version() or site_version())
    found = cache_get(key)
    if found is None:
        found = set(
            Victim.objects.published().exclude(**{field: ""}).values_list(field, flat=True)
            .order_by().distinct()
        )  # fmt: skip
        cache_set(key, found, 3600)
    return found


def offered(field: str, vocabulary):
    """A filter's choices: the vocabulary's values that published records use, in the
    vocabulary's order, labelled in the reader's language."""

    def choices():
        used = used_values(field)
        return [(value, label) for value, label in vocabulary.choices if value in used]

    return choices


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
    occupation = django_filters.ChoiceFilter(
        choices=offered("occupation", Occupation), label=_("Occupation"), empty_label=ANY
    )
    religion = django_filters.ChoiceFilter(
        choices=offered("religion", Religion), label=_("Religion"), empty_label=ANY
    )
    ethnicity = django_filters.ChoiceFilter(
        choices=offered("ethnicity", Ethnicity), label=_("Ethnicity"), empty_label=ANY
    )
    age = django_filters.ChoiceFilter(
        choices=AGE_GROUPS_OFFERED,
        label=_("Age at death"),
        empty_label=ANY,
        method="filter_age",
        help_text=_("An age known as a range across two groups (24–25) is found in both."),
    )
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

    def filter_age(self, queryset, name, value):
        group = age_group(value)
        return queryset.in_age_group(group) if group else queryset

    def filter_source(self, queryset, name, value):
        if value is None:
            return queryset
        cited = Citation.objects.citing(value).filter(
            content_type=ContentType.objects.get_for_model(Victim)
        )
        return queryset.filter(pk__in=cited.values("object_id"))
