"""The public site's URLs, one namespaced group per part of the site (the names are the
public contract: templates, sitemaps and other sites link to them). They are wired here,
on the top floor, because several pages join the apps (a perpetrator's page lists the
victims of their commissions; a source's page lists what cites it)."""

from django.urls import path

from archive.api import datapackage, docs, downloads, ftm
from archive.dossiers import views as dossiers
from archive.public import citations, perpetrators, places, sitemaps, sources, views
from perpetrators import views as perpetrator_lists
from sources import document_views
from sources import views as source_lists
from victims import submission_views
from victims import views as victim_pages

site = (
    [
        path("events/", views.EventListView.as_view(), name="event-list"),
        path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
        *dossiers.event_dossier_urls(),
        path("map/", places.PlaceMapView.as_view(), name="place-map"),
        path("places/<slug:slug>/", places.PlaceDetailView.as_view(), name="place-detail"),
        path("stats/", views.StatsView.as_view(), name="stats"),
        path("about/", views.AboutView.as_view(), name="about"),
        path("data/", views.OpenDataView.as_view(), name="open-data"),
        path("data/api/", docs.ApiDocsView.as_view(), name="api-docs"),
        path("data/datapackage.json", datapackage.view, name="datapackage"),
        path(f"data/{ftm.FILENAME}", ftm.download, name="download-ftm"),
        path("data/<str:dataset>.<str:fmt>", downloads.download, name="download"),
        path("sitemap.xml", sitemaps.index, name="sitemap"),
        path("sitemap-<section>.xml", sitemaps.section, name="sitemap-section"),
    ],
    "archive",
)

victims = (
    [
        path("", victim_pages.VictimListView.as_view(), name="victim-list"),
        path("<str:ref>/", victim_pages.VictimDetailView.as_view(), name="victim-detail"),
        path("<str:ref>/cite.<str:fmt>", citations.cite_victim, name="victim-cite"),
    ],
    "victims",
)

perpetrators = (
    [
        path("", perpetrator_lists.PerpetratorListView.as_view(), name="perpetrator-list"),
        *dossiers.perpetrator_dossier_urls(),
        path(
            "<str:ref>/",
            perpetrators.PerpetratorDetailView.as_view(),
            name="perpetrator-detail",
        ),
        path("<str:ref>/cite.<str:fmt>", citations.cite_perpetrator, name="perpetrator-cite"),
    ],
    "perpetrators",
)

sources = (
    [
        path("", source_lists.SourceListView.as_view(), name="source-list"),
        path("<int:pk>/", sources.SourceDetailView.as_view(), name="source-detail"),
        # A source's documents: the public copy, a page with a passage marked, its image.
        path("<int:pk>/documents/<int:doc>/", document_views.document_file, name="document-file"),
        path(
            "<int:pk>/documents/<int:doc>/pages/<int:n>/",
            document_views.DocumentPageView.as_view(),
            name="document-page",
        ),
        path(
            "<int:pk>/documents/<int:doc>/pages/<int:n>.png",
            document_views.page_image,
            name="document-page-image",
        ),
    ],
    "sources",
)

# The families' form and the receipt look-up; the staff download of attachments lives in
# the admin (SubmissionAdmin.get_urls).
submissions = (
    [
        path("", submission_views.submit, name="submit"),
        path("thanks/", submission_views.thanks, name="thanks"),
        path("receipt/", submission_views.receipt, name="receipt"),
    ],
    "submissions",
)
