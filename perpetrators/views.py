"""Public pages of perpetrators: every read goes through ``.published()``; a membership
of an unpublished commission is not shown."""

from django.apps import apps
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from archive.pagination import cached_count, data_version
from archive.views import LINKED_LIMIT, PublicListView, by_name, checked_ref
from perpetrators.filters import PerpetratorFilter
from perpetrators.models import Perpetrator
from sources.footnotes import Footnotes


class PerpetratorListView(PublicListView):
    template_name = "perpetrators/perpetrator_list.html"
    model = Perpetrator
    filterset_class = PerpetratorFilter
    context_object_name = "perpetrators"

    def base_queryset(self):
        return Perpetrator.objects.published().defer("biography", "name_keys")


class PerpetratorDetailView(TemplateView):
    template_name = "perpetrators/perpetrator_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Victims link to commissions; the victims app depends on this one, not back.
        Victim = apps.get_model("victims", "Victim")
        perpetrator = get_object_or_404(
            Perpetrator.objects.published(), ref=checked_ref(kwargs["ref"])
        )
        memberships = list(
            perpetrator.memberships.public()
            .select_related("commission", "commission__place")
            .order_by("start_date", "commission__start_date", "pk")
        )
        positions = list(
            perpetrator.positions.select_related("organisation").order_by(
                "start_date", "end_date", "pk"
            )
        )
        statements = list(perpetrator.statements.order_by("date", "pk"))
        commission_ids = {m.commission_id for m in memberships}
        victims = Victim.objects.for_commissions(commission_ids)
        context.update(
            {
                "perpetrator": perpetrator,
                "memberships": memberships,
                "positions": positions,
                "statements": statements,
                "victims": list(by_name(victims.list_columns())[:LINKED_LIMIT])
                if commission_ids
                else [],
                "victim_count": cached_count(victims, version=data_version(Victim))
                if commission_ids
                else 0,
                "commissions": [m.commission for m in memberships],
                "notes": Footnotes.for_objects(
                    [perpetrator, *memberships, *positions, *statements]
                ),
            }
        )
        return context
