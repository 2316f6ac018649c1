"""Published victims per place (held, killed, buried there, and how many people that is),
kept by the database as victims are written, so that the map reads them in one small
query whatever the archive's size (``archive.public.places``; issue 21's target).

Counting them at each read cost a pass over every published victim: 0.6 s at 95,000
and growing with the archive, after every edit (the page cache empties on each). Here the
database keeps the tallies with triggers on the victims' table: each statement that
writes victims adds what it changed (its rows before and after, a published row counts
-1 as it was and +1 as it is) to ``victims_place_tally``. Every way victims are written
goes through them: a save in the admin, publishing and withdrawing (``move_to``), merges,
the import's COPY and ``UPDATE ... FROM`` (``archive.core.importing.staging``),
``QuerySet.update``, deletions, raw SQL. Nothing in Python has to remember a hook.

Why changes and not a recount of each place touched: a recount in the writing
transaction reads the rows of its snapshot; two transactions that write victims of one
place at once each recount without the other's rows, and the later commit overwrites
the earlier's tally with a count that misses a row (a lost update), unless each first
locks the place's tally and holds it to commit: then an import holds Evin's tally for
its whole run and every save of an Evin victim (a researcher in the admin) waits for it,
and two imports that lock places in another order deadlock. A recount also costs what
the place holds (a place of 100,000 victims, on each save; an import batch that touches
every place, a count of the archive per batch). A change is exact by construction: the
trigger sees each row as it was and as it is under the row's lock, in the transaction
that changes it, and goes with it if it rolls back.

No place's tally is a single hot row: each statement inserts a row of changes per place
it touched and folds into it the rows of that place no other open transaction holds
(``FOR UPDATE SKIP LOCKED``): writers never wait for each other here, and the table
keeps about one row per place (plus one per place and open writer). A reader sums the
rows per place. PostgreSQL runs one trigger per statement over its transition tables
(an import batch is one statement); SQLite, one writer at a time, one per row.

``recount()`` counts everything anew in one statement (the migration's first fill,
SQLite after ``migrate`` or ``flush``, and a repair); ``differences()`` compares the kept
tallies with a fresh count (the tests, the benchmark).
"""

# The SQL here is built from this module's constants (table and column names), never from
# a value read from anyone: S608 sees string-built SQL, none of it holds input.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections

TABLE = "victims_place_tally"
VICTIMS = "victims_victim"
PUBLISHED = "published"
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


def _per_place(rows: str) -> str:
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


def _rows(table: str, sign: int) -> str:
    prison, death, burial = ROLES
    return (
        f"SELECT {sign} AS sign, {prison}, {death}, {burial} FROM {table} "
        f"WHERE publication_status = '{PUBLISHED}'"
    )


def _fold(changes: str) -> str:
    """PostgreSQL: one statement that adds ``changes`` (per-place sums) to the tallies:
    the rows of those places that no other open transaction holds are taken out and put
    back summed with the changes, as one row per place (none where all is zero)."""
    return f"""
        WITH changes AS ({changes}),
        taken AS (
            DELETE FROM {TABLE} WHERE id IN (
                SELECT id FROM {TABLE} WHERE place_id IN (SELECT place_id FROM changes)
                FOR UPDATE SKIP LOCKED)
            RETURNING place_id, held, killed, buried, victims)
        INSERT INTO {TABLE} (place_id, held, killed, buried, victims)
        SELECT place_id, SUM(held), SUM(killed), SUM(buried), SUM(victims)
        FROM (SELECT * FROM changes UNION ALL SELECT * FROM taken) AS both_
        GROUP BY place_id
        HAVING SUM(held) <> 0 OR SUM(killed) <> 0 OR SUM(buried) <> 0 OR SUM(victims) <> 0"""


# --- PostgreSQL: one trigger per statement, over its transition tables --------------------

PG_EVENTS = {
    # event: (function's rows: before and after, the REFERENCING clause)
    "insert": (_rows("new_rows", 1), "NEW TABLE AS new_rows"),
    "update": (
        f"{_rows('old_rows', -1)} UNION ALL {_rows('new_rows', 1)}",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    ),
    "delete": (_rows("old_rows", -1), "OLD TABLE AS old_rows"),
}


