from django.db import migrations

from archive.core.migration_ops import NameInitialsIndex


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0010_name_indexes_without_pending_list"),
    ]

    operations = [
        NameInitialsIndex("victims_victim"),
    ]
