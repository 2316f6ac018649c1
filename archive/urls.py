"""The archive's URLs. Public pages are under ``i18n_patterns``: English at ``/``,
Persian at ``/fa/``; the admin and the API stay unprefixed."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from archive.public import urls as public
from archive.public import views
from archive.research import views as research

urlpatterns = [
    # Researchers' tools: admin pages (staff with their second factor) outside any one
    # model's admin, so before the admin's own catch-all.
    path("admin/changes/", admin.site.admin_view(research.change_log), name="admin-changes"),
    path(
        "admin/data-quality/",
        admin.site.admin_view(research.data_quality),
        name="admin-data-quality",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("archive.api.urls")),
    # OpenRefine reconciliation: for programs, like the API, so not under /fa/ (one
    # address to set up; its answers carry names in both scripts).
    path("reconcile/", include("archive.reconcile.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include(public.site)),
    path("victims/", include(public.victims)),
    path("perpetrators/", include(public.perpetrators)),
    path("sources/", include(public.sources)),
    path("submit/", include(public.submissions)),
    prefix_default_language=False,
)

# Error pages in the reader's language, and JSON under /api/ (archive.public.views).
handler400 = "archive.public.views.bad_request"
handler403 = "archive.public.views.permission_denied"
handler404 = "archive.public.views.page_not_found"
handler500 = "archive.public.views.server_error"
