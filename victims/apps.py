from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "victims"
    verbose_name = _("Victims")

    def ready(self):
        from archive.core.importing import register
        from victims import checks  # noqa: F401  (registers the system checks)
        from victims.resources import RelationResource, VictimResource

        register("victims", VictimResource)
        register("relations", RelationResource)
