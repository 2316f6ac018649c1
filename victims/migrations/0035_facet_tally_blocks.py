"""The kept tallies count the published victims per block of ids as well
(``victims.facet_tallies``, facet "block"): a page deep in the sitemap of victims starts
at its block instead of skipping every published victim before it (issue 26). The
triggers are made again with the new facet and the tallies counted anew, in this
migration: ``migrate`` alone leaves them exact."""

from django.db import migrations

from victims.facet_tallies import FACET_TALLIES


def reinstall(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    FACET_TALLIES.uninstall(connection)
    FACET_TALLIES.install(connection)
    FACET_TALLIES.recount(connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0034_linkage_fact_pairs"),
    ]

    # Backwards the same: the triggers and tallies of the code at hand, counted anew.
    operations = [migrations.RunPython(reinstall, reinstall, elidable=False)]
