"""Bulk writes with history: multi-row INSERTs and UPDATEs and their history rows, since
bulk writes send no signals (django-simple-history records nothing by itself).

On PostgreSQL the rows go through COPY into a staging table (``importing.staging``) and
from there into the records' table and the history table with one set-based statement
each; SQLite takes multi-row INSERTs."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

from django.db import connections, models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

BATCH_SIZE = 2000


# --- Bulk writes ----------------------------------------------------------------------------
#
# Django's bulk_create compiles every value of every row through the ORM's SQL compiler,
# and django-simple-history builds a model instance per historical row: together about
# half the time of an import. For new records the command writes the same rows with one
# COPY and INSERT ... SELECT on PostgreSQL (``staging``), a multi-row INSERT ... RETURNING
# per few hundred records elsewhere (psycopg2's execute_values when COPY cannot take a
# value), converting only values that are not already plain
# (dates, times, files) through the field's own get_db_prep_save. What is written is what
# bulk_create_with_history would write; other databases use it.

_PASS_THROUGH = (
    models.CharField, models.TextField, models.IntegerField, models.BooleanField,
    models.ForeignKey, models.AutoField, models.BigAutoField,
)  # fmt: skip


def _row_builder(fields, connection):
    """A function from a record to its row of database values: plain values are read in
    one C-level call; only dates, times and files go through get_db_prep_save."""
    from operator import attrgetter

    get = attrgetter(*[f.attname for f in fields]) if len(fields) > 1 else None
    special = [
        (i, f)
        for i, f in enumerate(fields)
        if not isinstance(f, _PASS_THROUGH) or isinstance(f, models.FileField)
    ]

    # A batch's rows share their timestamps (one ``when`` per import): each distinct
    # value is converted once.
    converted: dict = {}

    def build(obj):
        row = list(get(obj)) if get else [getattr(obj, fields[0].attname)]
        for i, f in special:
            value = row[i]
            if value is not None:
                key = (i, value) if isinstance(value, datetime) else None
                if key is None:
                    row[i] = f.get_db_prep_save(value, connection)
                elif key in converted:
                    row[i] = converted[key]
                else:
                    row[i] = converted[key] = f.get_db_prep_save(value, connection)
        return row

    return build


def _insert(connection, table: str, columns: list[str], rows: list[list], returning: str):
    qn = connection.ops.quote_name
    # Table and column names come from model metadata, never from the file.
    head = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES "  # noqa: S608
    tail = f" RETURNING {qn(returning)}" if returning else ""
    ids = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            result = execute_values(
                cursor.cursor, head + "%s" + tail, rows, page_size=500, fetch=bool(returning)
            )
            ids = [r[0] for r in result or []]
        else:
            per = max(1, min(500, 32000 // max(1, len(columns))))
            one = "(" + ", ".join(["%s"] * len(columns)) + ")"
            for start in range(0, len(rows), per):
                chunk = rows[start : start + per]
                cursor.execute(
                    head + ", ".join([one] * len(chunk)) + tail,
                    [v for row in chunk for v in row],
                )
                if returning:
                    ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _create(objs: list, model, connection, when, with_pk: bool) -> None:
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    for obj in objs:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, when)
    build = _row_builder(fields, connection)
    rows = [build(obj) for obj in objs]
    ids = _insert(
        connection, model._meta.db_table, [f.column for f in fields], rows, model._meta.pk.column
    )
    if len(ids) != len(objs):  # pragma: no cover - a database that would not say
        raise RuntimeError("the database did not return the new records' ids")
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk


def create_with_history(
    objs: list, model, *, db: str, user, reason: str, when, writer=None
) -> None:
    """Insert new records and their "created" history entries, in bulk. ``writer``
    (PostgreSQL, ``importing.writer``): the COPY and the INSERTs are recorded for it
    to run, in order; the ids are known at once (taken from the sequence beforehand)."""
    connection = connections[db]
    if connection.vendor not in {"postgresql", "sqlite"}:
        bulk_create_with_history(
            objs, model, batch_size=BATCH_SIZE, default_user=user,
            default_change_reason=reason, default_date=when,
        )  # fmt: skip
        return
    history = _History(model, connection, user=user, reason=reason, when=when, kind="+")
    for with_pk in (True, False):
        group = [obj for obj in objs if (obj.pk is not None) == with_pk]
        if not group:
            continue
        if connection.vendor == "postgresql" and _copy_create(
            group, model, connection, when, with_pk, history, writer
        ):
            continue
        _create(group, model, connection, when, with_pk)
        history.insert(group)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db


def update_with_history(
    objs: list, model, fields: list[str], *, db: str, user, reason: str, when, writer=None
) -> None:
    """Write changed records (one prepared UPDATE, executed in batches) and their
    "changed" history entries. Django's bulk_update builds a CASE per field and row, which
    costs more than the rest of an import together."""
    connection = connections[db]
    if connection.vendor not in {"postgresql", "sqlite"}:
        bulk_update_with_history(
            objs, model, fields, batch_size=500, default_user=user,
            default_change_reason=reason, default_date=when,
        )  # fmt: skip
        return
    history = _History(model, connection, user=user, reason=reason, when=when, kind="~")
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    if connection.vendor == "postgresql" and _copy_update(
        objs, model, columns, connection, history, writer
    ):
        return
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(f.column)} = %s" for f in columns)
    # Table and column names come from model metadata, never from the file.
    sql = f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s"  # noqa: S608
    build = _row_builder([*columns, meta.pk], connection)
    rows = [build(obj) for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    history.insert(objs)


class _History:
    """The history rows of one bulk write: the tracked fields of each record, then when,
    why, what ("+" created, "~" changed) and who."""

    def __init__(self, model, connection, *, user, reason, when, kind):
        self.connection = connection
        history = getattr(model, "history", None)
        self.historical = history.model if history is not None else None
        if self.historical is None:
            return
        self.tracked = list(self.historical.tracked_fields)
        extra = {
            "history_date": when,
            "history_change_reason": reason,
            "history_type": kind,
            "history_user": getattr(user, "pk", None),
        }
        get = self.historical._meta.get_field
        self.extra_fields = [get(name) for name in extra]
        # A reason longer than its column (a long file name) is cut, not refused: the
        # same on every database and path (a CAST to varchar(n) would cut it silently).
        self.extra_values = [
            f.get_db_prep_save(v[: f.max_length] if isinstance(v, str) else v, connection)
            if v is not None
            else None
            for f, v in zip(self.extra_fields, extra.values(), strict=True)
        ]
        self.columns = [get(f.name).column for f in self.tracked] + [
            f.column for f in self.extra_fields
        ]

    def insert(self, objs) -> None:
        """From the records in memory (multi-row INSERT)."""
        if self.historical is None:
            return
        build = _row_builder(self.tracked, self.connection)
        rows = [build(obj) + self.extra_values for obj in objs]
        _insert(self.connection, self.historical._meta.db_table, self.columns, rows, "")

    def insert_select(
        self, cursor, source: str, where: str = "", *, before: str = "", params=()
    ) -> None:
        """From the rows the server holds: ``source`` (a table expression whose columns
        carry the model's column names, aliased ``t``); ``before``: a ``WITH`` clause
        that ``source`` may name, with its ``params``."""
        if self.historical is None:
            return
        qn = self.connection.ops.quote_name
        casts = ", ".join(f"CAST(%s AS {f.db_type(self.connection)})" for f in self.extra_fields)
        picked = ", ".join(f"t.{qn(f.column)}" for f in self.tracked)
        cursor.execute(
            f"{before}INSERT INTO {qn(self.historical._meta.db_table)} "  # noqa: S608
            f"({', '.join(qn(c) for c in self.columns)}) SELECT {picked}, {casts} "
            f"FROM {source} {where}",
            [*params, *self.extra_values],
        )


def _copy_create(
    objs, model, connection, when, with_pk: bool, history: _History, writer=None
) -> bool:
    """New records through a staging table (``staging``); False when COPY cannot take
    them (nothing was written then)."""
    from archive.core.importing.staging import CannotCopy, copy_text, new_ids, stage

    meta = model._meta
    fields = list(meta.concrete_fields)
    for obj in objs:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, when)
    build = _row_builder(fields, connection)
    # In a transaction of its own when the caller has none: the staging table lives
    # until the transaction ends. (A writer runs in the caller's transaction.)
    with _writing(connection, writer) as (cursor, out):
        ids = None
        if not with_pk:
            ids = writer.take_ids(meta.db_table, len(objs)) if writer is not None else None
            if ids is None:
                ids = new_ids(cursor, meta.db_table, meta.pk.column, len(objs))
            if ids is None:
                return False
            for obj, pk in zip(objs, ids, strict=True):
                obj.pk = pk
        try:
            text = copy_text([build(obj) for obj in objs])
        except CannotCopy:
            if ids is not None:
                for obj in objs:
                    obj.pk = None
            return False
        qn = connection.ops.quote_name
        columns = [f.column for f in fields]
        staged = stage(out, qn, meta.db_table, columns, text)
        cols = ", ".join(qn(c) for c in columns)
        out.execute(
            f"INSERT INTO {qn(meta.db_table)} ({cols}) SELECT {cols} FROM {staged}"  # noqa: S608
        )
        history.insert_select(out, f"{staged} AS t")
    return True


def create_rows_with_history(
    model,
    shared: dict,
    varying: tuple[str, ...],
    rows: list[tuple],
    *,
    db: str,
    user,
    reason: str,
    when,
    writer=None,
) -> bool:
    """PostgreSQL: insert new records given as plain rows, ``varying`` (attribute
    names) one tuple per record and ``shared`` (attribute -> value) the same for all,
    and their "created" history entries. Only the varying columns travel (COPY into a
    staging table); the server adds the shared ones and the ids, and writes the history
    rows from the rows it inserted (``INSERT ... RETURNING`` in one statement). False
    (nothing written) on other databases or when COPY cannot take a value: the caller
    then writes the same records through ``create_with_history``."""
    from archive.core.importing.staging import CannotCopy, copy_text, stage

    connection = connections[db]
    if connection.vendor != "postgresql":
        return False
    if not rows:
        return True
    try:
        text = copy_text(rows)
    except CannotCopy:
        return False
    meta = model._meta
    qn = connection.ops.quote_name
    by_name = {f.attname: f for f in meta.concrete_fields}
    moving = [by_name[name] for name in varying]
    fixed = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in varying]
    values = []
    for f in fixed:
        value = shared[f.attname]
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = when
        values.append(None if value is None else f.get_db_prep_save(value, connection))
    history = _History(model, connection, user=user, reason=reason, when=when, kind="+")
    columns = ", ".join(qn(f.column) for f in [*moving, *fixed])
    picked = ", ".join(
        [f"s.{qn(f.column)}" for f in moving]
        + [f"CAST(%s AS {f.db_type(connection)})" for f in fixed]
    )
    with _writing(connection, writer) as (_cursor, out):
        staged = stage(out, qn, meta.db_table, [f.column for f in moving], text)
        # Table and column names come from model metadata, never from the file.
        insert = (
            f"INSERT INTO {qn(meta.db_table)} ({columns}) "  # noqa: S608
            f"SELECT {picked} FROM {staged} AS s RETURNING *"
        )
        if history.historical is None:
            out.execute(insert, values)
        else:
            history.insert_select(
                out, "created AS t", before=f"WITH created AS ({insert}) ", params=values
            )
    return True


def _copy_update(objs, model, columns, connection, history: _History, writer=None) -> bool:
    """Changed records through a staging table: one ``UPDATE ... FROM``, then their
    history rows read back from the table; False when COPY cannot take them."""
    from archive.core.importing.staging import CannotCopy, copy_text, stage

    meta = model._meta
    build = _row_builder([meta.pk, *columns], connection)
    try:
        text = copy_text([build(obj) for obj in objs])
    except CannotCopy:
        return False
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    with _writing(connection, writer) as (_cursor, out):
        staged = stage(out, qn, meta.db_table, [meta.pk.column, *[f.column for f in columns]], text)
        sets = ", ".join(f"{qn(f.column)} = s.{qn(f.column)}" for f in columns)
        out.execute(
            f"UPDATE {table} SET {sets} FROM {staged} AS s WHERE {table}.{pk} = s.{pk}"  # noqa: S608
        )
        history.insert_select(out, f"{table} AS t JOIN {staged} AS s ON s.{pk} = t.{pk}")
    return True


@contextmanager
def _writing(connection, writer):
    """A cursor for the queries whose answer is needed now, and where the writes go:
    the same cursor in a transaction (a savepoint in the caller's), or the ``writer``,
    which runs them later in the caller's transaction (``importing.writer``)."""
    if writer is not None:
        with connection.cursor() as cursor:
            yield cursor, writer
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        yield cursor, cursor


def _reset_sequence(model, db) -> None:
    """After rows were created with the ids a file gave, the next id must follow them."""
    from django.core.management.color import no_style

    connection = connections[db]
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
