"""Settings read from the environment refuse values they cannot use."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from archive.env import envbool, envint, parse_database_url


def test_bad_boolean_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "flase")
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG.*'flase'"):
        envbool("DEBUG", False)


def test_bad_number_is_refused(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "eight hours")
    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE"):
        envint("SESSION_COOKIE_AGE", 1)


def test_postgres_url_is_parsed(tmp_path):
    db = parse_database_url("postgres://u:p%40ss@db.example:5433/archive", base_dir=tmp_path)
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql", "archive", "u", "p@ss", "db.example", "5433",
    )  # fmt: skip


def test_sqlite_url_is_relative_to_the_project(tmp_path):
    assert parse_database_url("sqlite:///db.sqlite3", base_dir=tmp_path)["NAME"] == str(
        tmp_path / "db.sqlite3"
    )


def test_unknown_database_scheme_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        parse_database_url("mysql://x/y", base_dir=tmp_path)


def _run(code, **env):
    import os
    import subprocess
    import sys

    from django.conf import settings

    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    return subprocess.run(
        [sys.executable, *code], cwd=settings.BASE_DIR, env={**clean, **env},
        capture_output=True, text=True,
    )  # fmt: skip


def test_server_refuses_to_start_without_a_secret_key():
    result = _run(["-c", "import archive.wsgi"])
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_migration_check_runs_without_a_secret_key():
    result = _run(["manage.py", "makemigrations", "--check", "--dry-run"])
    assert result.returncode == 0, result.stderr
