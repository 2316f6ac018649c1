"""A backup restored into an empty database gives the same rows in every table.

Runs the real commands in subprocesses against databases of their own, on the engine
the suite runs on (SQLite files, or two fresh PostgreSQL databases)."""

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def sqlite_rows(path):
    db = sqlite3.connect(path)
    tables = [
        r[0]
        for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        if not r[0].startswith("sqlite_")
    ]
    rows = {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    db.close()
    return rows


def postgres_rows(url):
    import psycopg2

    db = psycopg2.connect(url)
    cur = db.cursor()
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY 1")
    tables = [r[0] for r in cur.fetchall()]
    rows = {}
    for table in tables:
        cur.execute(f'SELECT * FROM "{table}"')
        rows[table] = sorted(map(repr, cur.fetchall()))
    db.close()
    return rows


@pytest.fixture
def databases(tmp_path):
    """Two empty databases of the engine under test: (source url, target url, reader)."""
    if connection.vendor == "sqlite":
        yield (f"sqlite:///{tmp_path}/a.sqlite3", f"sqlite:///{tmp_path}/b.sqlite3",
               lambda url: sqlite_rows(url.removeprefix("sqlite:///")))  # fmt: skip
        return
    import psycopg2

    db = connection.settings_dict
    base = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    )
    names = [f"backup_test_{uuid.uuid4().hex[:8]}_{n}" for n in "ab"]
    admin = psycopg2.connect(f"{base}/postgres")
    admin.autocommit = True
    for name in names:
        admin.cursor().execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    yield f"{base}/{names[0]}", f"{base}/{names[1]}", postgres_rows
    for name in names:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name}")
    admin.close()


def test_backup_restored_into_an_empty_database_gives_the_same_rows(databases, tmp_path):
    source, target, read = databases
    env = {
        **os.environ,
        "DATABASE_URL": source,
        "DEBUG": "1",
        "BACKUP_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "loaddata", "seed", "-v", "0")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "attachment.jpg").write_bytes(b"synthetic attachment")
    out = manage(env, "backup")
    archive = Path(out.strip().splitlines()[-1])
    assert archive.is_file() and archive.parent == tmp_path

    (tmp_path / "private" / "attachment.jpg").unlink()
    restored_env = {**env, "DATABASE_URL": target}
    manage(restored_env, "restore", str(archive))
    assert read(target) == read(source)
    assert (tmp_path / "private" / "attachment.jpg").read_bytes() == b"synthetic attachment"


def test_restore_refuses_a_database_that_is_not_empty(databases, tmp_path):
    source, _target, _read = databases
    env = {**os.environ, "DATABASE_URL": source, "DEBUG": "1", "BACKUP_DIR": str(tmp_path)}
    manage(env, "migrate", "--noinput", "-v", "0")
    archive = manage(env, "backup").strip().splitlines()[-1]
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", archive], cwd=ROOT, env=env,
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "is not empty" in result.stderr
