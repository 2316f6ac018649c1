from django.db import migrations

from archive.core.migration_ops import NameSearchIndex


class Migration(migrations.Migration):
    dependencies = [("perpetrators", "0001_initial")]

    operations = [NameSearchIndex("perpetrators_perpetrator")]
