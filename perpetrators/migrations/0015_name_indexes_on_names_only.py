"""The perpetrators' name indexes kept on their names table only
(``archive.core.search_names``): the search no longer reads the perpetrators' own."""

from django.db import migrations

from archive.core.search_names import NameIndexesOnNamesOnly


class Migration(migrations.Migration):
    dependencies = [
        ("perpetrators", "0014_search_names"),
    ]

    operations = [
        NameIndexesOnNamesOnly("perpetrators_perpetrator"),
    ]
