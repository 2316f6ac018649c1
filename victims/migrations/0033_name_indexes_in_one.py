"""The victims' names table: its three name indexes (keys and deletions, trigrams,
initials) in one of three columns (``archive.core.search_names.NameIndexesInOne``): a
probe asking for two of them reads the second only where the first is. About a minute and
a half at a million people (610,532 names); nothing on SQLite."""

from django.db import migrations

from archive.core.search_names import NameIndexesInOne


class Migration(migrations.Migration):
    dependencies = [("victims", "0032_linkage_facts")]

    operations = [NameIndexesInOne("victims_victim")]
