"""A synthetic list with people entered twice, written as the NGOs' files are and
imported with ``import_records``, as the issue's check does."""

import csv

from django.core.management import call_command

from bench.synthetic import duplicate_pairs, synthetic_people

COLUMNS = [
    "ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year", "fate",
    "death_date", "prison", "publication_status",
]  # fmt: skip


def synthetic_file(path, n: int, rate: float, seed: int):
    """Write ``n`` synthetic people plus duplicates to ``path``; return the truth pairs."""
    rows = list(synthetic_people(n, seed=seed))
    extra, truth = duplicate_pairs(rows, rate=rate, seed=seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows + extra:
            date, precision = row["death_date"], row["death_date_precision"]
            if date and precision == "month":
                date = date[:7]
            elif date and precision == "year":
                date = date[:4]
            writer.writerow(dict(row, aliases="\n".join(row["aliases"]), death_date=date))
    return {frozenset(pair) for pair in truth}


def import_file(path, reviewer):
    """As a reviewer (most synthetic people are published, which the command line alone may
    not import), citing a synthetic published source (the publication gate)."""
    from tests.factories import SourceFactory

    source = SourceFactory(title="Synthetic list with duplicates (test data)")
    call_command(
        "import_records", "victims", str(path), "--as", reviewer.username,
        "--source", str(source.pk), verbosity=0,
    )  # fmt: skip
