"""Core public pages (home, events, statistics, about, open data) and the list view the
apps' public lists share. Every read goes through ``.published()``; models of the apps
are reached with ``apps.get_model`` so that the core imports no app."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import loader
from django.utils import translation
from django.utils.translation import get_language
from django.views import defaults
from django.views.generic import TemplateView

from archive import api, stats
from archive.models import NAME_ORDER, Event, name_order_annotations
from archive.pagination import (
    BadCursor,
    cache_get,
    cache_key,
    cache_set,
    cached_count,
    data_version,
    filter_params,
    paginate,
    query_string,
)
from archive.search import clean_query

LATEST = 8
LINKED_LIMIT = 25


def checked_ref(ref: str) -> str:
    """A reference from a URL, or 404: no database is asked about a reference no record
    can have (too long, or with a NUL, which PostgreSQL refuses outright)."""
    if not ref or len(ref) > 40 or "\x00" in ref:
        raise Http404
    return ref


def is_persian() -> bool:
    return (get_language() or "en").startswith("fa")


def name_ordering() -> tuple[str, ...]:
    """People are listed by name in the reader's script (each order has its index)."""
    return NAME_ORDER["fa" if is_persian() else "en"]


def by_name(queryset):
    """``queryset`` of people in the reader's name order."""
    return queryset.annotate(**name_order_annotations()).order_by(*name_ordering())


class PublicListView(TemplateView):
    """A filtered, searchable, paged list of published records.

    Subclasses give ``model``, ``filterset_class``, ``base_queryset()`` and
    ``ordering()``. Filters and ``q`` survive paging; a value that names nothing shows
    as an error beside its field and is otherwise ignored.
    """

    model = None
    filterset_class = None
    searchable = True
    context_object_name = "object_list"

    def base_queryset(self):
        return self.model.objects.published()

    def ordering(self) -> tuple[str, ...]:
        return name_ordering()

    def annotate(self, queryset):
        """What the ordering needs beyond columns."""
        return queryset.annotate(**name_order_annotations())

    def version(self) -> str:
        return data_version(self.model)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        filterset = self.filterset_class(
            filter_params(request.GET, self.filterset_class),
            queryset=self.base_queryset(),
            request=request,
        )
        queryset = self.annotate(filterset.qs)
        q = clean_query(request.GET.get("q")) if self.searchable else ""
        tag = f"{self.model._meta.model_name}-{'-'.join(self.ordering())}"
        options = {
            "q": q,
            "ordering": self.ordering(),
            "tag": tag,
            # Only browsing counts rows (cached under the version); a search does not.
            "version": "" if q else self.version(),
            "per_page": settings.PAGE_SIZE,
        }
        try:
            page = paginate(queryset, request.GET, **options)
        except BadCursor:
            page = paginate(queryset, {}, **options)
            context["bad_cursor"] = True
        params = request.GET
        context.update(
            {
                "filter": filterset,
                "form": filterset.form,
                "q": q,
                "page": page,
                self.context_object_name: page.object_list,
                "next_query": query_string(params, **page.next_params)
                if page.next_params is not None
                else None,
                "previous_query": query_string(params, **page.previous_params)
                if page.previous_params is not None
                else None,
                "first_query": query_string(params) if page.first_params is not None else None,
                "filters_applied": any(
                    v for k, v in params.items() if k not in ("cursor", "page", "q")
                ),
            }
        )
        return context


# --- Home ------------------------------------------------------------------------------


def _models():
    return (
        apps.get_model("victims", "Victim"),
        apps.get_model("perpetrators", "Perpetrator"),
        apps.get_model("sources", "Source"),
    )


def archive_counts() -> dict:
    """How many published records of each kind, cached until any of them changes."""
    Victim, Perpetrator, Source = _models()
    version = data_version(Victim, Perpetrator, Source, Event)
    key = cache_key("home-counts", version)
    counts = cache_get(key)
    if counts is None:
        counts = {
            "victims": Victim.objects.published().count(),
            "perpetrators": Perpetrator.objects.published().count(),
            "sources": Source.objects.public().count(),
            "events": Event.objects.published().count(),
        }
        cache_set(key, counts, 6 * 3600)
    return counts


class HomeView(TemplateView):
    template_name = "archive/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        Victim, Perpetrator, _Source = _models()
        context["counts"] = archive_counts()
        context["latest_victims"] = list(
            Victim.objects.published().list_columns().order_by("-published_at")[:LATEST]
        )
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
        counts = stats.get_stats()["event_counts"]
        events = list(Event.objects.published().order_by("start_date", "slug"))
        for event in events:
            event.victim_count = counts.get(event.pk, 0)
        context["events"] = events
        return context


class EventDetailView(TemplateView):
    template_name = "archive/event_detail.html"

    def get_context_data(self, **kwargs):
        from sources.footnotes import Footnotes

        context = super().get_context_data(**kwargs)
        Victim = apps.get_model("victims", "Victim")
        Commission = apps.get_model("perpetrators", "Commission")
        event = get_object_or_404(Event.objects.published(), slug=kwargs["slug"])
        commissions = list(
            Commission.objects.published().filter(event=event).select_related("place")
        )
        victims = Victim.objects.published().filter(event=event)
        context.update(
            {
                "event": event,
                "commissions": commissions,
                "victims": list(by_name(victims.list_columns())[:LINKED_LIMIT]),
                "victim_count": cached_count(victims, version=data_version(Victim)),
                "notes": Footnotes.for_objects([event, *commissions]),
            }
        )
        return context


# --- Statistics, about, open data ------------------------------------------------------


class StatsView(TemplateView):
    template_name = "archive/stats.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stats"] = stats.get_stats()
        context["charts"] = stats.charts(context["stats"], rtl=is_persian())
        return context


class AboutView(TemplateView):
    template_name = "archive/about.html"


class OpenDataView(TemplateView):
    template_name = "archive/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = archive_counts()
        context["datasets"] = ["victims", "perpetrators", "sources"]
        return context


# --- Error pages -------------------------------------------------------------------------
# In the reader's language (the /fa/ prefix), as JSON under /api/ (archive.api). The 400
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
