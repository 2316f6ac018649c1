"""Statements prepared once per database connection (PostgreSQL ``PREPARE``/``EXECUTE``).

Planning costs PostgreSQL more than running some of the statements every request makes:
a search's probes (0.5-2 ms of planning against 0.1-1.3 ms of work at a few hundred
thousand rows: the victims table has some twenty indexes the planner weighs each time),
and the data's version (``archive.core.versions.site_version``: a dozen ``MAX()``s, 0.7 ms
of planning for 0.1 of work, on every request). Such a statement is prepared the first
time a connection runs it and executed by name afterwards.

``settings.SEARCH_PREPARED = False`` turns it off (a pooler in transaction mode hands each
transaction any server connection, which may not hold the statement: docs/deploy.md).
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings

MAX_PREPARED = 200  # statements kept per connection (probe shapes x filter combinations)
GENERIC_PLAN = "SET LOCAL plan_cache_mode = force_generic_plan; "
_PLACEHOLDER = re.compile(r"%%|%s")
DUPLICATE_PREPARED = "42P05"  # duplicate_prepared_statement


def _numbered(sql: str) -> tuple[str, int]:
    """``sql`` with psycopg's ``%s`` placeholders as PostgreSQL's ``$1, $2, ...`` (and
    ``%%`` as ``%``), and how many there are."""
    count = 0

    def number(match) -> str:
        nonlocal count
        if match.group(0) == "%%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql), count


def prepared(
    connection, sql: str, *, prefix: str = "archive_search", keyed: bool = False
) -> str | None:
    """``EXECUTE <prefix>_<n>(%s, ...)`` for ``sql`` (with ``%s`` placeholders), prepared
    once on this connection; None when it cannot be prepared (then run ``sql`` as it is),
    on a database other than PostgreSQL, or when ``settings.SEARCH_PREPARED`` is off.

    ``keyed``: the name is made of the statement's text (``<prefix>_<digest>``), so that a
    server connection that already holds it (prepared before its registry here was lost)
    holds this very statement, and is used as it is.

    The ``PREPARE`` goes through the driver's own cursor, as Django's own set-up of a new
    connection does: it is not one of the request's statements, and is not counted as
    one (a test counting a page's queries would otherwise count it only when its
    connection is new)."""
    if not settings.SEARCH_PREPARED or connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    raw = connection.connection
    registry = getattr(connection, "_search_statements", None)
    if registry is None or registry[0] is not raw:  # a new connection: nothing prepared
        registry = connection._search_statements = (raw, {})
    statements = registry[1]
    if sql in statements:
        return statements[sql]
    numbered, count = _numbered(sql)
    if len(statements) >= MAX_PREPARED:
        with raw.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        statements.clear()
    if keyed:
        name = f"{prefix}_{hashlib.sha256(numbered.encode()).hexdigest()[:16]}"
    else:
        name = f"{prefix}_{len(statements)}"
    # Inside a transaction a failed PREPARE would abort it: a savepoint of its own.
    savepoint = connection.in_atomic_block
    try:
        with raw.cursor() as cursor:
            if savepoint:
                cursor.execute("SAVEPOINT archive_prepare")
            try:
                cursor.execute(f"PREPARE {name} AS {numbered}")
            except connection.Database.Error as error:
                if savepoint:
                    cursor.execute("ROLLBACK TO SAVEPOINT archive_prepare")
                if not (keyed and getattr(error, "pgcode", None) == DUPLICATE_PREPARED):
                    raise
            finally:
                if savepoint:
                    cursor.execute("RELEASE SAVEPOINT archive_prepare")
    except connection.Database.Error:
        statements[sql] = None  # e.g. a parameter whose type PostgreSQL cannot tell
        return None
    call = f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"
    statements[sql] = call
    return call


def forget_prepared(connection) -> None:
    """Forgets what this connection was thought to hold (the server no longer does):
    each statement is prepared anew when next asked for."""
    connection._search_statements = None
