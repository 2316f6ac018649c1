"""Public pages of victims: every read goes through ``.published()``."""

from dataclasses import dataclass

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

from archive.core.listing import PublicListView, checked_ref
from archive.core.records import published
from sources.footnotes import Footnotes
from victims import shown
from victims.filters import VictimFilter
from victims.hearings import shown_hearings
from victims.models import FamilyRelation, Victim


class VictimListView(PublicListView):
    template_name = "victims/victim_list.html"
    model = Victim
    filterset_class = VictimFilter
    context_object_name = "victims"

    def base_queryset(self):
        return Victim.objects.published().list_columns()

    def known_count(self, filterset):
        return filterset.kept_count()

    def shown_around(self) -> str:
        """The filters' choices (the counts kept, the public places, the events,
        commissions and organisations offered) and the names of the prisons and events
        the rows link to."""
        return shown.tokens(
            "fact_counts", "place_counts", "public_places", "places", "events", "commissions",
            "organisations",
        )  # fmt: skip


def submission_url(victim) -> str:
    """The families' form, pre-linked to this person. Until the form's URL exists, the
    about page's section on corrections."""
    try:
        return f"{reverse('submissions:submit')}?victim={victim.ref}"
    except NoReverseMatch:
        return reverse("archive:about") + "#corrections"


@dataclass(frozen=True)
class ShownRelation:
    """A family relation as one person's page shows it: "Child of" the other person."""

    record: FamilyRelation
    label: str
    other: Victim


def shown_relations(victim) -> list[ShownRelation]:
    """The relations the public sees on ``victim``'s page (both people published, the
    relation cited), worded from ``victim``'s side; none when the victim was read knowing
    it has no relation (``for_page``'s ``any_relation``)."""
    if not getattr(victim, "any_relation", True):
        return []
    found = FamilyRelation.objects.of(victim).shown().select_related("from_victim", "to_victim")
    return [ShownRelation(r, r.label_for(victim), r.other(victim)) for r in found]


class VictimDetailView(TemplateView):
    template_name = "victims/victim_detail.html"
    # Kept in each worker's memory, not written to the shared page cache until renewed
    # after an edit (``archive.pagecache``): a million such pages, seldom one asked for
    # twice, each costing its first reader a write to share.
    shares_pages = False

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
            victim = Victim.for_page(checked_ref(kwargs["ref"]))
        except Victim.DoesNotExist:
            raise Http404 from None
        hearings, officials = shown_hearings(victim)
        relations = shown_relations(victim)
        context.update(
            {
                "victim": victim,
                "event": published(victim.event),
                "commission": published(victim.commission),
                "hearings": hearings,
                "relations": relations,
                "notes": Footnotes.for_objects(
                    [victim, *hearings, *officials, *(r.record for r in relations)]
                ),
                "submit_url": submission_url(victim),
            }
        )
        return context
