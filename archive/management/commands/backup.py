"""``manage.py backup``: the database and media in one dated, encrypted archive in
BACKUP_DIR (``archive.backups``); ``--make-key`` prints a new key pair for BACKUP_KEY."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.backups import BackupError, create_backup, make_key


class Command(BaseCommand):
    help = (
        "Write the database and the media into one dated archive, encrypted to BACKUP_KEY; "
        "print its path last. --make-key prints a new key pair instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="Folder (default: BACKUP_DIR).")
        parser.add_argument(
            "--make-key", action="store_true",
            help="Print a new age key pair: the secret key (to restore; keep it off the "
                 "server) and the public key (BACKUP_KEY on the server).",
        )  # fmt: skip

    def handle(self, *args, dir=None, make_key=False, **options):
        if make_key:
            return self._make_key()
        try:
            path = create_backup(backup_dir=Path(dir) if dir else settings.BACKUP_DIR)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if path.suffix != ".age":
            self.stderr.write(
                "Warning: BACKUP_KEY is not set, so this development backup is NOT encrypted. "
                "It holds the families' submissions: do not copy it off this machine."
            )
        self.stdout.write(str(path.resolve()))

    def _make_key(self):
        secret, public = make_key()
        self.stdout.write(
            "# Secret key: needed to restore. Keep it off the server (e.g. in the "
            "organisation's password manager, and on paper in a safe).\n"
            f"{secret}\n"
            "# Public key: set BACKUP_KEY to it on the server; it can only encrypt.\n"
            f"{public}"
        )
