from django.db import migrations

from archive.core.migration_ops import NameTokenIndex, add_father_keys


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0008_duplicate_permissions"),
    ]

    operations = [
        migrations.RunPython(add_father_keys("victims.Victim"), migrations.RunPython.noop),
        NameTokenIndex("victims_victim"),
    ]
