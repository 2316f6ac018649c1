"""On PostgreSQL the search inside documents reads a trigram index on the folded text
(bench/document_search.py measures it on 10,000 pages: 2 ms instead of 350); SQLite has
none and scans."""

import pytest
from django.db import connection

from sources.documents import DocumentPage

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_a_phrase_looked_for_in_pages_can_read_the_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'sources_documentpage_folded_trgm'"
        )
        (definition,) = cursor.fetchone()
        assert "gin (folded gin_trgm_ops)" in definition
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table: force the choice
    pages = DocumentPage.objects.order_by().filter(folded__contains="the commission met")
    plan = pages.values("pk").explain()
    assert "sources_documentpage_folded_trgm" in plan
