from django.db import migrations

from archive.core.migration_ops import NameIndexesWithoutPendingList


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0009_name_token_index"),
    ]

    operations = [
        NameIndexesWithoutPendingList("victims_victim"),
    ]
