"""A backup restored into an empty database gives the same rows in every table; it is
written encrypted (age, BACKUP_KEY) and readable by its owner only, and only its secret
key restores it.

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


def run(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def manage(env, *args):
    result = run(env, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def without_key(env):
    return {k: v for k, v in env.items() if k != "BACKUP_KEY"}


@pytest.fixture(scope="module")
def key_pair():
    from archive.backups import make_key

    return make_key()  # (secret, public)


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


def test_backup_restored_into_an_empty_database_gives_the_same_rows(databases, tmp_path, key_pair):
    source, target, read = databases
    secret, public = key_pair
    env = {
        **os.environ,
        "DATABASE_URL": source,
        "DEBUG": "0",  # as in production: the server holds the public key only
        "BACKUP_KEY": public,
        "BACKUP_DIR": str(tmp_path / "backups"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "loaddata", "seed", "-v", "0")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "attachment.jpg").write_bytes(b"synthetic attachment")
    out = manage(env, "backup")
    archive = Path(out.strip().splitlines()[-1])
    assert archive.is_file() and archive.parent == tmp_path / "backups"
    assert archive.name.endswith(".tar.gz.age")
    assert archive.stat().st_mode & 0o777 == 0o600
    data = archive.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    assert b"synthetic attachment" not in data and b"manifest" not in data
    assert b"\x1f\x8b" not in data[:200]  # not a gzip under the header

    (tmp_path / "private" / "attachment.jpg").unlink()
    restored_env = {**env, "DATABASE_URL": target}
    # The public key cannot restore, nor another secret key: nothing is changed.
    from archive.backups import make_key

    for key in (public, make_key()[0]):
        refused = run({**restored_env, "BACKUP_KEY": key}, "restore", str(archive))
        assert refused.returncode != 0
        assert "BACKUP_KEY" in refused.stderr
        assert secret not in refused.stderr + refused.stdout
    manage({**restored_env, "BACKUP_KEY": secret}, "restore", str(archive))
    assert read(target) == read(source)
    assert (tmp_path / "private" / "attachment.jpg").read_bytes() == b"synthetic attachment"


def test_without_a_key_a_production_backup_is_refused(tmp_path):
    env = without_key({**os.environ, "DEBUG": "0", "BACKUP_DIR": str(tmp_path / "backups"),
                       "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"})  # fmt: skip
    result = run(env, "backup")
    assert result.returncode != 0
    assert "BACKUP_KEY is not set" in result.stderr and "--make-key" in result.stderr
    assert not (tmp_path / "backups").exists()  # nothing written


def test_make_key_prints_a_pair_that_encrypts_and_decrypts(tmp_path):
    import pyrage
    from pyrage import x25519

    lines = [line for line in manage(dict(os.environ), "backup", "--make-key").splitlines()
             if not line.startswith("#")]  # fmt: skip
    secret, public = lines
    encrypted = pyrage.encrypt(b"synthetic", [x25519.Recipient.from_str(public)])
    assert pyrage.decrypt(encrypted, [x25519.Identity.from_str(secret)]) == b"synthetic"


def test_restore_refuses_a_database_that_is_not_empty(databases, tmp_path):
    source, _target, _read = databases
    env = without_key(
        {**os.environ, "DATABASE_URL": source, "DEBUG": "1", "BACKUP_DIR": str(tmp_path)}
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    made = run(env, "backup")
    # Without a key, with DEBUG: a development backup, unencrypted, said so, still private.
    assert made.returncode == 0 and "NOT encrypted" in made.stderr
    archive = made.stdout.strip().splitlines()[-1]
    assert archive.endswith(".tar.gz") and Path(archive).stat().st_mode & 0o777 == 0o600
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", archive], cwd=ROOT, env=env,
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "is not empty" in result.stderr
