"""Search inside documents on PostgreSQL: 10,000 synthetic pages, the plan and time of
the phrase search (``sources.filters.pages_holding``, ``folded LIKE '%…%'``) and of the
public source list's ``?q=``. Checks that the plan reads the trigram index
(``sources_documentpage_folded_trgm``). Keeps its pages for the next run; ``--clean``
removes them.

    DEBUG=1 DATABASE_URL=postgres://archive:archive@127.0.0.1:5432/archive_documents \\
        PYTHONPATH=. .venv/bin/python bench/document_search.py [PAGES] [--clean]
"""

import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
django.setup()

from django.db import connection, transaction

from sources.evidence import fold
from sources.filters import SourceFilter, pages_holding
from sources.models import Document, DocumentPage, Source

PAGES = int(next((a for a in sys.argv[1:] if a.isdigit()), 10_000))
PER_DOCUMENT = 100
PHRASE = "the synthetic commission met at dawn"

assert connection.vendor == "postgresql", "this bench is for PostgreSQL"
rng = random.Random(1988)
# Synthetic words (letters drawn at random): trigrams as varied as a real text's.
VOCABULARY = [
    "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10)))
    for _ in range(20_000)
]


def page_text(n: int) -> str:
    words = rng.choices(VOCABULARY, k=250)
    if n == PAGES // 2:
        words[100:100] = PHRASE.split()
    return " ".join(words)


TITLE = "Bench source for document search (synthetic)"
source = Source.objects.filter(title=TITLE).first()
if source is None or DocumentPage.objects.filter(document__source=source).count() != PAGES:
    if source is not None:
        DocumentPage.objects.filter(document__source=source).delete()
        Document.objects.filter(source=source).delete()
        Source.objects.filter(pk=source.pk).delete()
    started = time.perf_counter()
    with transaction.atomic():
        source = Source.objects.create(title=TITLE, kind="other",
                                       publication_status="published")  # fmt: skip
        pages = []
        for d in range(PAGES // PER_DOCUMENT):
            document = Document.objects.create(
                source=source, sha256=f"{d:064x}", size=1, media_type="text/plain",
                kind="text", original=f"bench/{d}.txt", page_count=PER_DOCUMENT,
            )  # fmt: skip
            for number in range(1, PER_DOCUMENT + 1):
                text = page_text(d * PER_DOCUMENT + number)
                pages.append(DocumentPage(document=document, number=number, text=text,
                                          folded=fold(text)))  # fmt: skip
        DocumentPage.objects.bulk_create(pages, batch_size=1000)
    print(f"{len(pages)} pages written in {time.perf_counter() - started:.1f} s")
with connection.cursor() as cursor:
    # Fresh statistics: without them the planner guesses one document and loops over
    # every page of each (377 ms here) instead of asking the index.
    cursor.execute("ANALYZE sources_source, sources_document, sources_documentpage")


def measure(label, queryset, *, indexed=True):
    plan = queryset.explain(analyze=True)
    print(f"--- {label}\n{plan}")
    if indexed:
        assert "sources_documentpage_folded_trgm" in plan, f"{label}: the index is not used"
    times = []
    for _ in range(5):
        started = time.perf_counter()
        rows = len(list(queryset.all()))
        times.append(time.perf_counter() - started)
    print(f"{label}: median {sorted(times)[2] * 1000:.1f} ms over 5 runs, {rows} rows")


def queries():
    return {
        "pages_holding": pages_holding(PHRASE),
        "sources holding it (the ?q= filter's first query)": pages_holding(PHRASE)
        .order_by()
        .values_list("document__source_id", flat=True)
        .distinct(),
    }


for label, queryset in queries().items():
    measure(label, queryset)
times = []
for _ in range(5):
    started = time.perf_counter()
    found = list(SourceFilter({"q": PHRASE}, queryset=Source.objects.published()).qs)
    times.append(time.perf_counter() - started)
assert source in found
print(f"/sources/?q= filter, both queries: median {sorted(times)[2] * 1000:.1f} ms")
# The same without the index (dropped inside a transaction that is rolled back).
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX sources_documentpage_folded_trgm")
    for label, queryset in queries().items():
        measure(f"{label} WITHOUT the index", queryset, indexed=False)
    transaction.set_rollback(True)
if "--clean" in sys.argv:
    Source.objects.filter(pk=source.pk).update(publication_status="draft")
    DocumentPage.objects.filter(document__source=source).delete()
    Document.objects.filter(source=source).delete()
    Source.objects.filter(pk=source.pk).delete()
    print("removed the bench's source, documents and pages")
