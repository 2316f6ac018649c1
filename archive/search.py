"""People search: one function behind the public lists, the API and the admin.

Candidates come from an index over each person's ``name_keys`` (see ``archive.names``):
on PostgreSQL a pg_trgm GIN index queried with the indexable word-similarity operator;
on SQLite an FTS5 trigram table. The candidates are then ranked in Python by
``names.score`` on both databases, so that both rank alike.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Case, FloatField, Q, Value, When

from archive import names

MAX_QUERY_LENGTH = 200
CANDIDATES = 400  # re-ranked per query; the best of them are what a reader sees


def clean_query(q: str | None) -> str:
    """What we are willing to search for: printable text of a bounded length."""
    if not q:
        return ""
    q = "".join(ch for ch in str(q)[: MAX_QUERY_LENGTH * 2] if ch.isprintable() or ch == " ")
    return " ".join(q.split())[:MAX_QUERY_LENGTH]


def _postgres_candidates(queryset, key: str, limit: int) -> list[int]:
    from django.contrib.postgres.search import TrigramWordSimilarity

    tokens = [t for t in key.split() if len(t) >= 3] or key.split()
    condition = Q()
    for token in tokens:
        condition |= Q(name_keys__trigram_word_similar=token)
    return list(
        queryset.filter(condition)
        .annotate(_sim=TrigramWordSimilarity(key, "name_keys"))
        .order_by("-_sim", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _sqlite_candidates(queryset, key: str, limit: int) -> list[int]:
    table = queryset.model._meta.db_table
    grams = set()
    for token in key.split():
        padded = token if len(token) >= 3 else None
        if padded:
            grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    if not grams:
        return list(queryset.filter(name_keys__icontains=key).values_list("pk", flat=True)[:limit])
    match = " OR ".join('"' + g.replace('"', '""') + '"' for g in sorted(grams))
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s ORDER BY rank LIMIT %s",
            [match, limit * 5],
        )
        ids = [row[0] for row in cursor.fetchall()]
    # The FTS table holds every row; keep those the queryset allows (published, filters).
    allowed = set(queryset.filter(pk__in=ids).values_list("pk", flat=True))
    return [pk for pk in ids if pk in allowed][: limit * 5]


def rank(queryset, q: str, *, limit: int = CANDIDATES) -> list[tuple[int, float]]:
    """(pk, score) of the best matches for ``q`` in ``queryset``, best first."""
    q = clean_query(q)
    key = names.query_key(q) if q else ""
    if not key:
        return []
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        ids = _postgres_candidates(queryset, key, limit)
    else:
        ids = _sqlite_candidates(queryset, key, limit)
    if not ids:
        return []
    rows = queryset.model._default_manager.filter(pk__in=ids).values_list(
        "pk", "name_keys", "father_name"
    )
    scored = []
    for pk, keys, father in rows:
        father_keys = names.name_keys(father) if father else ""
        score = names.score(q, f"{keys} {father_keys}".strip())
        if score > 0:
            scored.append((pk, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


def search(queryset, q: str):
    """``queryset`` narrowed to people matching ``q``, best first, each annotated with
    ``search_score`` (1.0: the same spelling; lower: similar)."""
    ranked = rank(queryset, q)
    if not ranked:
        return queryset.none()
    whens = [When(pk=pk, then=Value(score)) for pk, score in ranked]
    return (
        queryset.filter(pk__in=[pk for pk, _ in ranked])
        .annotate(search_score=Case(*whens, default=Value(0.0), output_field=FloatField()))
        .order_by("-search_score", "pk")
    )


def admin_search_results(queryset, search_term, default, request):
    """The admin's search box: the people search, falling back to the admin's own
    lookups (ref, exact fields) when the people search finds nothing."""
    if not search_term:
        return default(request, queryset, search_term)
    found = search(queryset, search_term)
    if found.exists():
        return found, False
    return default(request, queryset, search_term)
