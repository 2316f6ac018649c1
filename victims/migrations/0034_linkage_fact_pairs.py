"""The victims' linkage store: the index of (block, father's name) pairs made again with
each pair's gender, event and span of years of birth beside it
(``archive.core.linkage_store.LinkageFactPairsIndex``), and the index of the pairs alone
dropped. About five minutes at a million people; nothing on SQLite."""

from django.db import migrations

from archive.core.linkage_store import LinkageFactPairsIndex, store_table


class Migration(migrations.Migration):
    dependencies = [("victims", "0033_name_indexes_in_one")]

    operations = [LinkageFactPairsIndex(store_table("victims_victim"))]
