"""Core public pages: home, events, about."""

from django.apps import apps
from django.views.generic import DetailView, ListView, TemplateView

from archive.models import Event


class HomeView(TemplateView):
    template_name = "archive/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        Victim = apps.get_model("victims", "Victim")
        Perpetrator = apps.get_model("perpetrators", "Perpetrator")
        context["latest_victims"] = Victim.objects.published().order_by("-published_at")[:10]
        context["latest_perpetrators"] = Perpetrator.objects.published().order_by("-published_at")[
            :10
        ]
        return context


class EventListView(ListView):
    template_name = "archive/event_list.html"
    context_object_name = "events"

    def get_queryset(self):
        return Event.objects.published()


class EventDetailView(DetailView):
    template_name = "archive/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.published()


class AboutView(TemplateView):
    template_name = "archive/about.html"
