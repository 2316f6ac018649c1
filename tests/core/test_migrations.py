import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_staff_groups_exist_with_their_permissions():
    from django.contrib.auth.models import Group

    researcher = Group.objects.get(name="researcher")
    reviewer = Group.objects.get(name="reviewer")
    assert researcher.permissions.filter(codename="change_victim").exists()
    assert not researcher.permissions.filter(codename="publish_victim").exists()
    assert reviewer.permissions.filter(codename="publish_victim").exists()


def test_migrate_alone_makes_the_database_cache_table(tmp_path):
    """A deploy that runs only ``migrate`` gets the cache table the rate limiter, the
    dossier cache and the page cache read (Django leaves it to ``createcachetable``)."""
    import os
    import sqlite3
    import subprocess
    import sys

    from django.conf import settings

    database = tmp_path / "deploy.sqlite3"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        env=env, cwd=settings.BASE_DIR, check=True, capture_output=True,
    )  # fmt: skip
    tables = {
        name
        for (name,) in sqlite3.connect(database).execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    }
    assert settings.CACHES["default"]["LOCATION"] in tables
