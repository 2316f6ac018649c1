from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = _("Sources")

    def ready(self):
        from archive.core.importing import register
        from sources.resources import SourceResource

        register("sources", SourceResource)

        from django.db.models.signals import post_delete, post_save

        from sources.models import Citation, Source
        from sources.services import refresh_keys_of_citation, refresh_keys_of_source

        post_save.connect(refresh_keys_of_citation, sender=Citation, dispatch_uid="sources.keys")
        post_delete.connect(refresh_keys_of_citation, sender=Citation, dispatch_uid="sources.keys-")
        post_save.connect(refresh_keys_of_source, sender=Source, dispatch_uid="sources.src-keys")

        from sources.documents import Document, restore_fixture_file

        post_save.connect(restore_fixture_file, sender=Document, dispatch_uid="sources.fixture")
