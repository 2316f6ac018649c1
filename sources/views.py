"""Public pages of sources: only published sources; a private testimony has no page (it
is cited as "private testimony, received <date>" and nothing more)."""

from django.apps import apps
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from archive.pagination import cached_count, data_version
from archive.views import LINKED_LIMIT, PublicListView, by_name
from sources.filters import SourceFilter
from sources.models import Citation, Source


class SourceListView(PublicListView):
    template_name = "sources/source_list.html"
    model = Source
    filterset_class = SourceFilter
    context_object_name = "sources"
    searchable = False

    def base_queryset(self):
        return Source.objects.public().defer("notes")

    def ordering(self):
        return ("title", "id")

    def annotate(self, queryset):
        return queryset


class SourceDetailView(TemplateView):
    template_name = "sources/source_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = get_object_or_404(Source.objects.public(), pk=kwargs["pk"])
        Victim = apps.get_model("victims", "Victim")
        Perpetrator = apps.get_model("perpetrators", "Perpetrator")
        Event = apps.get_model("archive", "Event")
        victims = Victim.objects.published().filter(
            pk__in=Citation.objects.filter(source=source, victim__isnull=False).values("object_id")
        )
        # A perpetrator is cited directly or through a membership, a post or a statement.
        perpetrator_ids = set()
        for relation in ("perpetrator", "membership", "position", "statement"):
            column = "object_id" if relation == "perpetrator" else f"{relation}__perpetrator_id"
            perpetrator_ids.update(
                Citation.objects.filter(source=source, **{f"{relation}__isnull": False})
                .values_list(column, flat=True)
                .distinct()[:500]
            )
        perpetrators = Perpetrator.objects.published().filter(pk__in=perpetrator_ids)
        events = Event.objects.published().filter(
            pk__in=Citation.objects.filter(source=source, event__isnull=False).values("object_id")
        )
        context.update(
            {
                "source": source,
                "victims": list(by_name(victims.list_columns())[:LINKED_LIMIT]),
                "victim_count": cached_count(victims, version=data_version(Victim, Source)),
                "perpetrators": list(by_name(perpetrators.defer("biography", "name_keys"))),
                "events": list(events.order_by("start_date", "slug")),
            }
        )
        return context
