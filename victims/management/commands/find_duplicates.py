"""``python manage.py find_duplicates victims OUT.csv [--store]``: see victims.dedupe."""

import csv
import time

from django.core.management.base import BaseCommand, CommandError

from victims.dedupe import store_matches, victim_matches


class Command(BaseCommand):
    help = (
        "Write the pairs of records that are likely the same person to a CSV file "
        "(ref_a, ref_b, score from 0 to 1, reasons), best first. Pairs a researcher marked "
        "'different people' are never proposed again. --store also puts them in the "
        "admin's review queue."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Kind of record: victims")
        parser.add_argument("out", help="CSV file to write")
        parser.add_argument(
            "--store", action="store_true", help="Also save the pairs in the review queue."
        )

    def handle(self, *args, kind, out, store, **options):
        if kind != "victims":
            raise CommandError(f"'{kind}' cannot be searched for duplicates; only 'victims' can.")
        started = time.monotonic()
        matches = victim_matches()
        try:
            with open(out, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(["ref_a", "ref_b", "score", "reasons"])
                for m in matches:
                    writer.writerow([m.a.ref, m.b.ref, f"{m.score:.3f}", "; ".join(m.reasons)])
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        self.stdout.write(
            f"{len(matches)} likely pairs written to {out} in {time.monotonic() - started:.1f}s."
        )
        if store:
            new = store_matches(matches)
            self.stdout.write(f"{new} new pairs in the review queue.")
