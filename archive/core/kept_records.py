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

    def attach(self, records: Iterable, fields: tuple[str, ...]) -> None:
        """Sets the foreign keys ``fields`` of ``records`` (of one model) to the records
        they name, so that reading them asks nothing more: those not kept yet read in one
        query per model (a record deleted since is left to be read, and not found, as
        before)."""
        records = list(records)
        if not records:
            return
        meta = type(records[0])._meta
        models = {field: meta.get_field(field).related_model for field in fields}
        wanted: dict[type, set] = {}
        for field, model in models.items():
            wanted.setdefault(model, set()).update(getattr(r, f"{field}_id") for r in records)
        for model, pks in wanted.items():
            kept = self.kept.setdefault(model, {})
            missing = pks - kept.keys() - {None}
            if missing:
                found = model._default_manager.all()
                if model in self.follow:
                    found = found.select_related(*self.follow[model])
                kept.update(found.in_bulk(missing))
        for record in records:
            for field, model in models.items():
                found = self.kept[model].get(getattr(record, f"{field}_id"))
                if found is not None:
                    setattr(record, field, found)
