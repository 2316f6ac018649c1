"""Backups: the database and both media folders in one dated archive, and back.

PostgreSQL is dumped with ``pg_dump`` (custom format) and restored with ``pg_restore``;
SQLite with its online backup API, which copies a consistent snapshot while the site runs.
A backup restores into the same kind of database it came from.

A backup holds every family's submission and attachment, so it is encrypted, with age
(https://age-encryption.org, through pyrage): ``BACKUP_KEY`` names age keys, comma-
separated. A public key (``age1…``) can only encrypt: a server that holds no more cannot
read its own backups, nor can whoever steals them from it. The secret key
(``AGE-SECRET-KEY-1…``) is needed to restore and is kept off the server. Why age rather
than Fernet: it streams (a backup of gigabytes of attachments never sits in memory; Fernet
encrypts one message whole), it separates the key that writes from the key that reads,
and its format is a published standard that the ``age``/``rage`` tools read without this
code. The archive is written as ``archive-<UTC time>.tar.gz.age``, mode 0600, the tar
piped into the encryption so that no unencrypted copy of it reaches the disk (the
database dump alone sits, for the time of the backup, in a private temporary folder).

Without ``BACKUP_KEY`` a backup is refused unless ``DEBUG`` is on (a development backup,
written unencrypted, with a warning).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT_VERSION = 1
AGE_HEADER = b"age-encryption.org/v1\n"
SECRET_PREFIX = "AGE-SECRET-KEY-"  # noqa: S105 - the prefix of every age secret key
NO_KEY = (
    "BACKUP_KEY is not set. A backup holds the families' submissions and their "
    "attachments, so it is only written encrypted. Make a key with "
    "'python manage.py backup --make-key', keep its secret key off this server, and set "
    "BACKUP_KEY to its public key (age1...). With DEBUG=1, a development backup is "
    "written unencrypted."
)


class BackupError(Exception):
    """A backup or a restore that cannot be done, with the reason in words."""


def backup_keys() -> tuple[list, list]:
    """The age recipients (who can read a backup) and identities (secret keys, which can
    restore one) that ``BACKUP_KEY`` names. A secret key also encrypts, to its own public
    key."""
    from pyrage import IdentityError, RecipientError, x25519

    recipients, identities = [], []
    for position, value in enumerate(settings.BACKUP_KEYS, start=1):
        try:
            if value.startswith(SECRET_PREFIX):
                identity = x25519.Identity.from_str(value)
                identities.append(identity)
                recipients.append(identity.to_public())
            else:
                recipients.append(x25519.Recipient.from_str(value))
        except (IdentityError, RecipientError):
            # The value itself is not repeated: it may be a secret key.
            raise BackupError(
                f"BACKUP_KEY: key {position} is not an age key (a public key age1... or a "
                f"secret key {SECRET_PREFIX}1...)."
            ) from None
    return recipients, identities


def make_key() -> tuple[str, str]:
    """A new age key pair: (secret key, public key)."""
    from pyrage import x25519

    identity = x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def _private_file(path: Path):
    """A new file only its owner can read, whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def _write_tar(out, work: Path) -> None:
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for item in sorted(work.iterdir()):
            tar.add(item, arcname=item.name)
        for name, folder in (("media", settings.MEDIA_ROOT),
                             ("private", settings.PRIVATE_MEDIA_ROOT)):  # fmt: skip
            if Path(folder).is_dir():
                tar.add(folder, arcname=name)


def _write_encrypted_tar(out, work: Path, recipients: list) -> None:
    """The tar, gzipped, piped straight into age's encryption (which streams)."""
    import pyrage

    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []

    def produce():
        try:
            with os.fdopen(write_fd, "wb") as pipe:
                _write_tar(pipe, work)
        except BaseException as exc:  # reported by the caller; the pipe is closed
            failure.append(exc)

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            pyrage.encrypt_io(pipe, out, recipients)
    finally:
        producer.join()
    if failure:
        raise BackupError(f"The archive could not be written: {failure[0]}") from failure[0]


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
    """Write ``archive-<UTC time>.tar.gz.age`` (``.tar.gz`` unencrypted, with DEBUG and
    no key) into ``backup_dir``, readable by its owner only, and return its path."""
    recipients, _identities = backup_keys()
    if not recipients and not settings.DEBUG:
        raise BackupError(NO_KEY)
    backup_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = backup_dir / f"archive-{stamp}.tar.gz{'.age' if recipients else ''}"
    partial = backup_dir / f"archive-{stamp}.partial"
    # A private folder (0700) for the database dump while the archive is written.
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        engine = dump_database(alias, work)
        manifest = {
            "format": FORMAT_VERSION,
            "engine": engine,
            "created": stamp,
            "archive_version": settings.ARCHIVE_VERSION,
            "encrypted": bool(recipients),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        try:
            with _private_file(partial) as out:
                if recipients:
                    _write_encrypted_tar(out, work, recipients)
                else:
                    _write_tar(out, work)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.rename(final)  # a half-written archive never carries the final name
    return final


def _decrypted(archive: Path, work: Path) -> Path:
    """``archive`` itself if it is not encrypted, else its decrypted copy in ``work``."""
    with archive.open("rb") as fh:
        if fh.read(len(AGE_HEADER)) != AGE_HEADER:
            return archive
    import pyrage

    _recipients, identities = backup_keys()
    if not identities:
        raise BackupError(
            f"{archive.name} is encrypted. Set BACKUP_KEY to the secret key it was made for "
            f"({SECRET_PREFIX}1...); a public key (age1...) can only encrypt."
        )
    plain = work / "backup.tar.gz"
    try:
        with archive.open("rb") as source, _private_file(plain) as out:
            pyrage.decrypt_io(source, out, identities)
    except pyrage.DecryptError as exc:
        raise BackupError(
            f"{archive.name} could not be decrypted with the secret key in BACKUP_KEY "
            f"({exc}). Nothing was changed."
        ) from None
    return plain


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
    with tempfile.TemporaryDirectory() as tmp:  # private (0700), removed afterwards
        work = Path(tmp) / "backup"
        work.mkdir()
        source = _decrypted(archive, Path(tmp))
        with tarfile.open(source, "r:gz") as tar:
            tar.extractall(work, members=list(_safe_members(tar)), filter="data")
        if source != archive:
            source.unlink()
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
