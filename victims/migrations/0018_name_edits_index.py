from django.db import migrations

from archive.core.migration_ops import NameEditsIndex


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0016_family_relation_permissions"),
    ]

    operations = [
        NameEditsIndex("victims_victim"),
    ]
