"""Filters of the public perpetrators list and the API: commission, role on it, and the
position held now (title or organisation). Only published commissions count."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archive.core.filters import ANY, BilingualChoiceFilter
from archive.core.models import Organisation
from perpetrators.models import Commission, CommissionMembership, Perpetrator, Position, Role


def state_organisations(request=None):
    return Organisation.objects.filter(kind=Organisation.Kind.STATE)


class PerpetratorFilter(django_filters.FilterSet):
    commission = BilingualChoiceFilter(
        queryset=lambda request: Commission.objects.published(),
        to_field_name="slug",
        label=_("Commission"),
        empty_label=ANY,
        method="filter_commission",
    )
    role = django_filters.ChoiceFilter(
        choices=Role.choices, label=_("Role on a commission"), empty_label=ANY,
        method="filter_role",
    )  # fmt: skip
    position = django_filters.CharFilter(
        label=_("Current position"),
        method="filter_position",
        help_text=_("Words of the title of a post held now, e.g. judiciary."),
        max_length=100,
    )
    organisation = BilingualChoiceFilter(
        queryset=state_organisations,
        label=_("Serves now in"),
        method="filter_organisation",
        empty_label=ANY,
    )

    class Meta:
        model = Perpetrator
        fields = []

    def _with_memberships(self, queryset, **conditions):
        ids = CommissionMembership.objects.public().filter(**conditions).values("perpetrator_id")
        return queryset.filter(pk__in=ids)

    def filter_commission(self, queryset, name, value):
        return self._with_memberships(queryset, commission=value) if value else queryset

    def filter_role(self, queryset, name, value):
        return self._with_memberships(queryset, role=value) if value else queryset

    def filter_position(self, queryset, name, value):
        words = value.split()
        if not words:
            return queryset
        positions = Position.objects.current()
        for word in words[:8]:
            positions = positions.filter(Q(title_en__icontains=word) | Q(title_fa__icontains=word))
        return queryset.filter(pk__in=positions.values("perpetrator_id"))

    def filter_organisation(self, queryset, name, value):
        if not value:
            return queryset
        ids = Position.objects.current().filter(organisation=value).values("perpetrator_id")
        return queryset.filter(pk__in=ids)
