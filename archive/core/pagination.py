"""Paging of public lists and the API that stays cheap at a million rows.

- Browsing (no search query) pages with a keyset: the next page is "rows after the last
  one shown" in an indexed order, so page 20,000 costs what page 1 costs, where an
  OFFSET would scan every row it skips. Links carry an opaque ``cursor``.
- A search (``q``) is ranked by the people search (the model's ``QuerySet.search``, the
  one way in), which returns a bounded set of the best matches; those are paged by
  number (``page``).
- Totals are counted once per filter combination and kept in the cache under a version
  that changes whenever a record of the model changes (``data_version``), so that no
  page view runs ``COUNT(*)`` over the whole table.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections
from django.db.models import F, IntegerField, Max

# Django's own row-value comparison (used for composite primary keys since 5.2): renders
# ``(a, b, id) > (%s, %s, %s)`` where the database supports it, so PostgreSQL walks the
# ordering's index from the cursor on; an OR expansion elsewhere.
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from archive.core.caching import fail_soft, kept
from archive.core.search import Ranked

COUNT_TIMEOUT = 6 * 3600


class BadCursor(ValueError):
    """A ``cursor`` that this site did not hand out (or for another ordering)."""


def data_version(*models) -> str:
    """A token that changes whenever a row of any of ``models`` is saved.

    ``max(updated_at)`` is one index lookup per model. Published records cannot be
    deleted (only withdrawn, which is a save), so every change to what the public sees
    moves it.
    """
    parts = []
    for model in models:
        latest = model._default_manager.aggregate(latest=Max("updated_at"))["latest"]
        parts.append(latest.isoformat() if latest else "0")
    return "|".join(parts)


def token(value) -> str:
    """A short token of ``value`` (its ``repr``): equal values, equal tokens. What the
    tokens of what a page shows are made of (``rows_version``, the kept counts'
    ``digest``, ``victims.shown``)."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:20]


def rows_version(queryset, *fields) -> str:
    """A token that changes whenever ``fields`` of a row of ``queryset`` change, a row is
    added or one is deleted: for the small tables that keep no time of change (places,
    organisations). One query over them."""
    return token(list(queryset.order_by("pk").values_list("pk", *fields)))


def cache_get(key):
    """The cache is a speed-up, never a condition of a page: a cache that cannot be read
    (its table not created yet, its server down) means computing again."""
    return fail_soft(cache.get, key, what=f"cache ({key.split(':', 1)[0]})")


def cache_set(key, value, timeout) -> None:
    fail_soft(cache.set, key, value, timeout, what=f"cache ({key.split(':', 1)[0]})")


def cache_key(prefix: str, *parts) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"{prefix}:{digest}"


