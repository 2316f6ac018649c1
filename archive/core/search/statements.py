"""How a people search's probes are sent: each statement prepared once per connection and
run with its generic plan on PostgreSQL, the queryset's SQL compiled once per model
(``candidates_sql``), a probe's rows read through the name indexes alone (``Prober``),
and the page's rows read with the names' bearers.
"""

from __future__ import annotations

from contextlib import nullcontext, suppress

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import OperationalError, connections, transaction

from archive.core import names
from archive.core.prepared import GENERIC_PLAN, prepared
from archive.core.search.probes import FUZZY_THRESHOLD, postgres_condition, sqlite_condition
from archive.core.search_names import PUBLISHED, names_table

# --- Prepared statements (PostgreSQL) ----------------------------------------------------

# Each statement of a search is prepared once per connection (``archive.core.prepared``)
# and run with its generic plan, which the name indexes answer whatever the keys asked for.


_COLUMNS: dict[tuple, str | None] = {}
INTEGER_KEYS = ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField")


def _plain_columns(connection, model, fields: tuple[str, ...]) -> str | None:
    """The select list of ``values(*fields)`` when every field is a plain column of the
    model's own table, read as the database gives it; else None. Worked out once per
    model and fields."""
    key = (connection.vendor, model._meta.label, fields)
    if key in _COLUMNS:
        return _COLUMNS[key]
    meta = model._meta
    ops = connection.ops
    table = ops.quote_name(meta.db_table)
    own = {id(f) for f in meta.local_concrete_fields}
    columns = []
    for name in fields:
        try:
            field = meta.pk if name == "pk" else meta.get_field(name)
        except FieldDoesNotExist:
            columns = None
            break
        if (
            id(field) not in own
            or hasattr(field, "from_db_value")
            or ops.get_db_converters(field.get_col(meta.db_table))
        ):
            columns = None
            break
        columns.append(f"{table}.{ops.quote_name(field.column)}")
    _COLUMNS[key] = result = ", ".join(columns) if columns is not None else None
    return result


_NAMES: dict[tuple, bool] = {}


def has_names(connection, table: str) -> bool:
    """Whether ``table``'s distinct names are kept (``search_names``: PostgreSQL, once
    migrated), asked once per database."""
    if connection.vendor != "postgresql":
        return False
    key = (connection.alias, connection.settings_dict.get("NAME"), table)
    found = _NAMES.get(key)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [names_table(table)])
            found = _NAMES[key] = bool(cursor.fetchone()[0])
    return found


def _published_only(queryset) -> bool:
    """Whether ``queryset`` keeps only published rows (``.published()``: its filters
    hold ``publication_status = published`` on the model's own table, ANDed)."""
    where = queryset.query.where
    if where.connector != "AND" or where.negated:
        return False
    model = queryset.model._meta.concrete_model
    for child in where.children:
        target = getattr(getattr(child, "lhs", None), "target", None)
        if (
            getattr(child, "lookup_name", None) == "exact"
            and getattr(target, "name", None) == "publication_status"
            and target.model._meta.concrete_model is model
            and getattr(child.lhs, "alias", None) == queryset.query.base_table
            and child.rhs == PUBLISHED
        ):
            return True
    return False


_PLAIN_SQL: dict[tuple, tuple[str, tuple]] = {}


def _published_alone(queryset) -> bool:
    """Whether ``queryset`` is its model's published rows and nothing more (the public
    search's: ``Model.objects.published()``), whose SQL is the same every time."""
    query = queryset.query
    return (
        len(query.where.children) == 1
        and _published_only(queryset)
        and len(query.alias_map) == 1
        and not query.annotations
        and not query.extra
        and not query.extra_tables
        and not query.distinct
        and not query.combinator
        and not query.is_sliced
        and not query.select_for_update
    )


def candidates_sql(queryset) -> tuple[str | None, tuple]:
    """``SELECT pk, name_keys`` of ``queryset`` as SQL and parameters (None when its
    filters exclude every row). A public search's is compiled once per model and
    database: compiling it cost each search 0.4 ms of the worker's CPU."""
    plain = _published_alone(queryset)
    key = (queryset.db, queryset.model._meta.label)
    if plain and key in _PLAIN_SQL:
        return _PLAIN_SQL[key]
    values = queryset.order_by().values_list("pk", "name_keys")
    try:
        compiled = values.query.sql_with_params()
    except EmptyResultSet:  # the queryset's filters exclude every row
        return None, ()
    if plain:
        _PLAIN_SQL[key] = compiled
    return compiled


