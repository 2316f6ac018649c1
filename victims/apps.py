from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "victims"
    verbose_name = _("Victims")

    def ready(self):
        from archive.core.importing import register
        from victims import checks  # noqa: F401  (registers the system checks)
        from victims.hearing_resources import HearingResource
        from victims.resources import RelationResource, VictimResource

        register("victims", VictimResource)
        register("hearings", HearingResource)
        register("relations", RelationResource)
        from victims import facet_tallies, tallies

        post_migrate.connect(tallies.ensure, sender=self, dispatch_uid="victims.place_tallies")
        post_migrate.connect(
            facet_tallies.ensure, sender=self, dispatch_uid="victims.facet_tallies"
        )
