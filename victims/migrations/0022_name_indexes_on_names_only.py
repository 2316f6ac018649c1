"""The victims' name indexes kept on their names table only (``archive.core.search_names``):
the search no longer reads the victims' own, and each new victim no longer enters them."""

from django.db import migrations

from archive.core.search_names import NameIndexesOnNamesOnly


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0021_search_names"),
    ]

    operations = [
        NameIndexesOnNamesOnly("victims_victim"),
    ]
