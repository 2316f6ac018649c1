from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveSiteConfig(AppConfig):
    """The site's top floor: public pages, the API, dossiers, sitemaps and the commands
    that tie the apps together. It holds no models (its label differs from the kernel's,
    ``archive``, whose tables keep their names)."""

    name = "archive"
    label = "archive_site"
    verbose_name = _("Archive site")
