"""The perpetrators' names table: its index of keys and deletions and its trigram index in
one (``archive.core.search_names.EditsAndTrigramsInOneIndex``), as the victims'."""

from django.db import migrations

from archive.core.search_names import EditsAndTrigramsInOneIndex


class Migration(migrations.Migration):
    dependencies = [("perpetrators", "0017_names_folded_with_fresh_plans")]

    operations = [EditsAndTrigramsInOneIndex("perpetrators_perpetrator")]
