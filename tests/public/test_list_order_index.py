"""The public lists of people (pages and API) read a page in name order from an index,
with the statement as it is sent, parameters bound: on SQLite a query whose order was
written with parameters where the index has constants sorted every published person for
each page (27-61 ms a page at 100,000 victims; 0.2 ms from the index)."""

import pytest
from django.db import connection

from tests.factories import PerpetratorFactory, VictimFactory

pytestmark = pytest.mark.django_db


def _list_statement(client, url: str, table: str) -> tuple[str, tuple]:
    """The statement (SQL and parameters, as sent) that reads the page's rows of
    ``table`` in order."""
    sent = []

    def keep(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        response = client.get(url)
    assert response.status_code == 200
    found = [
        (sql, params) for sql, params in sent
        if sql.split(" FROM ", 1)[-1].startswith(f'"{table}"') and "ORDER BY" in sql
        and "LIMIT" in sql
        and "COUNT(" not in sql
    ]  # fmt: skip
    (statement,) = found
    return statement


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A tiny test table: forbid the sort, so that only an index can give the order.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(cell) for row in cursor.fetchall() for cell in row)


@pytest.mark.parametrize(
    ("url", "table", "index"),
    [
        ("/api/victims/", "victims_victim", "victim_pub_order_latin"),
        ("/victims/", "victims_victim", "victim_pub_order_latin"),
        ("/fa/victims/", "victims_victim", "victim_pub_order_fa"),
        ("/perpetrators/", "perpetrators_perpetrator", "perp_pub_order_latin"),
        ("/fa/perpetrators/", "perpetrators_perpetrator", "perp_pub_order_fa"),
    ],
)
def test_a_page_of_a_public_list_is_read_in_name_order_from_its_index(client, url, table, index):
    for n in range(3):
        VictimFactory(name_latin=f"Testname Listed{n}", name_fa=f"نام{n}")
        PerpetratorFactory(name_latin=f"Testname Named{n}", name_fa=f"نام{n}")
    VictimFactory(name_latin="", name_fa="تنها فارسی")  # ordered after the Latin names

    plan = _plan(*_list_statement(client, url, table))

    assert index in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan and "Sort Key" not in plan


def test_the_next_page_of_the_apis_list_is_read_from_the_index_too(client, settings):
    settings.PAGE_SIZE = 2
    for n in range(5):
        VictimFactory(name_latin=f"Testname Paged{n}")
    following = client.get("/api/victims/").json()["next"]
    assert following

    plan = _plan(*_list_statement(client, following, "victims_victim"))

    assert "victim_pub_order_latin" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan and "Sort Key" not in plan
