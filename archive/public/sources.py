"""A source's public page and what it supports: the published victims, perpetrators and
events that cite it (records of every app, so the page lives on the top floor). A private
testimony has no page: it is cited as "private testimony, received <date>" and nothing
more."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from archive.core.listing import LINKED_LIMIT, by_name
from archive.core.models import Event
from archive.core.pagination import cached_count, data_version
from perpetrators.models import Perpetrator
from sources.models import Citation, Document, Source
from victims.models import Victim


class SourceDetailView(TemplateView):
    template_name = "sources/source_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = get_object_or_404(Source.objects.public(), pk=kwargs["pk"])
        citing = Citation.objects.citing(source)
        victims = Victim.objects.published().filter(pk__in=citing.on(Victim).values("object_id"))
        # A perpetrator is cited directly or through a membership, a post or a statement.
        perpetrator_ids = set()
        for relation in ("perpetrator", "membership", "position", "statement"):
            column = "object_id" if relation == "perpetrator" else f"{relation}__perpetrator_id"
            perpetrator_ids.update(
                citing.filter(**{f"{relation}__isnull": False})
                .values_list(column, flat=True)
                .distinct()[:500]
            )
        perpetrators = Perpetrator.objects.published().filter(pk__in=perpetrator_ids)
        events = Event.objects.published().filter(pk__in=citing.on(Event).values("object_id"))
        context.update(
            {
                "source": source,
                "victims": list(by_name(victims.list_columns())[:LINKED_LIMIT]),
                "victim_count": cached_count(victims, version=data_version(Victim, Source)),
                "perpetrators": list(by_name(perpetrators.defer("biography", "name_keys"))),
                "events": list(events.order_by("start_date", "slug")),
                "documents": list(Document.objects.public().filter(source=source)),
            }
        )
        return context
