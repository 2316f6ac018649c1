from django.urls import path

from archive import views
from perpetrators import dossier_views

app_name = "archive"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    *dossier_views.event_dossier_urls(),
    path("about/", views.AboutView.as_view(), name="about"),
]
