from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


def refresh_person_keys(sender, instance, raw=False, **kwargs):
    """Keys follow the names on every save, fixtures (raw saves) included."""
    from archive.core.models import Person

    if isinstance(instance, Person):
        instance.refresh_name_keys()


def fill_place_slug(sender, instance, raw=False, **kwargs):
    """A place without a slug gets one on every save, fixtures (raw saves) included."""
    from archive.core.models import unique_place_slug

    if not instance.slug:
        instance.slug = unique_place_slug(instance)


def ensure_search_tables(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when Django remakes the table to alter it; put the
    FTS triggers back (and rebuild the index) after every migrate."""
    from django.apps import apps
    from django.db import connections

    from archive.core.migration_ops import ensure_sqlite_fts

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    existing = set(connection.introspection.table_names())
    for label in settings.SEARCHABLE_MODELS:
        table = apps.get_model(label)._meta.db_table
        if table in existing and f"{table}_fts" in existing:
            ensure_sqlite_fts(connection, table)


class ArchiveCoreConfig(AppConfig):
    """The kernel the apps build on. Its label stays ``archive`` (its tables, permissions
    and migrations were made under it); it imports no app."""

    name = "archive.core"
    label = "archive"
    verbose_name = _("Archive core")

    def ready(self):
        pre_save.connect(refresh_person_keys, dispatch_uid="archive.refresh_person_keys")
        pre_save.connect(
            fill_place_slug, sender="archive.Place", dispatch_uid="archive.fill_place_slug"
        )
        post_migrate.connect(ensure_search_tables, dispatch_uid="archive.ensure_search_tables")
        from archive.core.importing import register
        from archive.core.resources import PlaceResource
        from archive.core.versions import count_change

        register("places", PlaceResource)

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(count_change, dispatch_uid=f"archive.count_change.{id(signal)}")
