"""``manage.py verify_documents``: reads every stored original and checks it against the
SHA-256 and size recorded when it was added. Names each that differs (or is missing),
writes the result in its custody log, and exits non-zero when any does."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sources.documents import CustodyEvent, Document


class Command(BaseCommand):
    help = "Check every document's original against its SHA-256; non-zero exit if any differs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-log", action="store_true",
            help="Do not write a 'verified' entry in each custody log (failures always are).",
        )  # fmt: skip

    def handle(self, *args, no_log=False, **options):
        bad, checked = [], 0
        entries = []
        for document in Document.objects.select_related("source").iterator(chunk_size=500):
            checked += 1
            problem = document.verify()
            if problem:
                bad.append(document)
                self.stderr.write(
                    f"DIFFERS: document {document.pk} of source {document.source_id} "
                    f"({document.original.name}): {problem}"
                )
                entries.append(CustodyEvent(document=document, action="altered", detail=problem))
            elif not no_log:
                entries.append(CustodyEvent(document=document, action="verified"))
        CustodyEvent.objects.bulk_create(entries, batch_size=500)
        if bad:
            raise CommandError(f"{len(bad)} of {checked} documents differ from their digest.")
        self.stdout.write(f"{checked} documents match their SHA-256.")
