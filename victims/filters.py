"""Filters of the public victims list and the API: year of death, prison, city or
province (through the prison's parent chain), event, commission, affiliation, gender,
fate, occupation, religion, ethnicity, age group at death. A value that names nothing is
a form error shown beside the field, never a 500."""

from __future__ import annotations

import django_filters
from django import forms
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
from victims.facet_tallies import TEXT_FACETS, age_counts, facet_counts, published_count
from victims.models import Fate, Victim
from victims.person import AGE_GROUP_LABELS, Ethnicity, Occupation, Religion
from victims.tallies import place_tallies

GENDERS = [(value, label) for value, label in Gender.choices if value]

AGE_GROUPS_OFFERED = [(group.key, AGE_GROUP_LABELS[group.key]) for group in AGE_GROUPS]


def used_values(field: str) -> set[str]:
    """The values of ``field`` that published victims have, from the counts the database
    keeps (``victims.facet_tallies``: a few rows per value, where a pass over the
    published victims per field cost ~95 ms at 1,000,000 after every edit)."""
    return set(facet_counts(field))


def kept_count(cleaned: dict) -> int | None:
    """How many published victims the filters ``cleaned`` (a filter form's cleaned
    data) find, from the counts the database keeps (``victims.facet_tallies``,
    ``victims.tallies``), when no filter or one filter on a counted fact is chosen; None
    otherwise (the list then counts them, once per data version). At 1,000,000 victims
    a filtered count cost ~60 ms after every edit."""
    chosen = {k: v for k, v in cleaned.items() if v not in (None, "")}
    if not chosen:
        return published_count()
    if len(chosen) > 1:
        return None
    ((name, value),) = chosen.items()
    if name in ("fate", *TEXT_FACETS):
        return facet_counts(name).get(value, 0)
    if name == "year":
        return facet_counts("year").get(str(value), 0)
    if name == "event":
        return facet_counts("event").get(str(value.pk), 0)
    if name == "prison":
        tally = place_tallies().get(value.pk)
        return tally.held if tally else 0
    if name == "age" and (group := age_group(value)):
        return sum(n for age, n in age_counts().items() if group.touches(age))
    return None


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

    def kept_count(self) -> int | None:
        """How many published victims this filter finds, where the database keeps the
        count (``kept_count``); None otherwise."""
        if not self.is_bound:  # no filter asked for (and no form to build)
            return kept_count({})
        return kept_count(self.form.cleaned_data) if self.form.is_valid() else None

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
        cited = Citation.objects.citing(value).on(Victim)
        return queryset.filter(pk__in=cited.values("object_id"))
