"""``python bench/generate_synthetic.py victims N``: clearly synthetic records for
benchmarks and load tests, never for a real archive. A development tool: it is not part
of the installed package (tests call its ``Command`` through ``call_command``).

Rows come from ``bench.synthetic.synthetic_people`` (refs ``SYN-0000001`` and up, names
recombined from the lexicon) and are written through the import command's bulk writer
(``archive.core.importing.create_with_history``): on PostgreSQL a COPY into a staging table
and one INSERT ... SELECT per batch, elsewhere a multi-row INSERT per few hundred records;
a "created" history entry for each, search keys computed as for a saved record. Prisons and
events are created the first time a row names them. Each batch is its own transaction, so
a build of a million rows can be stopped and resumed with ``--start``.

``--make realistic``: victims of ``bench.synthetic``'s realistic make (family names as
diverse as Iranian ones, and the person's facts real lists give: place of birth, occupation,
ethnicity, religion, civil status, date of arrest), its towns created as cities the first
time a row names them. The default, ``lexicon``, is the earlier make (248 given x 249
family names, skewed), whose namesakes grow with the square of the list.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script: the project on the path, Django set up
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from archive.core.importing import create_with_history
from archive.core.models import Event, Place
from archive.core.names.lexicon import PRISONS
from bench.synthetic import EVENT_1988, EVENT_2019, MAKES, REF_FORMAT, synthetic_people
from bench.synthetic_realistic import TOWNS
from perpetrators.models import Perpetrator
from sources.models import Source
from victims.models import Victim

KINDS = ("victims", "perpetrators", "sources")
REASON = "synthetic data (generate_synthetic)"
EVENTS = {
    EVENT_1988: ("1988 massacre of political prisoners (synthetic)", dt.date(1988, 7, 19)),
    EVENT_2019: ("November 2019 protests (synthetic)", dt.date(2019, 11, 15)),
}


def _batches(iterator, size):
    batch = []
    for item in iterator:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Command(BaseCommand):
    help = (
        "Write N clearly synthetic records (refs SYN-..., names from the lexicon) for "
        "benchmarks and load tests. Never run it on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("n", type=int, help="How many records to write.")
        parser.add_argument("--start", type=int, default=1, help="First SYN- number.")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same records.")
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per transaction.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--make", choices=MAKES, default="lexicon", help="Which make of synthetic list."
        )

    def handle(self, *args, kind, n, start, seed, batch_size, database, make, **options):
        if n < 0 or start < 1 or batch_size < 1:
            raise CommandError("N must be 0 or more; --start and --batch-size 1 or more.")
        self.db = database
        self.now = timezone.now()
        started = time.monotonic()
        write = getattr(self, f"_write_{kind}")
        done = 0
        for batch in _batches(synthetic_people(n, seed=seed, start=start, make=make), batch_size):
            with transaction.atomic(using=database):
                write(batch)
            done += len(batch)
            if options.get("verbosity", 1) > 1 or (sys.stderr.isatty() and done % 50_000 == 0):
                rate = done / (time.monotonic() - started)
                self.stderr.write(f"{done:,} of {n:,} ({rate:,.0f} rows/s)")
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{done:,} synthetic {kind} written ({REF_FORMAT % start} on) in {seconds:.1f} s, "
            f"{done / seconds if seconds else 0:,.0f} rows/s."
        )

    # --- people ----------------------------------------------------------------------------

    def _person(self, model, row):
        published = row["publication_status"] == "published"
        obj = model(
            ref=row["ref"],
            name_latin=row["name_latin"],
            name_fa=row["name_fa"],
            aliases="\n".join(row["aliases"]),
            father_name=row["father_name"],
            gender=row["gender"],
            birth_year=row["birth_year"],
            publication_status=row["publication_status"],
            published_at=self.now if published else None,
        )
        obj.refresh_name_keys()
        return obj

    def _write_victims(self, rows):
        prisons, events = self._prisons(), self._events()
        objs = []
        for row in rows:
            obj = self._person(Victim, row)
            obj.fate = row["fate"]
            if row["death_date"]:
                obj.death_date = dt.date.fromisoformat(row["death_date"])
                obj.death_date_precision = row["death_date_precision"]
            obj.prison_id = prisons[row["prison"]] if row["prison"] else None
            obj.event_id = events[row["event"]]
            self._realistic_facts(obj, row)
            objs.append(obj)
        self._create(objs, Victim)

    def _realistic_facts(self, obj, row):
        """The facts a realistic row gives (none in a lexicon row)."""
        for fact in ("occupation", "religion", "ethnicity", "civil_status"):
            setattr(obj, fact, row.get(fact) or "")
        if row.get("arrest_date"):
            obj.arrest_date = dt.date.fromisoformat(row["arrest_date"])
            obj.arrest_date_precision = row["arrest_date_precision"]
        if row.get("birth_place"):
            obj.birth_place_id = self._towns()[row["birth_place"]]

    def _write_perpetrators(self, rows):
        self._create([self._person(Perpetrator, row) for row in rows], Perpetrator)

    def _write_sources(self, rows):
        objs = []
        for row in rows:
            published = row["publication_status"] == "published"
            name = row["name_latin"] or row["name_fa"]
            objs.append(
                Source(
                    kind=Source.Kind.OTHER,
                    title=f"{row['ref']} synthetic list of names ({name})",
                    publisher="Synthetic data, not a real source",
                    publication_status=row["publication_status"],
                    published_at=self.now if published else None,
                )
            )
        self._create(objs, Source)

    def _create(self, objs, model):
        create_with_history(objs, model, db=self.db, user=None, reason=REASON, when=self.now)

    # --- places and events, created once ---------------------------------------------------

    def _prisons(self) -> dict[str, int]:
        if not hasattr(self, "_prison_ids"):
            ids = {}
            for latin, fa in PRISONS:
                place = (
                    Place.objects.using(self.db)
                    .filter(kind="prison", name_en__in=[latin, f"{latin} Prison"])
                    .first()
                )
                if place is None:
                    place = Place.objects.using(self.db).create(
                        kind="prison", name_en=f"{latin} Prison", name_fa=f"زندان {fa}"
                    )
                ids[latin] = place.pk
            self._prison_ids = ids
        return self._prison_ids

    def _towns(self) -> dict[str, int]:
        """The realistic make's towns of birth, as cities (real towns: places, not people)."""
        if not hasattr(self, "_town_ids"):
            ids = {}
            for latin, fa, *_rest in TOWNS:
                place = Place.objects.using(self.db).filter(kind="city", name_en=latin[0]).first()
                if place is None:
                    place = Place.objects.using(self.db).create(
                        kind="city", name_en=latin[0], name_fa=fa
                    )
                ids[latin[0]] = place.pk
            self._town_ids = ids
        return self._town_ids

    def _events(self) -> dict[str, int]:
        if not hasattr(self, "_event_ids"):
            ids = {}
            for slug, (name, start) in EVENTS.items():
                event = Event.objects.using(self.db).filter(slug=slug).first()
                if event is None:
                    event = Event.objects.using(self.db).create(
                        slug=slug, name_en=name, start_date=start, start_date_precision="day",
                        publication_status="published", published_at=self.now,
                    )  # fmt: skip
                ids[slug] = event.pk
            self._event_ids = ids
        return self._event_ids


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "generate_synthetic", *sys.argv[1:]])
