"""The victims' distinct names, kept by triggers, which the people search probes instead of
the victims (``archive.core.search_names``; issue 26). Filled here from the rows already
there."""

from django.db import migrations

from archive.core.search_names import SearchNamesTable


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0020_history_indexed_where_read"),
    ]

    operations = [
        SearchNamesTable("victims_victim"),
    ]
