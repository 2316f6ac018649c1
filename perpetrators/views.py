"""Public pages of perpetrators: every read goes through ``.published()``; a membership
of an unpublished commission is not shown."""

from archive.core.listing import PublicListView
from perpetrators.filters import PerpetratorFilter
from perpetrators.models import Perpetrator


class PerpetratorListView(PublicListView):
    template_name = "perpetrators/perpetrator_list.html"
    model = Perpetrator
    filterset_class = PerpetratorFilter
    context_object_name = "perpetrators"

    def base_queryset(self):
        return Perpetrator.objects.published().defer("biography", "name_keys")
