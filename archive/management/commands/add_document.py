"""``manage.py add_document SOURCE_ID FILE [--url URL] [--retrieved DATE] [--title T]
[--as USER]``: adds a file to a source (checked by its bytes, kept byte for byte, its
derived files made, the custody log begun) and prints its SHA-256."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from sources.documents import Refused, add_document
from sources.models import Source


class Command(BaseCommand):
    help = "Add a document (PDF, image, audio, video or text file) to a source; prints its SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("source_id", help="The source's number (its page /sources/N/).")
        parser.add_argument("file", help="The file, kept byte for byte.")
        parser.add_argument("--url", default="", help="Where the file was retrieved from.")
        parser.add_argument("--retrieved", default="", help="When: YYYY-MM-DD.")
        parser.add_argument("--title", default="", help="What it is (shown publicly).")
        parser.add_argument("--as", dest="username", default="", help="Who adds it.")

    def handle(self, *args, source_id, file, url, retrieved, title, username, **options):
        try:
            source = Source.objects.get(pk=int(source_id))
        except (ValueError, Source.DoesNotExist):
            raise CommandError(f"No source has the number {source_id!r}.") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise CommandError(f"--url must be an http(s) address; got {url!r}") from None
        day = None
        if retrieved:
            try:
                day = datetime.date.fromisoformat(retrieved)
            except ValueError:
                raise CommandError(
                    f"--retrieved must be a date as YYYY-MM-DD; got {retrieved!r}"
                ) from None
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"--as: no user is called {username!r}.")
        try:
            with path.open("rb") as handle:
                handle.size = path.stat().st_size
                document = add_document(
                    source=source, fileobj=handle, name=path.name, url=url, retrieved=day,
                    user=user, title=title, via="add_document",
                )  # fmt: skip
        except Refused as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        self.stdout.write(document.sha256)
        self.stderr.write(
            f"Added to source {source.pk} as document {document.pk} "
            f"({document.media_type}, {document.size} bytes, {document.page_count} pages)."
        )