def cached_count(queryset, *, version: str) -> int:
    """``queryset.count()``, computed once per distinct query and data version."""
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # nothing can match (``none()``, a private source's citations)
        return 0
    # One count per query for all workers; after a change, the previous count while one
    # worker counts again (the page that shows it is then kept by no cache).
    name = cache_key("count", queryset.model._meta.label, sql, params)
    return kept(name, version, queryset.count, timeout=COUNT_TIMEOUT)


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def encode_cursor(tag: str, direction: str, values) -> str:
    raw = json.dumps([tag, direction, [_plain(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, tag: str, size: int) -> tuple[str, list]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        got_tag, direction, values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise BadCursor(cursor) from exc
    if (
        got_tag != tag
        or direction not in ("n", "p")
        or not isinstance(values, list)
        or len(values) != size
        or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values)
        or any(isinstance(v, str) and "\x00" in v for v in values)
    ):
        raise BadCursor(cursor)
    return direction, values


def typed_cursor_values(queryset, ordering: tuple[str, ...], values: list) -> tuple:
    """The cursor's values as the ordering's fields hold them, or ``BadCursor``.

    A cursor is text anyone can forge: a word where an id goes, a number past what the
    column can hold, a lone surrogate. Each value must be what its field accepts (dates
    are parsed back from ISO), integers within the database's range for the column, text
    encodable as UTF-8; otherwise the database would refuse the query with a 500."""
    ops = connections[queryset.db].ops
    typed = []
    for name, value in zip(ordering, values, strict=True):
        annotation = queryset.query.annotations.get(name)
        field = (
            annotation.output_field
            if annotation is not None
            else queryset.model._meta.get_field(name)
        )
        try:
            converted = field.to_python(value)
        except ValidationError as exc:
            raise BadCursor(name) from exc
        if isinstance(field, IntegerField):
            low, high = ops.integer_field_range(field.get_internal_type())
            if (low is not None and converted < low) or (high is not None and converted > high):
                raise BadCursor(name)
        if isinstance(converted, str):
            try:
                converted.encode()
            except UnicodeEncodeError as exc:
                raise BadCursor(name) from exc
        typed.append(converted)
    return tuple(typed)


@dataclass
class ListPage:
    """One page of a list, with what its links need."""

    object_list: list
    count: int
    per_page: int
    next_params: dict | None = None
    previous_params: dict | None = None
    first_params: dict | None = None
    number: int = 1
    num_pages: int | None = None
    ranked: bool = False
    start_index: int | None = None
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_params or self.previous_params)


def keyset_page(queryset, *, ordering: tuple[str, ...], per_page: int, cursor: str | None,
                tag: str, values: tuple[str, ...] | None = None) -> ListPage:  # fmt: skip
    """A page of ``queryset`` in ``ordering`` (ascending fields, the last one unique)
    starting after (or, going back, ending before) the row the cursor names."""
    direction, after = ("n", None)
    if cursor:
        direction, raw = decode_cursor(cursor, tag, len(ordering))
        after = typed_cursor_values(queryset, ordering, raw)
    key = Tuple(*(F(name) for name in ordering))
    qs = queryset
    if after is not None:
        lookup = TupleGreaterThan if direction == "n" else TupleLessThan
        qs = qs.filter(lookup(key, after))
    order = ordering if direction == "n" else tuple(f"-{name}" for name in ordering)
    qs = qs.order_by(*order)
    if values is not None:
        qs = qs.values(*values, *ordering)
    rows = list(qs[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if direction == "p":
        rows.reverse()

    def key_of(obj):
        if isinstance(obj, dict):
            return [obj[name] for name in ordering]
        return [getattr(obj, name) for name in ordering]

    has_next = more if direction == "n" else True
    has_previous = (after is not None) if direction == "n" else more
    page = ListPage(object_list=rows, count=0, per_page=per_page)
    if rows and has_next:
        page.next_params = {"cursor": encode_cursor(tag, "n", key_of(rows[-1]))}
    if rows and has_previous:
        page.previous_params = {"cursor": encode_cursor(tag, "p", key_of(rows[0]))}
        page.first_params = {}
    return page


def number_page(*, count: int, per_page: int, page: str | None) -> ListPage:
    """Page ``page`` of ``count`` ranked rows, without its rows: an out-of-range number
    gives the last page, a malformed one the first."""
    num_pages = max(1, -(-count // per_page))
    try:
        number = min(max(int(page or 1), 1), num_pages)
    except (TypeError, ValueError):
        number = 1
    result = ListPage(
        object_list=[],
        count=count,
        per_page=per_page,
        number=number,
        num_pages=num_pages,
        ranked=True,
        start_index=(number - 1) * per_page + 1,
    )
    if number < num_pages:
        result.next_params = {"page": number + 1}
    if number > 1:
        result.previous_params = {"page": number - 1}
        result.first_params = {}
    return result


def ranked_page(found: Ranked, *, per_page: int, page: str | None,
                values: tuple[str, ...] | None = None) -> ListPage:  # fmt: skip
    """A numbered page of a search's ranked matches (``<QuerySet>.search(q)``): the
    ranking is bounded, so its length is the count and only this page's rows are read."""
    if values is not None:  # before the count: the rows can be read with the ranking
        found = found.values(*values)
    result = number_page(count=len(found), per_page=per_page, page=page)
    start = result.start_index - 1
    result.object_list = found[start : start + per_page]
    return result


def query_string(params, **changes) -> str:
    """The list's query string with paging replaced by ``changes`` (filters and ``q``
    kept); empty values dropped so links stay short."""
    query = params.copy()
    for name in ("cursor", "page"):
        query.pop(name, None)
    for name, value in changes.items():
        query[name] = value
    for name in [k for k, v in query.lists() if not any(str(x).strip() for x in v)]:
        query.pop(name)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def filter_params(params, filterset_class):
    """The request's parameters that ``filterset_class`` filters on, or None when there
    are none (an unbound filterset, which neither validates a form nor reads the
    choices of its select filters: a search or a plain page needs neither)."""
    names = filterset_class.base_filters
    if any(name in names for name in params):
        return params
    return None


def per_page_from(params, *, default: int, maximum: int) -> int:
    try:
        size = int(params.get("page_size", default))
    except (TypeError, ValueError):
        return default
    return min(max(size, 1), maximum)


def paginate(queryset, params, *, q: str, ordering: tuple[str, ...], tag: str, version: str,
             per_page: int, values: tuple[str, ...] | None = None,
             count: int | None = None) -> ListPage:  # fmt: skip
    """The page a list or the API shows: ranked and numbered for a search, keyset-paged
    in ``ordering`` for browsing. Raises ``BadCursor`` for a cursor we did not give.
    ``count``: how many rows ``queryset`` holds, where the caller knows it without
    counting (counts the database keeps)."""
    if q:
        return ranked_page(queryset.search(q), per_page=per_page, page=params.get("page"),
                           values=values)  # fmt: skip
    page = keyset_page(
        queryset,
        ordering=ordering,
        per_page=per_page,
        cursor=params.get("cursor"),
        tag=tag,
        values=values,
    )
    page.count = count if count is not None else cached_count(queryset, version=version)
    return page
