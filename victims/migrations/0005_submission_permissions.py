from django.db import migrations

from archive.core.groups import RESEARCHER, REVIEWER, ensure_permissions, grant, revoke

# Researchers read the queue, set statuses, see the pictures; reviewers also see contact
# details (fewest people possible) and may delete a submission (a family may ask us to).
RESEARCHER_PERMS = [
    ("victims", "view_submission"),
    ("victims", "change_submission"),
    ("victims", "view_submissionattachment"),
]
REVIEWER_PERMS = RESEARCHER_PERMS + [
    ("victims", "delete_submission"),
    ("victims", "delete_submissionattachment"),
    ("victims", "view_submission_contact"),
]


def give(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, RESEARCHER, RESEARCHER_PERMS)
    grant(apps, REVIEWER, REVIEWER_PERMS)


def take_back(apps, schema_editor):
    revoke(apps, REVIEWER_PERMS)


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0004_submissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(give, take_back)]
