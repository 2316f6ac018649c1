"""The triggers that keep the perpetrators' names plan their statement each time they run
(``archive.core.search_names._fold``): a plan kept for a session made an import into an
empty archive scan every name for each name of every later batch."""

from django.db import migrations

from archive.core.search_names import NamesFoldedWithFreshPlans


class Migration(migrations.Migration):
    dependencies = [
        ("perpetrators", "0016_status_and_gender_indexed_by_the_lists"),
    ]

    operations = [
        NamesFoldedWithFreshPlans("perpetrators_perpetrator"),
    ]
