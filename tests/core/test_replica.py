"""With DATABASE_REPLICA_URL set, public pages read from the replica and staff from the
primary (two real databases, in a subprocess that configures them)."""

import os
import subprocess
import sys
import textwrap

from django.conf import settings

SCRIPT = textwrap.dedent(
    """
    import django, os
    django.setup()
    from django.test import Client
    from perpetrators.models import Perpetrator
    Perpetrator.objects.using("default").create(
        ref="TEST-PRIMARY", name_latin="Only On Primary", publication_status="published")
    Perpetrator.objects.using("replica").create(
        ref="TEST-REPLICA", name_latin="Only On Replica", publication_status="published")
    page = Client().get("/perpetrators/").content.decode()
    print("public:", "Only On Replica" in page, "Only On Primary" in page)
    from perpetrators.models import Perpetrator as P
    print("staff:", list(P.objects.values_list("ref", flat=True)))
    """
)


def test_public_pages_read_from_the_replica_and_staff_from_the_primary(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path}/primary.sqlite3",
        "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path}/replica.sqlite3",
    }
    # The replica's schema is made the way a real replica gets it: from the primary.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=settings.BASE_DIR,
        env=env, check=True,
    )  # fmt: skip
    (tmp_path / "replica.sqlite3").write_bytes((tmp_path / "primary.sqlite3").read_bytes())
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "public: True False" in result.stdout
    assert "staff: ['TEST-PRIMARY']" in result.stdout
