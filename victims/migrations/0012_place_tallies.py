"""Published victims per place, kept by triggers (``victims.tallies``): the map reads
them in one small query, whatever the archive's size (issue 21)."""

from django.db import migrations, models

from victims import tallies


def install(apps, schema_editor):
    tallies.install(schema_editor.connection)
    tallies.recount(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    tallies.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0004_place_slug_and_citations"),
        ("victims", "0011_name_initials_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlaceTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("held", models.IntegerField(default=0)),
                ("killed", models.IntegerField(default=0)),
                ("buried", models.IntegerField(default=0)),
                ("victims", models.IntegerField(default=0)),
                (
                    "place",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.place",
                    ),
                ),
            ],
            options={"db_table": "victims_place_tally", "default_permissions": ()},
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
