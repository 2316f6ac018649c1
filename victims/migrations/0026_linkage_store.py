from django.db import migrations

from archive.core.linkage_store import LinkageStore


class Migration(migrations.Migration):
    dependencies = [("victims", "0025_admin_list_order")]

    operations = [LinkageStore("victims_victim")]
