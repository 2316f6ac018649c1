from django.db import migrations

from archive.core.groups import RESEARCHER, REVIEWER, ensure_permissions, grant, revoke

# Family relations are entered by researchers like a perpetrator's seats: every action on
# them, for both groups (a change that reaches a published page is still guarded by the
# publish permission of the people it joins: archive.core.models.locked_for).
PERMS = [
    ("victims", f"{action}_familyrelation") for action in ("view", "add", "change", "delete")
]


def give(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, RESEARCHER, PERMS)
    grant(apps, REVIEWER, PERMS)


def take_back(apps, schema_editor):
    revoke(apps, PERMS)


class Migration(migrations.Migration):
    dependencies = [("victims", "0015_person_and_family")]

    operations = [migrations.RunPython(give, take_back)]
