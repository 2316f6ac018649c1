from django.urls import path

from archive import views
from perpetrators import dossier_views

app_name = "archive"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path(
        "events/<slug:slug>/dossier/",
        dossier_views.EventDossierView.as_view(),
        name="event-dossier",
    ),
    path(
        "events/<slug:slug>/dossier.pdf",
        dossier_views.EventDossierPDFView.as_view(),
        name="event-dossier-pdf",
    ),
    path(
        "events/<slug:slug>/dossier.json",
        dossier_views.EventDossierJSONView.as_view(),
        name="event-dossier-json",
    ),
    path(
        "events/<slug:slug>/dossier.sha256",
        dossier_views.EventDossierSHA256View.as_view(),
        name="event-dossier-sha256",
    ),
    path("about/", views.AboutView.as_view(), name="about"),
]
