"""The JSON API (public, read-only, published records only)."""

from django.urls import path

from archive.api import openapi
from archive.api import views as api

app_name = "api"

urlpatterns = [
    path("", api.api_index, name="index"),
    path("schema/", openapi.schema_view, name="schema"),
    path("victims/", api.api_list, {"dataset": "victims"}, name="victim-list"),
    path("victims/<str:key>/", api.api_detail, {"dataset": "victims"}, name="victim-detail"),
    path("perpetrators/", api.api_list, {"dataset": "perpetrators"}, name="perpetrator-list"),
    path(
        "perpetrators/<str:key>/",
        api.api_detail,
        {"dataset": "perpetrators"},
        name="perpetrator-detail",
    ),
    path("sources/", api.api_list, {"dataset": "sources"}, name="source-list"),
    path("places/", api.api_list, {"dataset": "places"}, name="place-list"),
    path("sources/<int:key>/", api.api_detail, {"dataset": "sources"}, name="source-detail"),
]
