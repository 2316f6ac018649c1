"""A perpetrator's public page: the person, their seats on commissions and career, and the
victims of the commissions they sat on (the victims app depends on perpetrators, not back,
so the page that joins them lives on the top floor). Every read goes through
``.published()``; a membership of an unpublished commission is not shown."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from archive.core.listing import LINKED_LIMIT, by_name, checked_ref
from archive.core.pagination import cached_count, data_version
from perpetrators.models import Perpetrator
from sources.footnotes import Footnotes
from victims.hearings import seats_of
from victims.models import Victim


class PerpetratorDetailView(TemplateView):
    template_name = "perpetrators/perpetrator_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A record merged into another keeps its address: people have cited it.
            target = Perpetrator.redirect_for_ref(checked_ref(kwargs["ref"]))
            if target is None:
                raise
            return HttpResponsePermanentRedirect(target.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
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
        seats, seat_count = seats_of(perpetrator)
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
                "hearing_seats": seats,
                "hearing_count": seat_count,
                "notes": Footnotes.for_objects(
                    # The commissions too: the page shows where and from when they sat.
                    [perpetrator, *memberships, *positions, *statements]
                    + [m.commission for m in memberships]
                    + [*seats, *(seat.hearing for seat in seats)]
                ),
            }
        )
        return context
