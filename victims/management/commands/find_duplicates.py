"""``python manage.py find_duplicates victims|perpetrators OUT.csv [--store]``: see
archive.core.linkage (the scoring), victims.dedupe and perpetrators.dedupe."""

import csv
import time

from django.core.management.base import BaseCommand, CommandError

from perpetrators import dedupe as perpetrator_dedupe
from victims import dedupe as victim_dedupe

KINDS = {
    "victims": (victim_dedupe.victim_matches, victim_dedupe.store_matches),
    "perpetrators": (perpetrator_dedupe.perpetrator_matches, perpetrator_dedupe.store_matches),
}


class Command(BaseCommand):
    help = (
        "Write the pairs of records that are likely the same person to a CSV file "
        "(ref_a, ref_b, score from 0 to 1, reasons), best first. Pairs a researcher marked "
        "'different people' are never proposed again. --store also puts them in the "
        "admin's review queue."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Kind of record: victims or perpetrators")
        parser.add_argument("out", help="CSV file to write")
        parser.add_argument(
            "--store", action="store_true", help="Also save the pairs in the review queue."
        )

    def handle(self, *args, kind, out, store, **options):
        if kind not in KINDS:
            raise CommandError(
                f"'{kind}' cannot be searched for duplicates; only {' and '.join(KINDS)} can."
            )
        find, store_matches = KINDS[kind]
        started = time.monotonic()
        matches = find()
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
