"""What the public form of every record is made of: a partial date as ISO text at its
precision, aliases one a line, and the columns every person (victim or perpetrator)
has. The apps' serialisers (``victims.serializers``, ``perpetrators.serializers``) build
on these; the API, the open-data downloads and the dossiers use the apps' serialisers.

A serialiser reads a *row*: a mapping of a record's columns, as ``values(*COLUMNS)``
gives it (the API and the downloads read a million rows without making instances), or
``columns(record, COLUMNS)`` of an instance (the dossiers)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache

from archive.core.dates import DAY, PartialDate

#: The columns every person's public record is made from.
PERSON_COLUMNS = ("ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year")


def published(record):
    """``record`` if the public may see it, else None: a published record links publicly
    only to published records (a victim's draft event is simply not shown)."""
    return record if record is not None and record.is_published else None


def columns(record, names: Iterable[str]) -> dict:
    """An instance's columns as the row a serialiser reads."""
    return {name: getattr(record, name) for name in names}


@lru_cache(maxsize=1 << 16)  # a page, a download: the same dates again and again
def iso(value: date | None, precision: str | None) -> str | None:
    """A partial date as ISO text at its precision (``1988``, ``1988-08``,
    ``1988-08-19``), or None."""
    if value is None:
        return None
    partial = PartialDate.from_parts(value, precision or DAY)
    return partial.iso() if partial else None


def split_aliases(text: str | None) -> list[str]:
    """The aliases of a record, entered one a line, without blank lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def person_record(row: Mapping, *, url: str | None = None) -> dict:
    """The public columns every person has, in their published order; with ``url``
    (the top floor knows the address), the record's address after its names."""
    record = {"ref": row["ref"], "name_latin": row["name_latin"], "name_fa": row["name_fa"]}
    if url is not None:
        record["url"] = url
    record.update(
        aliases=split_aliases(row["aliases"]),
        father_name=row["father_name"],
        gender=row["gender"],
        birth_year=row["birth_year"],
    )
    return record
