from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerpetratorsConfig(AppConfig):
    name = "perpetrators"
    verbose_name = _("Perpetrators")

    def ready(self):
        from archive.core.importing import register
        from perpetrators.resources import MembershipResource, PerpetratorResource, PositionResource

        register("perpetrators", PerpetratorResource)
        register("memberships", MembershipResource)
        register("positions", PositionResource)
