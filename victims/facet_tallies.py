"""How many published victims there are, and how many have each value of the facts that
the statistics, the home page and the list's filters count: fate, event, year of death,
age at death, occupation, religion, ethnicity, gender. Kept by the database as victims
are written (``victims.tally_core``), so that those pages read a few hundred rows after
an edit instead of passing over every published victim.

At 1,000,000 victims each of those counts was a pass over the table: after every edit
the statistics took 3.4-3.9 s to compute (the age at death alone 1 s), the list's filter
choices three passes of ~95 ms (which occupations, religions, ethnicities are used), a
filtered list's count 60 ms, the home page's count 90 ms. While one worker computed them
the other served every reader alone, and a reader's p95 right after an edit was 2-3x a
warm page's (issue 26, item 2).

A row of the table is (facet, value, n): ``("all", "", n)`` is every published victim;
``("year", "1988", n)``; ``("age", "24:25", n)`` an age at death as the range the dates
allow (``archive.core.ages``; the same arithmetic as ``VictimQuerySet.with_age``, which
the tests hold it to); ``("event", "7", n)`` an event's id. A value no published victim
has is absent. ``differences()`` compares the kept tallies with a fresh count.

One facet is not a fact of the person but of their place in the table: ``("block", "95",
n)`` counts the published victims whose id is in 950,000-959,999 (``BLOCK`` ids a block).
The sitemap pages the published victims by their order of id, 500 to a page; with the
blocks' counts a page deep in it starts reading at its block and skips fewer than
``BLOCK`` rows, where it skipped every published victim before it (950,000 index entries
for the last page at a million, 39-47 ms of PostgreSQL after each edit: ``locate``).
"""

# The SQL here is built from this module's constants (facet names, column names, SQL
# expressions), never from a value read from anyone.
# ruff: noqa: S608

from __future__ import annotations

from archive.core.ages import Age
from victims import tally_core
from victims.tally_core import TallyTable

TABLE = "victims_facet_tally"

# Facets read from a text column as it is (a value of '' is "not known": not counted).
TEXT_FACETS = ("occupation", "religion", "ethnicity", "gender")
FACETS = ("all", "fate", "event", "year", "age", *TEXT_FACETS, "block")
COLUMNS = (
    "fate", "event_id", "death_date", "death_date_precision", "birth_year", *TEXT_FACETS, "id",
)  # fmt: skip
# Ids a "block" holds: a page located through the blocks skips fewer rows than this; a
# million ids make 100 blocks (the tally's rows a sitemap page reads).
BLOCK = 10_000


def _year(column: str, vendor: str) -> str:
    """SQL: the year of the date ``column``, as an integer."""
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(strftime('%Y', {column}) AS integer)"


def _age(row: str, vendor: str) -> str:
    """SQL: the age at death of ``row`` (a table alias or NEW/OLD) as "low:high", as
    ``VictimQuerySet.with_age`` computes it: the oldest age is the difference of the
    years; the youngest one less, unless the person died on 31 December (a date known to
    the day), and never below 0."""
    death = f"{row}death_date"
    high = f"({_year(death, vendor)} - {row}birth_year)"
    if vendor == "postgresql":
        last_day = f"(EXTRACT(MONTH FROM {death}) = 12 AND EXTRACT(DAY FROM {death}) = 31)"
        greatest = "GREATEST"
    else:
        last_day = f"(strftime('%m-%d', {death}) = '12-31')"
        greatest = "MAX"  # SQLite's scalar max of its arguments
    low = (
        f"{greatest}(CASE WHEN {row}death_date_precision IN ('day', '') AND {last_day} "
        f"THEN {high} ELSE {high} - 1 END, 0)"
    )
    return f"CAST({low} AS varchar) || ':' || CAST({high} AS varchar)"


def _pairs(row: str, vendor: str, *, sign: str | None = None, source: str = "") -> list[str]:
    """SELECTs of the (facet, value) pairs each published row adds to: one per facet the
    row has a value for. ``row`` prefixes the columns (``NEW.`` in a SQLite trigger);
    ``source`` is the FROM clause and ``sign`` the first column, when over a table."""
    lead = f"{sign}, " if sign else ""
    pairs = [
        ("'all'", "''", None),
        ("'fate'", f"{row}fate", None),
        ("'event'", f"CAST({row}event_id AS varchar)", f"{row}event_id IS NOT NULL"),
        (
            "'year'",
            f"CAST({_year(f'{row}death_date', vendor)} AS varchar)",
            f"{row}death_date IS NOT NULL",
        ),
        (
            "'age'",
            _age(row, vendor),
            f"{row}death_date IS NOT NULL AND {row}birth_year IS NOT NULL",
        ),
        *((f"'{name}'", f"{row}{name}", f"{row}{name} <> ''") for name in TEXT_FACETS),
        # Integer division on both databases (the id is an integer).
        ("'block'", f"CAST({row}id / {BLOCK} AS varchar)", None),
    ]
    return [
        f"SELECT {lead}{facet} AS facet, {value} AS value{source}"
        + (f" WHERE {where}" if where else "")
        for facet, value, where in pairs
    ]


