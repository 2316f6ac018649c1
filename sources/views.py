"""Public pages of sources: only published sources; a private testimony has no page (it
is cited as "private testimony, received <date>" and nothing more)."""

from archive.core.listing import PublicListView
from sources.filters import SourceFilter, first_pages
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        phrase = context["form"].cleaned_data.get("q") if context["form"].is_valid() else ""
        if phrase:
            # Where the phrase stands in each source's documents: "on page 3 of …".
            found = first_pages(phrase, (source.pk for source in context["sources"]))
            context["sources"] = list(context["sources"])
            for source in context["sources"]:
                source.found_page = found.get(source.pk)
        return context
