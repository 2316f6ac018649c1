"""Backups: the database and both media folders in one dated archive, and back.

PostgreSQL is dumped with ``pg_dump`` (custom format) and restored with ``pg_restore``;
SQLite with its online backup API, which copies a consistent snapshot while the site runs.
A backup restores into the same kind of database it came from.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or a restore that cannot be done, with the reason in words."""


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return args


def _run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def dump_database(alias: str, target: Path) -> str:
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        path = target / "database.pgdump"
        _run(
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", *_pg_args(db), "-f", str(path),
             db["NAME"]],
            _pg_env(db),
        )  # fmt: skip
        return "postgresql"
    if connection.vendor == "sqlite":
        path = target / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()
        return "sqlite"
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def create_backup(*, backup_dir: Path, alias: str = "default") -> Path:
    """Write ``archive-<UTC time>.tar.gz`` into ``backup_dir`` and return its path."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = backup_dir / f"archive-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        engine = dump_database(alias, work)
        manifest = {
            "format": FORMAT_VERSION,
            "engine": engine,
            "created": stamp,
            "archive_version": settings.ARCHIVE_VERSION,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = final.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            for item in sorted(work.iterdir()):
                tar.add(item, arcname=item.name)
            for name, folder in (("media", settings.MEDIA_ROOT),
                                 ("private", settings.PRIVATE_MEDIA_ROOT)):  # fmt: skip
                if Path(folder).is_dir():
                    tar.add(folder, arcname=name)
        partial.rename(final)  # a half-written archive never carries the final name
    return final


def _database_is_empty(alias: str) -> bool:
    connection = connections[alias]
    tables = [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]
    return not tables


def _safe_members(tar: tarfile.TarFile):
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or member.issym() or member.islnk():
            raise BackupError(f"The archive holds an unsafe path: {member.name!r}")
        yield member


def restore_backup(*, archive: Path, alias: str = "default") -> dict:
    """Bring a backup back into the empty database ``alias`` names, and the media into
    MEDIA_ROOT and PRIVATE_MEDIA_ROOT."""
    if not archive.is_file():
        raise BackupError(f"No backup file at {archive}")
    connection = connections[alias]
    db = connection.settings_dict
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        work = Path(tmp)
        tar.extractall(work, members=list(_safe_members(tar)), filter="data")
        try:
            manifest = json.loads((work / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise BackupError(f"{archive.name} is not an archive backup: {exc}") from exc
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; DATABASE_URL names a "
                f"{connection.vendor} one. Restore it into the same kind of database."
            )
        if not _database_is_empty(alias):
            raise BackupError(
                f"The database {db['NAME']} is not empty. Restore into a new, empty database "
                f"(nothing was changed)."
            )
        if connection.vendor == "postgresql":
            connection.close()
            _run(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                 "--single-transaction", *_pg_args(db), "-d", db["NAME"],
                 str(work / "database.pgdump")],
                _pg_env(db),
            )  # fmt: skip
        else:
            connection.ensure_connection()
            with sqlite3.connect(work / "database.sqlite3") as source:
                source.backup(connection.connection)
            source.close()
        for name, folder in (("media", settings.MEDIA_ROOT),
                             ("private", settings.PRIVATE_MEDIA_ROOT)):  # fmt: skip
            if (work / name).is_dir():
                shutil.copytree(work / name, folder, dirs_exist_ok=True)
    return manifest
