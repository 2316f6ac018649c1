"""The site's own public pages (home, events, statistics, about, open data) and its error
pages. Every read goes through ``.published()``."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import loader
from django.utils import translation
from django.views import defaults
from django.views.generic import TemplateView

from archive.api import datapackage
from archive.api import views as api
from archive.core.caching import PREVIOUS_FIGURES, kept
from archive.core.display import reads_persian
from archive.core.listing import LINKED_LIMIT, by_name
from archive.core.models import Event
from archive.core.pagination import (
    data_version,
)
from archive.public import stats
from perpetrators.models import Commission, Perpetrator
from sources.footnotes import Footnotes
from sources.models import Source
from victims import shown
from victims.facet_tallies import facet_counts, published_count
from victims.hearings import hearings_before
from victims.models import Victim

LATEST = 8


# --- Home ------------------------------------------------------------------------------


def archive_counts() -> dict:
    """How many published records of each kind: the victims as the database keeps them
    (``victims.facet_tallies``), the others cached until any of them changes."""

    def count():
        return {
            "perpetrators": Perpetrator.objects.published().count(),
            "sources": Source.objects.public().count(),
            "events": Event.objects.published().count(),
        }

    others = kept("home-counts", data_version(Perpetrator, Source, Event), count, timeout=6 * 3600)
    return {"victims": published_count(), **others}


def latest_victims():
    return Victim.objects.published().list_columns().order_by("-published_at")[:LATEST]


class HomeView(TemplateView):
    template_name = "archive/home.html"

    def shown(self) -> str:
        """The counts, the latest victims (each as of its last change), and the versions
        of the other records the page lists (``archive.pagecache``)."""
        latest = list(latest_victims().values_list("pk", "updated_at"))
        others = shown.tokens("perpetrators", "events", "places")
        return repr((archive_counts(), latest, others))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = archive_counts()
        context["latest_victims"] = list(latest_victims())
        context["latest_perpetrators"] = list(
            Perpetrator.objects.published()
            .defer("biography", "name_keys")
            .order_by("-published_at", "-id")[:LATEST]
        )
        context["events"] = list(Event.objects.published().order_by("start_date", "slug"))
        return context


# --- Events ----------------------------------------------------------------------------


class EventListView(TemplateView):
    template_name = "archive/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Kept by the database (victims.facet_tallies): never the figures from before an
        # edit, and no pass over the victims after one.
        counts = facet_counts("event")
        events = list(Event.objects.published().order_by("start_date", "slug"))
        for event in events:
            event.victim_count = counts.get(str(event.pk), 0)
        context["events"] = events
        return context


class EventDetailView(TemplateView):
    template_name = "archive/event_detail.html"

    def get_context_data(self, **kwargs):

        context = super().get_context_data(**kwargs)
        event = get_object_or_404(Event.objects.published(), slug=kwargs["slug"])
        commissions = list(
            Commission.objects.published().filter(event=event).select_related("place")
        )
        victims = Victim.objects.published().filter(event=event)
        hearings = hearings_before(commissions)
        for commission in commissions:
            commission.shown_hearings = hearings[commission.pk]
        context.update(
            {
                "event": event,
                "commissions": commissions,
                "victims": list(by_name(victims.list_columns())[:LINKED_LIMIT]),
                "victim_count": facet_counts("event").get(str(event.pk), 0),
                "notes": Footnotes.for_objects(
                    [event, *commissions, *(h for c in commissions for h in c.shown_hearings)]
                ),
            }
        )
        return context


# --- Statistics, about, open data ------------------------------------------------------


class StatsView(TemplateView):
    template_name = "archive/stats.html"

    def shown(self) -> str:
        """What the figures are computed from (``archive.pagecache``)."""
        return stats.stats_version()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stats"] = stats.get_stats()
        context["charts"] = stats.charts(context["stats"], rtl=reads_persian())
        # Set while another worker computes the figures after a change: their time.
        context["figures_as_of"] = PREVIOUS_FIGURES.get()
        return context


class AboutView(TemplateView):
    template_name = "archive/about.html"


class OpenDataView(TemplateView):
    template_name = "archive/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = archive_counts()
        context["datasets"] = ["victims", "perpetrators", "sources"]
        context["licence"] = datapackage.LICENSE
        return context


# --- Error pages -------------------------------------------------------------------------
# In the reader's language (the /fa/ prefix), as JSON under /api/ (archive.api.views). The 400
# and 500 pages are rendered without the request: a 400 may come of a Host header that
# is not ours (every absolute link would raise again), and a 500 may come of a database
# that is down, so neither reads the database nor the request's host.


def error_language(request) -> str:
    """The language of an error page, read from the path alone (no database, no
    session): /fa/... is Persian; the admin follows the browser, as its pages do."""
    language = translation.get_language_from_path(request.path_info)
    if language:
        return language
    if request.path_info.startswith("/admin/"):
        return translation.get_language_from_request(request, check_path=False)
    return settings.LANGUAGE_CODE


def _plain_error_page(request, template_name: str, status: int):
    if api.is_api(request):
        return api.error_response(status)
    with translation.override(error_language(request)):
        body = loader.get_template(template_name).render({"status": status})
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request, exception=None):
    return _plain_error_page(request, "400.html", 400)


def server_error(request):
    return _plain_error_page(request, "500.html", 500)


def permission_denied(request, exception=None):
    if api.is_api(request):
        return api.error_response(403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if api.is_api(request):
        return api.error_response(404)
    return defaults.page_not_found(request, exception)
