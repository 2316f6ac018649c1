from django.db import migrations

from archive.core.groups import RESEARCHER, REVIEWER, ensure_permissions, grant, revoke

# Researchers work the review queue of possible duplicates and see the merges; merging
# and undoing a merge of a published record withdraws or restores it, which the service
# leaves to reviewers.
RESEARCHER_PERMS = [
    ("victims", "view_duplicatepair"),
    ("victims", "change_duplicatepair"),
    ("victims", "view_mergerecord"),
]
REVIEWER_PERMS = RESEARCHER_PERMS + [("victims", "change_mergerecord")]


def give(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, RESEARCHER, RESEARCHER_PERMS)
    grant(apps, REVIEWER, REVIEWER_PERMS)


def take_back(apps, schema_editor):
    revoke(apps, REVIEWER_PERMS)


class Migration(migrations.Migration):
    dependencies = [("victims", "0007_duplicates_and_merges")]

    operations = [migrations.RunPython(give, take_back)]
