"""Reads whose SQL never changes but for one value (a record's page, read by its ref):
the ORM compiles the queryset once per process and database, and each request sends
that SQL with its own value; on PostgreSQL prepared once per connection
(``archive.core.prepared``), so that it is planned once too.

Compiling the victim page's read (44 columns and two ``EXISTS``) cost 0.9-1.4 ms of
Python on every page at a million victims, more than PostgreSQL took to answer it
(docs/benchmarks.md, issue 26, twenty-second session). The queryset is still built by
the code that always built it (``published()`` and all), so every rule it carries keeps
its one home; only the SQL text it compiles to is kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connections, router
from django.db.models import Model, QuerySet

from archive.core.prepared import forget_prepared, prepared

# Stands for the value while the queryset is compiled; found again among the parameters.
# A number for a read on a number (an id): the field's own checks would refuse the text.
TEXT_MARK = "archive-compiled-read-value-0f3c9b"
NUMBER_MARK = -7_305_918_264_111


class CompiledRead:
    """``build(value)`` is a queryset of ``model`` filtered on ``value`` in one place,
    without ``select_related`` (``QuerySet.raw`` reads the model's own columns by name,
    and annotations as attributes). ``all(value)`` gives what ``list(build(value))``
    would."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet], *, mark=TEXT_MARK):
        self.model = model
        self.build = build
        self.mark = mark
        self._sql: dict[str, tuple[str, tuple, int]] = {}

    def _compiled(self, alias: str) -> tuple[str, tuple, int]:
        found = self._sql.get(alias)
        if found is None:
            queryset = self.build(self.mark)
            if queryset.query.select_related:
                raise ValueError("a compiled read cannot follow relations (select_related)")
            sql, params = queryset.query.get_compiler(using=alias).as_sql()
            at = [i for i, param in enumerate(params) if param == self.mark]
            if len(at) != 1:
                raise ValueError("the value must be one parameter of the read's SQL")
            found = self._sql[alias] = (sql, tuple(params), at[0])
        return found

    def all(self, value) -> list[Model]:
        alias = router.db_for_read(self.model)
        sql, params, at = self._compiled(alias)
        values = list(params)
        values[at] = value
        connection = connections[alias]
        manager = self.model._default_manager.db_manager(alias)
        # Named after the table (cut short: PostgreSQL truncates a name past 63 bytes,
        # and the statement's digest, which follows, must survive whole).
        prefix = "archive_read_" + self.model._meta.db_table[:24]
        call = prepared(connection, sql, prefix=prefix, keyed=True)
        try:
            return list(manager.raw(call or sql, values))
        except DatabaseError:
            # A statement the server connection no longer holds (a pooler that switched
            # it: docs/deploy.md, SEARCH_PREPARED): forgotten, and the read made plainly,
            # as the data's version does (``archive.core.versions.site_version``).
            if call is None or connection.in_atomic_block:
                raise
            forget_prepared(connection)
            return list(manager.raw(sql, values))
