"""A trigram index on the folded text of documents' pages, which the search inside
documents (``sources.filters.pages_holding``: ``folded LIKE '%phrase%'``) reads instead
of every page. PostgreSQL only (pg_trgm, GIN); SQLite keeps the scan."""

from django.db import migrations

from archive.core.migration_ops import GinExpressionIndex


class DocumentTextIndex(GinExpressionIndex):
    suffix = "folded_trgm"
    expression = "folded gin_trgm_ops"
    setup = ("CREATE EXTENSION IF NOT EXISTS pg_trgm",)
    label = "Trigram index on the folded text of documents' pages"


class Migration(migrations.Migration):
    dependencies = [("sources", "0006_citation_document")]

    operations = [DocumentTextIndex("sources_documentpage")]
