from django.db import migrations

from archive.core.groups import RESEARCHER, REVIEWER, ensure_permissions, grant, revoke

# Researchers enter hearings and the officials at them as they enter any draft fact
# (what reaches a published victim's page is guarded by the victim's lock); the charge
# categories are a shared vocabulary that reviewers keep.
RESEARCHER_PERMS = [
    ("victims", f"{action}_{model}")
    for model in ("hearing", "hearingofficial")
    for action in ("view", "add", "change", "delete")
] + [("victims", "view_chargecategory")]
REVIEWER_PERMS = RESEARCHER_PERMS + [
    ("victims", "add_chargecategory"),
    ("victims", "change_chargecategory"),
]


def give(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, RESEARCHER, RESEARCHER_PERMS)
    grant(apps, REVIEWER, REVIEWER_PERMS)


def take_back(apps, schema_editor):
    revoke(apps, REVIEWER_PERMS)


class Migration(migrations.Migration):
    dependencies = [("victims", "0013_hearings")]

    operations = [migrations.RunPython(give, take_back)]
