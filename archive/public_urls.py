from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from archive import downloads, views
from archive.sitemaps import SITEMAPS
from perpetrators import dossier_views

app_name = "archive"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    *dossier_views.event_dossier_urls(),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("data/", views.OpenDataView.as_view(), name="open-data"),
    path(
        "data/<str:dataset>.<str:fmt>",
        downloads.download,
        name="download",
    ),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "archive:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
