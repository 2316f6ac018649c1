"""The perpetrators' names table: its three name indexes in one
(``archive.core.search_names.NameIndexesInOne``), as the victims'."""

from django.db import migrations

from archive.core.search_names import NameIndexesInOne


class Migration(migrations.Migration):
    dependencies = [("perpetrators", "0017_names_folded_with_fresh_plans")]

    operations = [NameIndexesInOne("perpetrators_perpetrator")]
