from django.urls import path

from perpetrators import dossier_views, views

app_name = "perpetrators"

urlpatterns = [
    path("", views.PerpetratorListView.as_view(), name="perpetrator-list"),
    *dossier_views.perpetrator_dossier_urls(),
    path("<str:ref>/", views.PerpetratorDetailView.as_view(), name="perpetrator-detail"),
]
