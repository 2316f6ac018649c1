from django.db import migrations

from archive.core.migration_ops import NameIndexesMergedEachStatement


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0018_name_edits_index"),
    ]

    operations = [
        NameIndexesMergedEachStatement("victims_victim"),
    ]
