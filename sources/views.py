"""Public pages of sources: only published sources; a private testimony has no page (it
is cited as "private testimony, received <date>" and nothing more)."""

from archive.core.listing import PublicListView
from sources.filters import SourceFilter
from sources.models import Source


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
