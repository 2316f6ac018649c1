from django.db import migrations

from archive.core.migration_ops import NameIndexesMergedEachStatement


class Migration(migrations.Migration):
    dependencies = [
        ("perpetrators", "0012_name_edits_index"),
    ]

    operations = [
        NameIndexesMergedEachStatement("perpetrators_perpetrator"),
    ]
