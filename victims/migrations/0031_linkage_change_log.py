from django.db import migrations

from archive.core.linkage_log import LinkageChangeLog


class Migration(migrations.Migration):
    """The log of the victims written since their linkage keys were last made (PostgreSQL;
    nothing on SQLite): a refresh reads those people alone (``archive.core.linkage_log``)."""

    dependencies = [("victims", "0030_published_id_index")]

    operations = [LinkageChangeLog("victims_victim")]
