from django.db import migrations

from archive.core.migration_ops import NameTokenIndex, add_father_keys


class Migration(migrations.Migration):
    dependencies = [
        ("perpetrators", "0003_public_list_indexes"),
    ]

    operations = [
        migrations.RunPython(
            add_father_keys("perpetrators.Perpetrator"), migrations.RunPython.noop
        ),
        NameTokenIndex("perpetrators_perpetrator"),
    ]
