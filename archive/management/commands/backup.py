"""``manage.py backup``: the database and media in one dated archive in BACKUP_DIR."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and the media into one dated archive; print its path last."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="Folder (default: BACKUP_DIR).")

    def handle(self, *args, dir=None, **options):
        try:
            path = create_backup(backup_dir=Path(dir) if dir else settings.BACKUP_DIR)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path.resolve()))
