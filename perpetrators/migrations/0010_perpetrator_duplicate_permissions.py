from django.db import migrations

from archive.core.groups import RESEARCHER, REVIEWER, ensure_permissions, grant, revoke

# As for victims (victims 0008): researchers work the review queue of possible duplicate
# perpetrators and merge unpublished records (the service leaves published ones to
# reviewers) and see the merges; reviewers undo them.
RESEARCHER_PERMS = [
    ("perpetrators", "view_perpetratorpair"),
    ("perpetrators", "change_perpetratorpair"),
    ("perpetrators", "view_perpetratormerge"),
]
REVIEWER_PERMS = RESEARCHER_PERMS + [("perpetrators", "change_perpetratormerge")]


def give(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, RESEARCHER, RESEARCHER_PERMS)
    grant(apps, REVIEWER, REVIEWER_PERMS)


def take_back(apps, schema_editor):
    revoke(apps, REVIEWER_PERMS)


class Migration(migrations.Migration):
    dependencies = [("perpetrators", "0009_perpetrator_duplicates_and_merges")]

    operations = [migrations.RunPython(give, take_back)]
