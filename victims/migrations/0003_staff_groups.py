from django.db import migrations

from archive.core.groups import create_staff_groups, remove_staff_groups


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0002_name_search_index"),
        ("perpetrators", "0002_name_search_index"),
        ("sources", "0001_initial"),
        ("archive", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_staff_groups, remove_staff_groups)]