def postgresql_install() -> list[str]:
    statements = []
    for event, (rows, referencing) in PG_EVENTS.items():
        function = f"{TABLE}_{event}"
        statements += [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {_fold(_per_place(rows))}; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {function} ON {VICTIMS}",
            f"CREATE TRIGGER {function} AFTER {event.upper()} ON {VICTIMS} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    return statements


def postgresql_uninstall() -> list[str]:
    out = []
    for event in PG_EVENTS:
        out += [
            f"DROP TRIGGER IF EXISTS {TABLE}_{event} ON {VICTIMS}",
            f"DROP FUNCTION IF EXISTS {TABLE}_{event}()",
        ]
    return out


# --- SQLite: one trigger per row (one writer at a time: no one else holds a row) ----------


def _sqlite_apply(row: str, sign: int) -> list[str]:
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


# An update moves a tally only when it changes the status or a place.
_MOVED = " OR ".join(
    f"NEW.{column} IS NOT OLD.{column}" for column in ("publication_status", *ROLES)
)
_UPDATE = f"AFTER UPDATE OF publication_status, {', '.join(ROLES)} ON {VICTIMS}"
SQLITE_TRIGGERS = {
    f"{TABLE}_insert": (
        f"AFTER INSERT ON {VICTIMS}",
        f"NEW.publication_status = '{PUBLISHED}'",
        _sqlite_apply("NEW", 1),
    ),
    f"{TABLE}_delete": (
        f"AFTER DELETE ON {VICTIMS}",
        f"OLD.publication_status = '{PUBLISHED}'",
        _sqlite_apply("OLD", -1),
    ),
    f"{TABLE}_update_old": (
        _UPDATE,
        f"OLD.publication_status = '{PUBLISHED}' AND ({_MOVED})",
        _sqlite_apply("OLD", -1),
    ),
    f"{TABLE}_update_new": (
        _UPDATE,
        f"NEW.publication_status = '{PUBLISHED}' AND ({_MOVED})",
        _sqlite_apply("NEW", 1),
    ),
}


def sqlite_install() -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name} {event} FOR EACH ROW WHEN {condition} BEGIN "
        + "; ".join(body)
        + "; END"
        for name, (event, condition, body) in SQLITE_TRIGGERS.items()
    ]


def sqlite_uninstall() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]


# --- Installing, counting anew, reading ------------------------------------------------------


def install(connection) -> None:
    """The triggers, on ``connection``'s database (PostgreSQL or SQLite)."""
    statements = postgresql_install() if connection.vendor == "postgresql" else sqlite_install()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(connection) -> None:
    statements = postgresql_uninstall() if connection.vendor == "postgresql" else sqlite_uninstall()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def installed(connection) -> bool:
    """Whether every trigger is there."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE %s",
                [VICTIMS, f"{TABLE}%"],
            )
            return cursor.fetchone()[0] == len(PG_EVENTS)
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
            "AND name LIKE %s",
            [VICTIMS, f"{TABLE}%"],
        )
        return cursor.fetchone()[0] == len(SQLITE_TRIGGERS)


def ensure(sender=None, using: str = "default", **kwargs) -> None:
    """After every ``migrate`` (and ``flush``): the triggers are put back where they had
    gone (SQLite drops a table's triggers when Django remakes the table to alter it) and
    the tallies counted anew then. On SQLite they are always counted anew: ``flush``
    empties the tables one by one with DELETE, which fires the triggers, in no set order
    (the tallies' table emptied before the victims' would be left below zero)."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    tables = set(connection.introspection.table_names())
    if TABLE not in tables or VICTIMS not in tables:
        return  # migrated to before the tallies
    missing = not installed(connection)
    if missing:
        install(connection)
    if missing or connection.vendor == "sqlite":
        recount(using)


def fresh_count_sql() -> str:
    """SQL: every place's tally counted from the published victims."""
    return _per_place(_rows(VICTIMS, 1))


def recount(using: str = "default") -> None:
    """Counts every tally anew from the published victims, in one statement: the rows
    another transaction adds meanwhile (not in this statement's snapshot) stay, and are
    not counted twice."""
    connection = connections[using]
    fresh = fresh_count_sql()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH gone AS (DELETE FROM {TABLE} RETURNING 1) "
                f"INSERT INTO {TABLE} (place_id, held, killed, buried, victims) {fresh}"
            )
        else:  # one writer: the two statements see the same rows
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(f"INSERT INTO {TABLE} (place_id, held, killed, buried, victims) {fresh}")


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
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(fresh_count_sql())
        return {place: Tally(h, k, b, v) for place, h, k, b, v in cursor.fetchall()}


def differences(using: str = "default") -> dict[int, tuple[Tally | None, Tally | None]]:
    """The places whose kept tally is not what a fresh count gives: id -> (kept,
    counted). Empty when the tallies are exact."""
    kept, fresh = place_tallies(using), counted(using)
    return {
        place: (kept.get(place), fresh.get(place))
        for place in set(kept) | set(fresh)
        if kept.get(place) != fresh.get(place)
    }
