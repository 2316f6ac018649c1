"""Template context shared by every page."""

from django.conf import settings


def site(request):
    return {"ARCHIVE_VERSION": settings.ARCHIVE_VERSION}
