from django.db import migrations

from archive.core.migration_ops import NameEditsIndex


class Migration(migrations.Migration):
    dependencies = [
        ("perpetrators", "0011_role_judge"),
    ]

    operations = [
        NameEditsIndex("perpetrators_perpetrator"),
    ]
