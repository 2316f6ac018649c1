"""Published victims per place (held, killed, buried there, and how many people that is),
kept by the database as victims are written, so that the map reads them in one small
query whatever the archive's size (``archive.public.places``; issue 21's target).

Counting them at each read cost a pass over every published victim: 0.6 s at 95,000
and growing with the archive, after every edit (the page cache empties on each). Here the
database keeps the tallies with triggers on the victims' table (``victims.tally_core``:
why changes and not recounts, and why writers never wait for each other there).

``recount()`` counts everything anew in one statement (the migration's first fill,
SQLite after ``migrate`` or ``flush``, and a repair); ``differences()`` compares the kept
tallies with a fresh count (the tests, the benchmark).
"""

# The SQL here is built from this module's constants (table and column names), never from
# a value read from anyone: S608 sees string-built SQL, none of it holds input.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass

from victims import tally_core
from victims.tally_core import TallyTable

TABLE = "victims_place_tally"
ROLES = ("prison_id", "death_place_id", "burial_place_id")  # held, killed, buried


@dataclass
class Tally:
    """Published victims linked to one place: held, killed, buried there, and how many
    people that is (a person held and killed in one prison counts once)."""

    held: int = 0
    killed: int = 0
    buried: int = 0
    victims: int = 0


# --- What each row of victims adds to its places ------------------------------------------


def _per_place(rows: str, vendor: str) -> str:
    """SQL: each place of ``rows`` (sign, prison_id, death_place_id, burial_place_id) with
    the sums of what its rows add; places whose changes cancel out are left out."""
    prison, death, burial = ROLES
    # The distinct places of a row: the prison, the place of death if another, the burial
    # place if another again (a person held and killed in one prison counts once there).
    places = (
        f"SELECT sign, {prison}, {death}, {burial}, {prison} AS place_id FROM r "
        f"WHERE {prison} IS NOT NULL "
        f"UNION ALL SELECT sign, {prison}, {death}, {burial}, {death} FROM r "
        f"WHERE {death} IS NOT NULL AND ({prison} IS NULL OR {death} <> {prison}) "
        f"UNION ALL SELECT sign, {prison}, {death}, {burial}, {burial} FROM r "
        f"WHERE {burial} IS NOT NULL AND ({prison} IS NULL OR {burial} <> {prison}) "
        f"AND ({death} IS NULL OR {burial} <> {death})"
    )
    return f"""
        WITH r AS ({rows})
        SELECT place_id,
               SUM(CASE WHEN place_id = {prison} THEN sign ELSE 0 END) AS held,
               SUM(CASE WHEN place_id = {death} THEN sign ELSE 0 END) AS killed,
               SUM(CASE WHEN place_id = {burial} THEN sign ELSE 0 END) AS buried,
               SUM(sign) AS victims
        FROM ({places}) AS each_place
        GROUP BY place_id
        HAVING SUM(CASE WHEN place_id = {prison} THEN sign ELSE 0 END) <> 0
            OR SUM(CASE WHEN place_id = {death} THEN sign ELSE 0 END) <> 0
            OR SUM(CASE WHEN place_id = {burial} THEN sign ELSE 0 END) <> 0
            OR SUM(sign) <> 0"""


# --- SQLite: one trigger per row (one writer at a time: no one else holds a row) ----------


def _sqlite_apply(row: str, sign: int, vendor: str) -> list[str]:
    """Statements adding ``sign`` for the victim ``row`` (NEW or OLD) to its places' rows
    (one per place: SQLite has one writer at a time)."""
    prison, death, burial = (f"{row}.{role}" for role in ROLES)
    places = f"({prison}, {death}, {burial})"
    return [
        f"INSERT INTO {TABLE} (place_id, held, killed, buried, victims) "
        f"SELECT p, 0, 0, 0, 0 FROM (SELECT {prison} AS p UNION SELECT {death} "
        f"UNION SELECT {burial}) WHERE p IS NOT NULL "
        f"AND p NOT IN (SELECT place_id FROM {TABLE})",
        f"UPDATE {TABLE} SET held = held + {sign} * (place_id IS {prison}), "
        f"killed = killed + {sign} * (place_id IS {death}), "
        f"buried = buried + {sign} * (place_id IS {burial}), "
        f"victims = victims + {sign} WHERE place_id IN {places}",
        f"DELETE FROM {TABLE} WHERE place_id IN {places} "
        "AND held = 0 AND killed = 0 AND buried = 0 AND victims = 0",
    ]


PLACES = TallyTable(
    table=TABLE,
    keys=("place_id",),
    sums=("held", "killed", "buried", "victims"),
    columns=ROLES,
    per_key=_per_place,
    sqlite_apply=_sqlite_apply,
)


# --- Installing, counting anew, reading ------------------------------------------------------


def install(connection) -> None:
    PLACES.install(connection)


def uninstall(connection) -> None:
    PLACES.uninstall(connection)


def recount(using: str = "default") -> None:
    PLACES.recount(using)


def ensure(sender=None, using: str = "default", **kwargs) -> None:
    """After every ``migrate`` and ``flush`` (``TallyTable.ensure``)."""
    PLACES.ensure(using)


def place_tallies(using: str | None = None) -> dict[int, Tally]:
    """Place id -> its ``Tally`` of published victims, as kept: one query over a table
    of about one row per place."""
    from django.db.models import Sum

    from victims.models import PlaceTally

    rows = (
        PlaceTally.objects.using(using or "default")
        .order_by()
        .values("place_id")
        .annotate(h=Sum("held"), k=Sum("killed"), b=Sum("buried"), v=Sum("victims"))
        .values_list("place_id", "h", "k", "b", "v")
    )
    return {place: Tally(h, k, b, v) for place, h, k, b, v in rows if h or k or b or v}


def counted(using: str = "default") -> dict[int, Tally]:
    """Place id -> its ``Tally`` counted now from the published victims (a pass over
    them all: for checks, never for a page)."""
    return {place: Tally(h, k, b, v) for place, h, k, b, v in PLACES.counted(using)}


def differences(using: str = "default") -> dict[int, tuple[Tally | None, Tally | None]]:
    """The places whose kept tally is not what a fresh count gives: id -> (kept,
    counted). Empty when the tallies are exact."""
    return tally_core.differences(place_tallies(using), counted(using))
