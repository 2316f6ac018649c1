"""``python manage.py export_records victims FILE [--as USER]``: see archive.core.importing."""

from django.core.management.base import BaseCommand, CommandError

from archive.core.groups import account_for_command
from archive.core.importing import REGISTRY, FileProblem, export_file


class Command(BaseCommand):
    help = (
        "Export the records of a kind to a CSV, XLSX or JSON file, with the same columns the "
        "import reads. With --as USER, what that account may export (published records "
        "only without the change permission; staff notes only for those allowed them); "
        "without it, every record (a staff tool run on the server)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Kind of record: " + ", ".join(sorted(REGISTRY)))
        parser.add_argument("file", help="A .csv, .xlsx, .json or .jsonl file to write")
        parser.add_argument(
            "--as",
            "--user",
            dest="as_user",
            metavar="USER",
            help="The account whose permissions decide what is exported.",
        )

    def handle(self, *args, kind, file, as_user, **options):
        try:
            count = export_file(kind, file, user=account_for_command(as_user))
        except (FileProblem, LookupError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{count} {kind} written to {file}.")
