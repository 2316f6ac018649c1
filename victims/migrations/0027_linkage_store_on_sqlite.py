from django.db import migrations

from archive.core.linkage_store import SqliteLinkageStore


class Migration(migrations.Migration):
    dependencies = [("victims", "0026_linkage_store")]

    operations = [SqliteLinkageStore("victims_victim")]
