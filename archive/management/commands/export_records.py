"""``python manage.py export_records victims FILE``: see archive.importing."""

from django.core.management.base import BaseCommand, CommandError

from archive.importing import REGISTRY, FileProblem, export_file


class Command(BaseCommand):
    help = (
        "Export every record of a kind (published or not: a staff tool) to a CSV, XLSX or "
        "JSON file, with the same columns the import reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Kind of record: " + ", ".join(sorted(REGISTRY)))
        parser.add_argument("file", help="A .csv, .xlsx, .json or .jsonl file to write")

    def handle(self, *args, kind, file, **options):
        try:
            count = export_file(kind, file)
        except FileProblem as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{count} {kind} written to {file}.")
