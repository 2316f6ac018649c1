"""The people search's answer (``Ranked``): what ``<QuerySet>.search(q)`` returns to the
lists, the API and the admin, read a page at a time in rank order.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import FloatField
from django.db.models.expressions import RawSQL

from archive.core import names
from archive.core.search.ranking import MAX_RESULTS, find


def in_rank_order(queryset, ranked: list[tuple[int, float]]):
    """The rows of ``queryset`` for ``ranked`` (from ``rank``), in that order, each with
    its ``search_score`` and ``search_exact`` (``names.is_exact_score``: what a list labels
    "same spelling"), attributes or keys of a ``values()`` row: one query that reads only
    these rows."""
    scores = dict(ranked)
    rows = list(queryset.filter(pk__in=list(scores)).order_by())
    if rows and isinstance(rows[0], dict):
        pk_name = "pk" if "pk" in rows[0] else "id"
        for row in rows:
            row["search_score"] = scores[row[pk_name]]
            row["search_exact"] = names.is_exact_score(row["search_score"])
        rows.sort(key=lambda row: (-row["search_score"], row[pk_name]))
    else:
        for row in rows:
            row.search_score = scores[row.pk]
            row.search_exact = names.is_exact_score(row.search_score)
        rows.sort(key=lambda row: (-row.search_score, row.pk))
    return rows


class Ranked:
    """The people search's answer for a query (``<QuerySet>.search(q)``, the one way in
    for the lists, the API and the admin): the matches in ``queryset``, best first.

    The ranking is a bounded list of (pk, score), found once: its length is the count,
    and a slice reads only the rows it names, in rank order, each with ``search_score``
    (1.0: the same spelling; lower: similar) and ``search_exact``."""

    def __init__(self, queryset, ranking, prober=None, bearers=None, fields=()):
        self.base = queryset
        self._ranking = ranking  # None until the names' bearers are read (``bearers``)
        self.prober = prober  # the probes' SQL, which can read a page (``Prober.page``)
        self.bearers = bearers
        self.fields = fields

    @property
    def ranking(self) -> list[tuple[int, float]]:
        if self._ranking is None:
            self._ranking = self.bearers.resolve(self.fields)
        return self._ranking

    @property
    def queryset(self):
        return self.base.values(*self.fields) if self.fields else self.base

    def __len__(self) -> int:
        return len(self.ranking)

    def count(self) -> int:
        return len(self.ranking)

    def exists(self) -> bool:
        return bool(self.ranking)

    def values(self, *fields: str) -> Ranked:
        """The same matches read as ``values()`` rows (the API's columns)."""
        return Ranked(self.base, self._ranking, self.prober, self.bearers, fields)

    def _read(self, ranked: list[tuple[int, float]]) -> list:
        if self.prober is not None and self.fields:
            read = self.bearers.read(self.fields) if self.bearers is not None else None
            rows = self.prober.page(self.fields, ranked, read)
            if rows is not None:
                return rows
        return in_rank_order(self.queryset, ranked)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._read(self.ranking[key])
        return self._read([self.ranking[key]])[0]

    def __iter__(self):
        return iter(self[:])

    def as_queryset(self):
        """The matches as a queryset annotated with ``search_score`` and ordered by it,
        for what needs one (the admin's change list filters and pages it itself)."""
        if not self.ranking:
            return self.queryset.none()
        queryset = self.queryset
        # One CASE over the primary key, as SQL text: Django's Case(When(...)) would
        # build and compile a hundred expression objects for every search.
        table = connections[queryset.db].ops.quote_name(queryset.model._meta.db_table)
        whens = " ".join(["WHEN %s THEN %s"] * len(self.ranking))
        params = [value for pk, score in self.ranking for value in (pk, score)]
        case = f"CASE {table}.id {whens} ELSE 0.0 END"  # placeholders only: values in params
        score_sql = RawSQL(case, params, output_field=FloatField())  # noqa: S611
        return (
            queryset.filter(pk__in=[pk for pk, _ in self.ranking])
            .annotate(search_score=score_sql)
            .order_by("-search_score", "pk")
        )


def search(queryset, q: str) -> Ranked:
    """The matches for ``q`` in ``queryset``, best first: what the searchable models'
    ``QuerySet.search`` returns (call that; this is its body)."""
    ranking, prober, bearers = find(queryset, q, MAX_RESULTS)
    return Ranked(queryset, ranking, prober, bearers)


def admin_search_results(queryset, search_term, default, request):
    """The admin's search box: the people search, falling back to the admin's own
    lookups (ref, exact fields) when the people search finds nothing."""
    if not search_term:
        return default(request, queryset, search_term)
    found = queryset.search(search_term)
    if found.exists():
        return found.as_queryset(), False
    return default(request, queryset, search_term)
