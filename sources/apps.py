from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = _("Sources")

    def ready(self):
        from archive.core.importing import register
        from sources.resources import SourceResource

        register("sources", SourceResource)
