"""The archive's URLs. Public pages are under ``i18n_patterns``: English at ``/``,
Persian at ``/fa/``; the admin and the API stay unprefixed."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from archive import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("archive.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("archive.public_urls")),
    path("victims/", include("victims.urls")),
    path("perpetrators/", include("perpetrators.urls")),
    path("sources/", include("sources.urls")),
    path("submit/", include("victims.submission_urls")),
    prefix_default_language=False,
)

# Error pages in the reader's language, and JSON under /api/ (archive.views, archive.api).
handler400 = "archive.views.bad_request"
handler403 = "archive.views.permission_denied"
handler404 = "archive.views.page_not_found"
handler500 = "archive.views.server_error"
