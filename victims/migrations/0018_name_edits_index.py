from django.db import migrations

from archive.core.migration_ops import NameEditsIndex


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0017_facet_tallies"),
    ]

    operations = [
        NameEditsIndex("victims_victim"),
    ]
