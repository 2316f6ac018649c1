from django.db import migrations

from archive.core.migration_ops import NameInitialsIndex


class Migration(migrations.Migration):
    dependencies = [
        ("perpetrators", "0005_name_indexes_without_pending_list"),
    ]

    operations = [
        NameInitialsIndex("perpetrators_perpetrator"),
    ]
