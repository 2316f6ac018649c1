"""The reconciliation service (``archive.reconcile.views``), outside the language
prefixes: a program is set up with one address."""

from django.urls import path

from archive.reconcile import views

app_name = "reconcile"

urlpatterns = [
    path("", views.service, name="service"),
    path("view/", views.view, name="view"),
    path("preview/", views.preview, name="preview"),
    path("suggest/entity/", views.suggest_entity, name="suggest-entity"),
    path("suggest/type/", views.suggest_type, name="suggest-type"),
    path("suggest/property/", views.suggest_property, name="suggest-property"),
    path("properties/", views.propose_properties, name="properties"),
]
