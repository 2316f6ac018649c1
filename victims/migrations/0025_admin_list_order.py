"""The admin's list of victims in its order (name in Latin script, in Persian, newest key
first) read from an index: each page sorted the whole table before."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0005_status_indexed_by_the_lists'),
        ('perpetrators', '0017_names_folded_with_fresh_plans'),
        ('victims', '0024_names_folded_with_fresh_plans'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='victim',
            index=models.Index(fields=['name_latin', 'name_fa', '-id'], name='victim_admin_order'),
        ),
    ]
