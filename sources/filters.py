"""Filters of the public sources list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archive.core.filters import ANY, YearFilter
from sources.models import Source


class SourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Title, publisher or author"), method="filter_text", max_length=200
    )
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices, label=_("Kind"),
                                       empty_label=ANY)  # fmt: skip
    language = django_filters.CharFilter(
        label=_("Language"), max_length=8, help_text=_("ISO 639-1 code, e.g. en, fa.")
    )
    year = YearFilter(field_name="date", label=_("Year of publication"))

    class Meta:
        model = Source
        fields = []

    def filter_text(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(publisher__icontains=word) | Q(author__icontains=word)
            )
        return queryset
