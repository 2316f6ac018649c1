"""Records that many pages name, kept in a worker for one data version: read by id as
pages ask for them, one query per model for those not read yet, and dropped when the
data's version moves (``archive.core.versions.for_this_version``).

A victim's page names places, an event, an organisation and a commission; a page's
citations name their sources. Joined into the page's own query, they cost more to
compile (Python) and plan (PostgreSQL) than the query took to run; read whole at each
new version, a long table (3,000 places: 35 ms) would be read again after every edit.
Kept as asked for, a worker reads each once per version, and never those no page it
served names.
"""

from __future__ import annotations

from collections.abc import Iterable


class KeptRecords:
    """``follow``: {model: the relations to read with its records (``select_related``)}."""

    def __init__(self, follow: dict[type, tuple[str, ...]] | None = None):
        self.follow = follow or {}
        self.kept: dict[type, dict] = {}

    def of(self, records: Iterable, fields: tuple[str, ...]) -> list[dict]:
        """For each of ``records``, {field: the record it names} for those of its
        foreign keys ``fields`` that it fills (a record deleted since is left out)."""
        records = list(records)
        wanted: dict[type, set] = {}
        for record in records:
            meta = type(record)._meta
            for field in fields:
                pk = getattr(record, f"{field}_id")
                if pk is not None:
                    wanted.setdefault(meta.get_field(field).related_model, set()).add(pk)
        for model, pks in wanted.items():
            kept = self.kept.setdefault(model, {})
            missing = pks - kept.keys()
            if missing:
                found = model._default_manager.all()
                if model in self.follow:
                    found = found.select_related(*self.follow[model])
                kept.update(found.in_bulk(missing))
        out = []
        for record in records:
            meta = type(record)._meta
            named = {}
            for field in fields:
                pk = getattr(record, f"{field}_id")
                found = self.kept.get(meta.get_field(field).related_model, {}).get(pk)
                if found is not None:
                    named[field] = found
            out.append(named)
        return out

    def attach(self, records: Iterable, fields: tuple[str, ...]) -> None:
        """Sets each of ``records``' ``fields`` to the record it names, so that reading
        it asks nothing more (one deleted since is read, and not found, as before)."""
        records = list(records)
        for record, named in zip(records, self.of(records, fields), strict=True):
            for field, found in named.items():
                setattr(record, field, found)
