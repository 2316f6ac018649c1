"""``manage.py render_dossiers``: render the dossiers' PDFs that are stale or asked for,
outside any request (see ``perpetrators/dossier_render.py`` for why).

Run it after each deploy and from cron (every few minutes)::

    manage.py render_dossiers --all --base-url https://archive.example.org/

renders every published dossier in every language for that address, and afterwards only
what changed. Without ``--all`` it renders, for the record state of now, the dossiers that
readers have asked for before (for the addresses they used). ``--pending`` renders only
what readers are waiting for (the web workers start it so). One render at a time in the
whole site (``DOSSIER_RENDER_CONCURRENCY``); a second run waits or leaves the rest to the
first.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from archive.dossiers import render as dossier_render


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise CommandError(f"--base-url must look like https://archive.example.org/; got {value!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/"


class Command(BaseCommand):
    help = "Render the dossiers' PDFs that are stale or that readers asked for."

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true", help="Only the PDFs asked for.")
        parser.add_argument(
            "--all",
            action="store_true",
            help="Every published dossier, in every language, for each --base-url.",
        )
        parser.add_argument(
            "--base-url",
            action="append",
            default=[],
            help="The site's address as readers use it (repeat for several).",
        )
        parser.add_argument("--kind", action="append", choices=sorted(dossier_render.KINDS))
        parser.add_argument("--ref", action="append", help="Only this dossier (repeatable).")
        parser.add_argument(
            "--lang", action="append", choices=[code for code, _ in settings.LANGUAGES]
        )
        parser.add_argument(
            "--max-seconds",
            type=float,
            default=1800,
            help="Start no render after this many seconds (default 1800).",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=60,
            help="How long to wait while another process renders (default 60 s).",
        )
        parser.add_argument("--database-name", help="Refuse to run on another database.")

    def handle(self, *args, **options):
        expected = options["database_name"]
        if expected and str(connection.settings_dict["NAME"]) != expected:
            # A renderer started by a test run or another deployment: not our database.
            self.stderr.write("render_dossiers: not the database asked for; nothing done.")
            return
        base_urls = [_base_url(u) for u in options["base_url"]]
        if options["all"] and not base_urls:
            raise CommandError("--all needs the site's address: --base-url https://…/")
        started = time.monotonic()
        queued = 0
        if not options["pending"]:
            queued = dossier_render.enqueue_stale(
                base_urls=base_urls,
                every=options["all"],
                kinds=options["kind"],
                refs=options["ref"],
                langs=options["lang"],
            )
        log = self.stdout.write if options["verbosity"] > 1 else None
        rendered = dossier_render.drain(
            deadline=started + options["max_seconds"], wait=options["wait"], log=log
        )
        if options["verbosity"]:
            self.stdout.write(
                f"{queued} dossier PDF(s) queued, {rendered} rendered in "
                f"{time.monotonic() - started:.1f} s."
            )
