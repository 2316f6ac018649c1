from django.db import migrations

from archive.core.migration_ops import NameIndexesWithoutPendingList


class Migration(migrations.Migration):
    dependencies = [
        ("perpetrators", "0004_name_token_index"),
    ]

    operations = [
        NameIndexesWithoutPendingList("perpetrators_perpetrator"),
    ]
