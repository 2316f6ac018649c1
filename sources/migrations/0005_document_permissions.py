from django.db import migrations

from archive.core.groups import RESEARCHER, REVIEWER, ensure_permissions, grant, revoke

# Staff add documents, describe them, and open the evidentiary copy (each opening is in
# the custody log, which they read and nobody writes by hand). No one deletes a document
# through the admin: an original is evidence; one that must not be public is withheld.
PERMS = [
    ("sources", "view_document"),
    ("sources", "add_document"),
    ("sources", "change_document"),
    ("sources", "view_custodyevent"),
]


def give(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, RESEARCHER, PERMS)
    grant(apps, REVIEWER, PERMS)


def take_back(apps, schema_editor):
    revoke(apps, PERMS)


class Migration(migrations.Migration):
    dependencies = [("sources", "0004_documents")]

    operations = [migrations.RunPython(give, take_back)]
