"""Public pages of perpetrators: every read goes through ``.published()``."""

from django.conf import settings
from django.views.generic import DetailView, ListView

from perpetrators.models import Perpetrator


class PerpetratorListView(ListView):
    template_name = "perpetrators/perpetrator_list.html"
    context_object_name = "perpetrators"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        qs = Perpetrator.objects.published()
        q = self.request.GET.get("q", "")
        return qs.search(q) if q.strip() else qs


class PerpetratorDetailView(DetailView):
    template_name = "perpetrators/perpetrator_detail.html"
    context_object_name = "perpetrator"
    slug_field = "ref"
    slug_url_kwarg = "ref"

    def get_queryset(self):
        return Perpetrator.objects.published()
