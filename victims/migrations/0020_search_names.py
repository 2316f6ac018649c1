"""The victims' distinct names, kept by triggers, which the people search probes instead of
the victims (``archive.core.search_names``; issue 26). Filled here from the rows already
there."""

from django.db import migrations

from archive.core.search_names import SearchNamesTable


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0019_name_indexes_merged_each_statement"),
    ]

    operations = [
        SearchNamesTable("victims_victim"),
    ]
