"""``python manage.py export_records victims FILE [--as USER]``: see archive.core.importing.
``export_records all FILE --format ftm``: every public record as FollowTheMoney entities
(``archive.api.ftm``)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.api import ftm
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
        parser.add_argument(
            "kind",
            help="Kind of record: " + ", ".join(sorted(REGISTRY)) + " (all: with --format ftm)",
        )
        parser.add_argument("file", help="A .csv, .xlsx, .json or .jsonl file to write")
        parser.add_argument(
            "--as",
            "--user",
            dest="as_user",
            metavar="USER",
            help="The account whose permissions decide what is exported.",
        )

        parser.add_argument(
            "--format",
            dest="output_format",
            choices=["ftm"],
            help="ftm: every published record as FollowTheMoney entities, one JSON object a "
            "line (KIND all); what the public may see only, whoever runs it.",
        )

    def handle(self, *args, kind, file, as_user, output_format=None, **options):
        if output_format == "ftm":
            return self._ftm(kind, file, as_user)
        try:
            count = export_file(kind, file, user=account_for_command(as_user))
        except (FileProblem, LookupError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{count} {kind} written to {file}.")

    def _ftm(self, kind, file, as_user):
        if kind != "all":
            raise CommandError(f"--format ftm exports every kind at once: say all, not {kind}.")
        if as_user:
            raise CommandError(
                "--as does not apply to --format ftm: it is what the public may see."
            )
        try:
            with open(file, "w", encoding="utf-8") as out:
                count = ftm.write(out, base_url=settings.SITE_URL.rstrip("/"))
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        self.stdout.write(f"{count} FollowTheMoney entities written to {file}.")