class Prober:
    """Reads what a probe finds among the rows of a queryset, one round trip a probe.

    The queryset is compiled once (``SELECT pk, name_keys FROM <table> WHERE <its
    filters>``); a probe takes the table's place as a subquery bounded by its LIMIT
    (``FROM (SELECT * FROM <table> WHERE <probe> LIMIT n) <table>``). The planner can
    answer it only from the name indexes, and the queryset's filters are tested on its
    few rows: no join back through the primary key (300 index lookups), no ORM
    compilation per probe. Given the filters beside a probe instead, the planner may walk
    the index on publication status and test every row (350 ms a probe at 20,000).

    On PostgreSQL the probe's settings (``SET LOCAL``) go in the same query string, so
    that they last for that statement's implicit transaction alone. Inside a
    transaction (a test, an admin action) they would last to its end: probing then runs
    in a savepoint that is rolled back afterwards, which only the settings notice.
    """

    def __init__(self, queryset):
        self.using = queryset.db
        self.connection = connections[self.using]
        self.postgres = self.connection.vendor == "postgresql"
        self.model = queryset.model
        self.table = queryset.model._meta.db_table
        self._savepoint = None  # set on entering, inside a transaction
        sql, self.params = candidates_sql(queryset)
        self.empty = sql is None
        self.quoted = self.connection.ops.quote_name(self.table)
        # PostgreSQL: the probes read the table of distinct names (``search_names``).
        self.names = names_table(self.table) if has_names(self.connection, self.table) else None
        # The names' published bearers are what a public search counts (and a name none
        # of them bears is none of its business); any other queryset counts every bearer.
        public = _published_only(queryset)
        self.bearers = "published" if public else "people"
        # The names' counts are the queryset's bearers: no filter but publication.
        where = queryset.query.where
        self.counted = not where.negated and len(where.children) == int(public)
        if sql is not None:
            self.head, found, self.tail = sql.partition(f" FROM {self.quoted}")
            if not found:  # values_list of two columns always reads FROM the table
                raise RuntimeError(f"unexpected query for {self.table}: {sql[:200]}")

    def __enter__(self):
        if self.connection.in_atomic_block:
            self._savepoint = transaction.atomic(using=self.using)
            self._savepoint.__enter__()
        return self

    def __exit__(self, *exc):
        if self._savepoint is not None:
            transaction.set_rollback(True, using=self.using)  # probes only read
            return self._savepoint.__exit__(*exc)
        return False

    def condition(self, probe: tuple[str, ...], mode: str | None) -> tuple[str, list, int]:
        if self.names:
            return postgres_condition(self.names, probe, mode)
        if self.postgres:
            return postgres_condition(self.table, probe, mode)
        return sqlite_condition(self.table, probe)

    def found(self, probes, *, timeout_ms: float = 0) -> list:
        """(probe, row, name_keys, people) of what each of ``probes`` finds: the names
        and their bearers where the table of names is kept, else (``rows``) people,
        one each."""
        if self.names is None:
            return [(i, pk, keys, 1) for i, pk, keys in self.rows(probes, timeout_ms=timeout_ms)]
        if self.empty or not probes:
            return []
        return self._rows(probes, timeout_ms=timeout_ms, names=True)

    def found_ahead(self, probes, following, fewer_than: int) -> tuple[list, list | None]:
        """``rows_ahead`` for ``found``: the following probes run when ``probes`` find
        fewer than ``fewer_than`` people."""
        if self.names is None:
            before, after = self.rows_ahead(probes, following, fewer_than)
            weigh = lambda rows: [(i, pk, keys, 1) for i, pk, keys in rows]  # noqa: E731
            return weigh(before), (None if after is None else weigh(after))
        if self.empty or fewer_than <= 0 or not following:
            return self.found(probes), None
        first, params = self._sql(probes, names=True)
        then, then_params = self._sql(following, offset=len(probes), names=True)
        sql = (
            f"WITH search_first AS MATERIALIZED ({first}) SELECT * FROM search_first "
            f"UNION ALL SELECT * FROM ({then}) search_then "
            "WHERE (SELECT coalesce(sum(people), 0) FROM search_first) < %s"
        )
        found = self._rows(None, sql=(sql, [*params, *then_params, fewer_than]), names=True)
        count = len(probes)
        before = [row for row in found if row[0] < count]
        after = [(i - count, *rest) for i, *rest in found if i >= count]
        return before, (after if sum(row[3] for row in before) < fewer_than else None)

    def rows(self, probes: list[tuple[str, list, int]], *, timeout_ms: float = 0) -> list:
        """(probe, pk, name_keys) of the rows each of ``probes`` (condition, params,
        limit) finds, at most its limit, ``probe`` being its place in ``probes``; on
        PostgreSQL in one statement (``UNION ALL``). With ``timeout_ms`` (PostgreSQL),
        none if the database takes longer than that."""
        if self.empty or not probes:
            return []
        return self._rows(probes, timeout_ms=timeout_ms)

    def rows_ahead(self, probes, following, fewer_than: int) -> tuple[list, list | None]:
        """``rows(probes)``, and in the same statement ``rows(following)`` if ``probes``
        find fewer than ``fewer_than`` rows (else None: PostgreSQL does not run them).
        For the step after the strong one, which the stopping rules (``_stop``) cannot
        skip when the strong step found only a few rows: its round trip saved."""
        if self.empty or not self.postgres or fewer_than <= 0 or not following:
            return self.rows(probes), None
        first, params = self._sql(probes)
        then, then_params = self._sql(following, offset=len(probes))
        sql = (
            f"WITH search_first AS MATERIALIZED ({first}) SELECT * FROM search_first "
            f"UNION ALL SELECT * FROM ({then}) search_then "
            "WHERE (SELECT count(*) FROM search_first) < %s"
        )
        found = self._rows(None, sql=(sql, [*params, *then_params, fewer_than]))
        count = len(probes)
        before = [row for row in found if row[0] < count]
        after = [(i - count, pk, keys) for i, pk, keys in found if i >= count]
        return before, (after if len(before) < fewer_than else None)

    def _rows(self, probes, *, timeout_ms: float = 0, sql=None, names: bool = False) -> list:
        if not self.postgres:
            found = []
            for i, (condition, params, limit) in enumerate(probes):
                sql, params = self._sql([(condition, params, limit)])
                rows = self._execute(sql, params, guarded=False)
                found.extend((i, pk, keys) for pk, keys in rows)
            if timeout_ms:  # as below: a cancel delivered late goes to no page's query
                with suppress(OperationalError):
                    self._execute("SELECT 1", (), guarded=True)
            return found
        sql, params = sql or self._sql(probes, names=names)
        # Every probe has an index; with a LIMIT the planner may still bet on a
        # sequential scan finding enough rows early ("M. Hosseini": a regex on the
        # keys), which reads much of a million rows when the bet is lost.
        setup = "SET LOCAL enable_seqscan = off; " + GENERIC_PLAN
        setup += f"SET LOCAL pg_trgm.word_similarity_threshold = {FUZZY_THRESHOLD}; "
        if timeout_ms:
            setup += f"SET LOCAL statement_timeout = {max(1, int(timeout_ms))}; "
        sql = setup + (prepared(self.connection, sql) or sql)
        try:
            rows = self._execute(sql, params, guarded=bool(timeout_ms))
        except OperationalError:
            if not timeout_ms:
                raise
            return []  # canceled by the timeout: a guess past its budget gives nothing
        if timeout_ms:
            # A statement timeout that fires as the statement ends is delivered to the
            # connection's next statement (2 timed probes in 400 at a million rows), which
            # would be the page's own query: take it on a statement of no consequence.
            with suppress(OperationalError):
                self._execute("SELECT 1", (), guarded=True)
        if names:
            return rows
        return [(probe, pk, keys) for pk, keys, probe in rows]

    def _sql(self, probes, offset: int = 0, *, names: bool = False) -> tuple[str, list]:
        # The SQL text is the table's name and fixed fragments; values are parameters.
        if names:
            parts, values = [], []
            for i, (condition, probe_params, limit) in enumerate(probes, offset):
                parts.append(
                    f"(SELECT {i} AS search_probe, id, name_keys, {self.bearers} AS people "
                    f"FROM {self.names} WHERE {condition} AND {self.bearers} > 0 LIMIT %s)"
                )
                values.extend((*probe_params, limit))
            return f"SELECT * FROM ({' UNION ALL '.join(parts)}) search_names", values
        if len(probes) == 1 and not self.postgres:
            ((condition, values, limit),) = probes
            sql = (
                f"{self.head} FROM (SELECT * FROM {self.quoted} WHERE {condition} LIMIT %s) "
                f"{self.quoted}{self.tail}"
            )
            return sql, [*values, limit, *self.params]
        parts, values = [], []
        for i, (condition, probe_params, limit) in enumerate(probes, offset):
            parts.append(
                f"(SELECT *, {i} AS search_probe FROM {self.quoted} WHERE {condition} LIMIT %s)"
            )
            values.extend((*probe_params, limit))
        sql = (
            f"{self.head}, {self.quoted}.search_probe FROM ({' UNION ALL '.join(parts)}) "
            f"{self.quoted}{self.tail}"
        )
        return sql, [*values, *self.params]

    def _plain_page(self, fields: tuple[str, ...]) -> tuple[str, str, str] | None:
        """(select list, primary key, further WHERE) to read ``values(*fields)`` rows
        through this prober's own SQL (PostgreSQL); None when that SQL cannot say it (a
        field that is not a plain column of the table, a join in the filters)."""
        if not self.postgres or self.empty or not fields:
            return None
        tail = self.tail
        if tail and not tail.startswith(" WHERE "):
            return None
        meta = self.model._meta
        columns = _plain_columns(self.connection, self.model, fields)
        if columns is None or meta.pk.get_internal_type() not in INTEGER_KEYS:
            return None
        pk = f"{self.quoted}.{self.connection.ops.quote_name(meta.pk.column)}"
        where = f" AND ({tail[len(' WHERE ') :]})" if tail else ""
        return columns, pk, where

    def people_of(self, keys: list[str], fields: tuple[str, ...] = ()) -> tuple[list, bool]:
        """The rows of the queryset bearing one of the names ``keys`` (through the hash
        index on ``name_keys``, kept with the table of names), each ending with its pk
        and name_keys; and whether they begin with the columns of ``values(*fields)``
        (then the page needs no statement of its own: ``page``)."""
        if self.empty or not keys:
            return [], False
        among = f"{self.quoted}.name_keys = ANY(string_to_array(%s, E'\\n'))"
        plain = self._plain_page(fields)
        if plain is not None:
            columns, pk, where = plain
            sql = (
                f"SELECT {columns}, {pk}, {self.quoted}.name_keys FROM {self.quoted} "
                f"WHERE {among}{where}"
            )
        else:
            sql = f"{self.head} FROM (SELECT * FROM {self.quoted} WHERE {among}) {self.quoted}"
            sql += self.tail
        params = ["\n".join(keys), *self.params]
        call = prepared(self.connection, sql)
        if call is not None:
            sql = call if self.connection.in_atomic_block else GENERIC_PLAN + call
        return self._execute(sql, params, guarded=False), plain is not None

    def page(
        self, fields: tuple[str, ...], ranked: list[tuple[int, float]], read: dict | None = None
    ) -> list | None:
        """``values(*fields)`` rows of ``ranked`` in rank order, with ``search_score`` and
        ``search_exact``, through the SQL the probes were made of (PostgreSQL, prepared):
        no second compilation of the queryset. None when that SQL cannot say it (a field
        that is not a plain column of the table, a join in the filters): ask the ORM.
        ``read``: the rows by pk, read already (``people_of``)."""
        by_pk = read
        if by_pk is None:
            plain = self._plain_page(fields)
            if plain is None:
                return None
            columns, pk, where = plain
            sql = (
                f"SELECT {columns}, {pk} FROM {self.quoted} "
                f"WHERE {pk} = ANY(string_to_array(%s, ' ')::bigint[]){where}"
            )
            params = [" ".join(str(int(found)) for found, _ in ranked), *self.params]
            call = prepared(self.connection, sql)
            if call is not None:
                sql = call if self.connection.in_atomic_block else GENERIC_PLAN + call
            by_pk = {row[-1]: row for row in self._execute(sql, params, guarded=False)}
        rows = []
        for pk_value, score in ranked:
            row = by_pk.get(pk_value)
            if row is not None:
                item = dict(zip(fields, row, strict=False))
                item["search_score"] = score
                item["search_exact"] = names.is_exact_score(score)
                rows.append(item)
        return rows

    def _execute(self, sql: str, params, *, guarded: bool) -> list:
        # Inside a transaction a canceled statement would abort it: a savepoint of its own.
        guard = nullcontext()
        if guarded and self._savepoint is not None:
            guard = transaction.atomic(using=self.using)
        with guard, self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
