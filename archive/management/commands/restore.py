"""``manage.py restore FILE``: a backup back into the empty database DATABASE_URL names,
decrypted with the secret key in BACKUP_KEY when it is encrypted (``archive.backups``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'manage.py backup' into an empty database; an encrypted "
        "one needs its secret key in BACKUP_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            manifest = restore_backup(archive=Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the {manifest['engine']} backup made {manifest['created']} "
            f"(archive version {manifest['archive_version']})."
        )