def _per_facet(rows: str, vendor: str) -> str:
    """SQL: each (facet, value) of ``rows`` with the sum of what its rows add; those
    whose changes cancel out left out."""
    each = " UNION ALL ".join(_pairs("", vendor, sign="sign", source=" FROM r"))
    return f"""
        WITH r AS ({rows})
        SELECT facet, value, SUM(sign) AS n
        FROM ({each}) AS pairs
        GROUP BY facet, value
        HAVING SUM(sign) <> 0"""


def _sqlite_apply(row: str, sign: int, vendor: str) -> list[str]:
    """Statements adding ``sign`` for the victim ``row`` (NEW or OLD) to its facets' rows
    (one row per facet and value: SQLite has one writer at a time)."""
    pairs = " UNION ALL ".join(_pairs(f"{row}.", vendor))
    return [
        f"INSERT INTO {TABLE} (facet, value, n) SELECT facet, value, 0 FROM ({pairs}) AS p "
        f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} AS t "
        "WHERE t.facet = p.facet AND t.value = p.value)",
        f"UPDATE {TABLE} SET n = n + {sign} WHERE (facet, value) IN ({pairs})",
        f"DELETE FROM {TABLE} WHERE n = 0 AND (facet, value) IN ({pairs})",
    ]


FACET_TALLIES = TallyTable(
    table=TABLE,
    keys=("facet", "value"),
    sums=("n",),
    columns=COLUMNS,
    per_key=_per_facet,
    sqlite_apply=_sqlite_apply,
)


def ensure(sender=None, using: str = "default", **kwargs) -> None:
    """After every ``migrate`` and ``flush`` (``TallyTable.ensure``)."""
    FACET_TALLIES.ensure(using)


# --- Reading ---------------------------------------------------------------------------------


def facet_counts(facet: str, using: str | None = None) -> dict[str, int]:
    """Value -> how many published victims have it, for ``facet``, as kept: one query
    over the facet's rows (a few per value). Values no published victim has are absent."""
    from django.db.models import Sum

    from victims.models import FacetTally

    rows = (
        FacetTally.objects.using(using or "default")
        .filter(facet=facet)
        .order_by()
        .values("value")
        .annotate(total=Sum("n"))
        .values_list("value", "total")
    )
    return {value: n for value, n in rows if n}


def age_counts(using: str | None = None) -> dict[Age, int]:
    """Age at death (the range its dates allow, ``archive.core.ages.Age``) -> how many
    published victims died at it, as kept (the facet's values read "low:high")."""
    out = {}
    for value, n in facet_counts("age", using).items():
        low, high = (int(part) for part in value.split(":"))
        out[Age(low, high)] = n
    return out


def published_count(using: str | None = None) -> int:
    """How many victims are published, as kept."""
    return facet_counts("all", using).get("", 0)


def locate(position: int, using: str | None = None) -> tuple[int, int] | None:
    """Where the published victim at ``position`` (0: the first) in the order of ids is,
    as kept: ``(lowest, skip)``, the lowest id of its block and how many published victims
    of the block come before it; None past the last. One query over the blocks' rows:
    ``published().filter(pk__gte=lowest)[skip:]`` then starts at it, skipping fewer than
    ``BLOCK`` rows whatever the position."""
    before = 0
    for block, n in sorted((int(value), n) for value, n in facet_counts("block", using).items()):
        if position < before + n:
            return block * BLOCK, position - before
        before += n
    return None


def kept_all(using: str = "default") -> dict[tuple[str, str], int]:
    from django.db.models import Sum

    from victims.models import FacetTally

    rows = (
        FacetTally.objects.using(using)
        .order_by()
        .values("facet", "value")
        .annotate(total=Sum("n"))
        .values_list("facet", "value", "total")
    )
    return {(facet, value): n for facet, value, n in rows if n}


def counted(using: str = "default") -> dict[tuple[str, str], int]:
    """(facet, value) -> published victims, counted now (a pass over them all: for
    checks, never for a page)."""
    return {(facet, value): n for facet, value, n in FACET_TALLIES.counted(using)}


def differences(using: str = "default") -> dict[tuple[str, str], tuple[int | None, int | None]]:
    """The (facet, value) whose kept count is not what a fresh count gives: -> (kept,
    counted). Empty when the tallies are exact."""
    return tally_core.differences(kept_all(using), counted(using))
