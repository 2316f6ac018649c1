"""``python manage.py import_records victims FILE [--source ID [--update]] [--dry-run]
[--as USER]``: see archive.core.importing, its permissions and its citing."""

import sys

from django.core.management.base import BaseCommand, CommandError

from archive.core.groups import account_for_command
from archive.core.importing import (
    REGISTRY,
    FileProblem,
    Progress,
    import_file,
    match_lines,
    refresh_planner_statistics,
)
from sources.models import Source


class Command(BaseCommand):
    # Django's system checks import every URL and, through the open-data downloads,
    # followthemoney's whole schema: 1.7 s of CPU before the first row, which a data
    # import does not need (``manage.py check --deploy`` checks a deployment).
    requires_system_checks: list = []
    help = (
        "Import records from a CSV, XLSX or JSON file (format by extension). A row whose "
        "key (ref) is known updates that record; a new key creates one. The whole file is "
        "imported or nothing is: every bad row is reported by its row number (row 1 is the "
        "header, so the first record is row 2) and the command exits with status 1. "
        "The permissions of the account named with --as apply, and the history names it; "
        "without --as, rows that create or change a published record are refused. "
        "With --source ID every filled cell of a fact the record's page shows is cited to "
        "that source, with the locator 'row N'; on a record that exists, a value that "
        "differs from the record's is kept as that source's version (the record keeps its "
        "value) unless --update. Without --source, rows that publish a record are refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Kind of record: " + ", ".join(sorted(REGISTRY)))
        parser.add_argument("file", help="A .csv, .xlsx, .json or .jsonl file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--as",
            "--user",
            dest="as_user",
            metavar="USER",
            help="The account whose permissions apply and whom each record's history names "
            "as the importer. Without it: drafts only (no row may create or change a "
            "published record) and no name in the history.",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show rows done and rows per second on stderr even when it is not a terminal.",
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per bulk write.")
        parser.add_argument(
            "--source",
            type=int,
            metavar="ID",
            help="The id of the source the file comes from (it must exist): every filled "
            "cell of a citable fact is cited to it, locator 'row N'. A draft source may be "
            "used, but then no row may publish its record (the gate names why, per row). "
            "Without it, rows with publication_status=published are refused.",
        )
        parser.add_argument(
            "--on-match",
            choices=["report", "skip"],
            default="report",
            help="A new row that is probably a person already in the archive is listed "
            "('row 12 may be V-0002, score 0.93: ...'); with 'skip' it is also left out. "
            "Nothing is merged: a researcher decides. Default: report.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="With --source: the source is preferred. A value differing from an "
            "existing record's replaces it; the citations that supported the old value keep "
            "it as their version. Without --update the record keeps its value and the "
            "source's is kept as its version.",
        )

    def handle(self, *args, kind, file, dry_run, as_user, progress, batch_size, **options):
        try:
            importer = account_for_command(as_user)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        source = None
        if options.get("source") is not None:
            source = Source.objects.filter(pk=options["source"]).first()
            if source is None:
                raise CommandError(
                    f"There is no source with id {options['source']}: add the source first "
                    "(admin, or import_records sources) and give its id to --source."
                )
            if not source.is_published:
                self.stderr.write(
                    f"warning: source {source.pk} «{source}» is not published: its citations "
                    "are written, but no row may publish its record."
                )
        elif options.get("update"):
            raise CommandError("--update says the source is preferred: give it with --source ID.")
        meter = Progress(stream=sys.stderr, enabled=True if progress else None)
        try:
            report = import_file(
                kind, file, user=importer, dry_run=dry_run, progress=meter,
                batch_size=batch_size, source=source, prefer_source=options.get("update"),
                on_match=options.get("on_match") or "report",
            )  # fmt: skip
        except FileProblem as exc:
            raise CommandError(str(exc)) from None
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        for problem in report.problems:
            self.stderr.write(str(problem))
        if report.more_problems:
            self.stderr.write(f"… and {report.more_problems} more problems.")
        if report.new_references and report.ok:
            verb = "would be created" if dry_run else "created"
            self.stdout.write(
                f"{len(report.new_references)} new reference record(s) {verb}: "
                + ", ".join(report.new_references)
            )
        if not report.ok:
            raise CommandError(report.summary())
        for line in match_lines(report):
            self.stdout.write(line)
        if not dry_run:
            refresh_planner_statistics(REGISTRY[kind]._meta.model)
        self.stdout.write(report.summary())
        if report.keys_seconds >= 1:
            self.stdout.write(
                f"The duplicate check's keys of the records written were made in "
                f"{report.keys_seconds:.1f} s (the next check needs not make them)."
            )
