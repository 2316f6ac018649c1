"""With DATABASE_REPLICA_URL set, public pages read from the replica and staff from the
primary (two real databases, in a subprocess that configures them)."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import connection

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


RECOUNT_SCRIPT = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.cache import cache
    from django.db import connections
    from archive.core.caching import kept
    from archive.routers import public_reads

    def parallel_workers():
        seen = {}
        for alias in ("default", "replica"):
            with connections[alias].cursor() as cursor:
                cursor.execute("SHOW max_parallel_workers_per_gather")
                seen[alias] = cursor.fetchone()[0]
        return seen

    try:
        with public_reads():
            print("during:", kept("test-replica-recount", "v1", parallel_workers, timeout=60))
        print("after:", parallel_workers())
    finally:
        cache.delete("test-replica-recount")
    """
)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's parallel workers")
def test_a_public_recount_runs_on_one_core_of_the_replica_its_reads_go_to():
    # Both aliases name the test database: two connections, as a primary and its replica
    # would be, and a setting is a connection's own.
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "DEBUG": "1",
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URL": url,
    }
    result = subprocess.run(
        [sys.executable, "-c", RECOUNT_SCRIPT],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    during, after = result.stdout.splitlines()
    # The public's figures are counted where the public reads them, on one process there;
    # the primary, where researchers write, is left as it was.
    assert "'replica': '0'" in during
    assert "'default': '0'" not in during
    assert "'replica': '0'" not in after
