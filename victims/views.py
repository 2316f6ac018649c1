"""Public pages of victims: every read goes through ``.published()``."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

from archive.core.listing import PublicListView, checked_ref
from archive.core.records import published
from sources.footnotes import Footnotes
from victims.filters import VictimFilter
from victims.hearings import shown_hearings
from victims.models import Victim


class VictimListView(PublicListView):
    template_name = "victims/victim_list.html"
    model = Victim
    filterset_class = VictimFilter
    context_object_name = "victims"

    def base_queryset(self):
        return Victim.objects.published().list_columns()


def submission_url(victim) -> str:
    """The families' form, pre-linked to this person. Until the form's URL exists, the
    about page's section on corrections."""
    try:
        return f"{reverse('submissions:submit')}?victim={victim.ref}"
    except NoReverseMatch:
        return reverse("archive:about") + "#corrections"


class VictimDetailView(TemplateView):
    template_name = "victims/victim_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A record merged into another keeps its address: people have cited it.
            target = Victim.redirect_for_ref(checked_ref(kwargs["ref"]))
            if target is None:
                raise
            return HttpResponsePermanentRedirect(target.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            victim = Victim.objects.for_page(checked_ref(kwargs["ref"]))
        except Victim.DoesNotExist:
            raise Http404 from None
        hearings, officials = shown_hearings(victim)
        context.update(
            {
                "victim": victim,
                "event": published(victim.event),
                "commission": published(victim.commission),
                "hearings": hearings,
                "notes": Footnotes.for_objects([victim, *hearings, *officials]),
                "submit_url": submission_url(victim),
            }
        )
        return context
