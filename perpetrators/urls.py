from django.urls import path

from perpetrators import dossier_views, views

app_name = "perpetrators"

urlpatterns = [
    path("", views.PerpetratorListView.as_view(), name="perpetrator-list"),
    path(
        "<str:ref>/dossier/",
        dossier_views.PerpetratorDossierView.as_view(),
        name="perpetrator-dossier",
    ),
    path(
        "<str:ref>/dossier.pdf",
        dossier_views.PerpetratorDossierPDFView.as_view(),
        name="perpetrator-dossier-pdf",
    ),
    path(
        "<str:ref>/dossier.json",
        dossier_views.PerpetratorDossierJSONView.as_view(),
        name="perpetrator-dossier-json",
    ),
    path(
        "<str:ref>/dossier.sha256",
        dossier_views.PerpetratorDossierSHA256View.as_view(),
        name="perpetrator-dossier-sha256",
    ),
    path("<str:ref>/", views.PerpetratorDetailView.as_view(), name="perpetrator-detail"),
]
