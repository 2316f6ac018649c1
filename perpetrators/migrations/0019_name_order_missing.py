"""The lists' name-order indexes described with ``archive.core.models.Missing`` (a name
missing in the reader's script, its constants written into the SQL) in place of
``Case(When(...))``. State only: the indexes in the database are the same expression
(``CASE WHEN "name_latin" = '' THEN 1 ELSE 0 END``), nothing is built again. The
queries now write it as the indexes do, so that SQLite reads a list from the index
instead of sorting every published record."""

from django.db import migrations, models

import archive.core.models.people


def _indexes():
    return [
        models.Index(
            models.F("publication_status"),
            archive.core.models.people.Missing("name_latin"),
            models.F("name_latin"),
            models.F("name_fa"),
            models.F("id"),
            name="perp_pub_order_latin",
        ),
        models.Index(
            models.F("publication_status"),
            archive.core.models.people.Missing("name_fa"),
            models.F("name_fa"),
            models.F("name_latin"),
            models.F("id"),
            name="perp_pub_order_fa",
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [("perpetrators", "0018_name_indexes_in_one")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="perpetrator", name="perp_pub_order_latin"),
                migrations.RemoveIndex(model_name="perpetrator", name="perp_pub_order_fa"),
                *(migrations.AddIndex(model_name="perpetrator", index=index) for index in _indexes()),
            ],
            database_operations=[],
        )
    ]
