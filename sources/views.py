"""Public pages of sources: only published sources; a private one shows no content."""

from django.conf import settings
from django.views.generic import DetailView, ListView

from sources.models import Source


class SourceListView(ListView):
    template_name = "sources/source_list.html"
    context_object_name = "sources"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        return Source.objects.published()


class SourceDetailView(DetailView):
    template_name = "sources/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return Source.objects.published()
