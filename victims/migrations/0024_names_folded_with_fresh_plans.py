"""The triggers that keep the victims' names plan their statement each time they run
(``archive.core.search_names._fold``): a plan kept for a session made an import into an
empty archive scan every name for each name of every later batch."""

from django.db import migrations

from archive.core.search_names import NamesFoldedWithFreshPlans


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0023_fewer_checks_and_indexes_per_imported_row"),
    ]

    operations = [
        NamesFoldedWithFreshPlans("victims_victim"),
    ]
