from django.db import migrations

from archive.core.linkage_store import LinkagePairsIndex, store_table


class Migration(migrations.Migration):
    dependencies = [("victims", "0027_linkage_store_on_sqlite")]

    # PostgreSQL only. At a million people the index takes about a minute and a half to
    # build, here, on the store's rows as they are; people added later enter it as their
    # keys are made.
    operations = [LinkagePairsIndex(store_table("victims_victim"))]
