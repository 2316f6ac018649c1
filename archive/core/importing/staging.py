"""PostgreSQL: an import's rows through COPY into a staging table, then into the records'
table and its history table with one set-based statement each.

A multi-row INSERT makes the client quote every value (psycopg2's ``mogrify``: about a
third of an import's Python time) and the server parse it; COPY's text format is a tab
between values and a line per row. The staging table (temporary, dropped at commit) lets
the history rows be copied from the same rows by the server, instead of being sent
again, and lets changed records be written with one ``UPDATE ... FROM``.

New records get their ids from the table's own sequence before the COPY (``nextval`` in
one query), so that the caller knows them without ``RETURNING`` (which COPY has not).

Values are written by type; a value of a type not listed (a JSON document, an array)
raises ``CannotCopy`` before anything is sent, and the caller takes the multi-row
INSERT instead.

What COPY does not save: the records' own indexes. The three GIN name indexes were most
of the server's work for a new victim while each row entered them one entry at a time
(``fastupdate = off``: 0.45-0.6 ms a row of 0.7-0.8 for the victims' INSERT at 123,000
people). They now take a statement's rows through their pending list, which a trigger
merges in bulk before the statement ends (``migration_ops.NameIndexesMergedEachStatement``):
0.33 ms a row for the same INSERT, and no list left standing for a search to read.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from archive.core.importing.writer import Writer


class CannotCopy(Exception):
    """A value this module does not write in COPY's text format."""


# COPY's text format: backslash, tab, newline and carriage return are escaped; \N is NULL.
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_PLAIN = (float, Decimal, UUID)


def _text(value) -> str:
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPE)
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    # Subclasses too: a TextChoices member is a str, an IntegerChoices one an int.
    if isinstance(value, str):
        return str.translate(value, _ESCAPE)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, _PLAIN):
        return str(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    raise CannotCopy(type(value).__name__)


def copy_text(rows: list[list]) -> str:
    """The rows in COPY's text format (raises ``CannotCopy``)."""
    # Text and NULL, most of an import's values, without a call each.
    escape, text = _ESCAPE, _text
    return "".join(
        "\t".join(
            [
                v.translate(escape) if type(v) is str else "\\N" if v is None else text(v)
                for v in row
            ]
        )
        + "\n"
        for row in rows
    )


def _stage_name(table: str, columns: list[str]) -> str:
    # One staging table per target and column set, reused by every batch of the
    # transaction (emptied before each); PostgreSQL names are at most 63 bytes.
    digest = hashlib.blake2s(" ".join(columns).encode(), digest_size=4).hexdigest()
    return f"import_stage_{table[:40]}_{digest}"


def stage(cursor, qn, table: str, columns: list[str], text: str) -> str:
    """COPY ``text`` (rows of ``columns``, from ``copy_text``) into a temporary table with
    the types of ``table``'s columns; returns the staging table's quoted name. ``cursor``:
    a Django cursor, or a ``writer.Writer`` that records the statements."""
    name = qn(_stage_name(table, columns))
    cols = ", ".join(qn(c) for c in columns)
    # Names come from model metadata, never from the file.
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {cols} FROM {qn(table)} WITH NO DATA"
    )
    cursor.execute(f"TRUNCATE {name}")
    sql = f"COPY {name} ({cols}) FROM STDIN"
    if isinstance(cursor, Writer):  # run later, in order
        cursor.copy(sql, text)
        return name
    raw = cursor.cursor
    if hasattr(raw, "copy_expert"):  # psycopg2
        raw.copy_expert(sql, io.StringIO(text))
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(text)
    return name


def new_ids(cursor, table: str, pk_column: str, count: int) -> list[int] | None:
    """``count`` ids from the table's sequence (None when its key has no sequence)."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk_column])
    sequence = cursor.fetchone()[0]
    if sequence is None:
        return None
    cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
    return [row[0] for row in cursor.fetchall()]
