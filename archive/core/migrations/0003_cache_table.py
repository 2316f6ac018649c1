"""The database cache's table (settings.CACHES), made by ``migrate`` itself.

Django leaves it to ``createcachetable``, a second step that a deploy following the usual
``migrate`` forgets; the rate limiter, the dossier cache and the page cache then met a
missing table and answered 500. ``createcachetable`` makes only the tables that are
missing, so running it again later (old deploy scripts) changes nothing."""

from django.conf import settings
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management import call_command
from django.db import migrations
from django.utils.module_loading import import_string


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    tables = {
        conf["LOCATION"]
        for conf in settings.CACHES.values()
        if issubclass(import_string(conf["BACKEND"]), BaseDatabaseCache)
    }
    quote = schema_editor.connection.ops.quote_name
    for table in sorted(tables):
        schema_editor.execute(f"DROP TABLE IF EXISTS {quote(table)}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_change_counter")]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables)]
