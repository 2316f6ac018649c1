"""The admin's list of victims reads its order from an index: a page of the list must not
sort every victim in the archive (0.66-0.78 s a page at a million people before)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import VictimFactory

pytestmark = pytest.mark.django_db


def _list_query(client) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/victims/victim/").status_code == 200
    (sql,) = [
        q["sql"] for q in queries.captured_queries
        if 'FROM "victims_victim"' in q["sql"] and "ORDER BY" in q["sql"]
        and "COUNT(" not in q["sql"]
    ]  # fmt: skip
    return sql


def test_a_page_of_the_admins_victim_list_is_read_in_order_from_an_index(researcher_client):
    for n in range(3):
        VictimFactory(name_latin=f"Testname Ordered{n}", publication_status="draft")
    sql = _list_query(researcher_client)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A tiny test table: forbid the sort, so that only an index can give the order.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " ".join(str(cell) for row in cursor.fetchall() for cell in row)

    assert "victim_admin_order" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan and "Sort Key" not in plan
