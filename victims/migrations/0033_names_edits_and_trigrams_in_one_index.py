"""The victims' names table: its index of keys and deletions and its trigram index in one
(``archive.core.search_names.EditsAndTrigramsInOneIndex``): a guess at a spelling beside
names spelt right reads the trigrams only where those names are. About a minute at a
million people (610,532 names); nothing on SQLite."""

from django.db import migrations

from archive.core.search_names import EditsAndTrigramsInOneIndex


class Migration(migrations.Migration):
    dependencies = [("victims", "0032_linkage_facts")]

    operations = [EditsAndTrigramsInOneIndex("victims_victim")]
