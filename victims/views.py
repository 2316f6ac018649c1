"""Public pages of victims: every read goes through ``.published()``."""

from django.conf import settings
from django.views.generic import DetailView, ListView

from victims.models import Victim


class VictimListView(ListView):
    template_name = "victims/victim_list.html"
    context_object_name = "victims"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        qs = Victim.objects.published()
        q = self.request.GET.get("q", "")
        return qs.search(q) if q.strip() else qs


class VictimDetailView(DetailView):
    template_name = "victims/victim_detail.html"
    context_object_name = "victim"
    slug_field = "ref"
    slug_url_kwarg = "ref"

    def get_queryset(self):
        return Victim.objects.published()
