"""PostgreSQL settings changed for a block of statements and put back after it.

``set_config(name, value, true)`` inside a transaction (a savepoint within a caller's
own): the setting lasts to the block's end, where it is set back to what it was, so that
the caller's transaction goes on as it was; a failure's rollback puts it back too. On
other databases nothing is set.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def settings_for(connection, **values: str):
    """PostgreSQL's settings ``values`` (``jit="off"``) for the statements of the block."""
    if connection.vendor != "postgresql" or not values:
        yield
        return
    names = sorted(values)
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT "
                + ", ".join(["current_setting(%s), set_config(%s, %s, true)"] * len(names)),
                [p for name in names for p in (name, name, values[name])],
            )
            found = cursor.fetchone()
        before = dict(zip(names, found[::2], strict=True))
        yield
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
                [p for name in names for p in (name, before[name])],
            )
