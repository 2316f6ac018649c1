"""Adding a 200-page PDF (text and page images ready), a page view, and verify_documents.

    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench-documents.sqlite3 .venv/bin/python manage.py migrate
    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench-documents.sqlite3 PYTHONPATH=. \\
        .venv/bin/python bench/documents.py
"""

import io
import os
import tempfile
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
django.setup()

from django.conf import settings
from django.core.management import call_command
from django.test import Client

from sources.documents import add_document
from sources.models import Source
from tests.documents.pdfs import filler, make_pdf

settings.EVIDENCE_ROOT = tempfile.mkdtemp()
settings.ALLOWED_HOSTS = ["*"]
started = time.perf_counter()
pdf = make_pdf([filler(n) for n in range(1, 201)])
print(f"made a 200-page PDF ({len(pdf) // 1024} KB) in {time.perf_counter() - started:.1f} s")
source = Source.objects.create(title="Bench source (synthetic)", kind="other",
                               publication_status="published")  # fmt: skip
handle = io.BytesIO(pdf)
handle.size = len(pdf)
started = time.perf_counter()
document = add_document(source=source, fileobj=handle)
print(f"add_document: {document.page_count} pages, text and images in "
      f"{time.perf_counter() - started:.1f} s")  # fmt: skip
client = Client()
url = document.page_url(120)
client.get(url, {"q": "page 120, line 5"})
times = []
for _ in range(10):
    started = time.perf_counter()
    assert client.get(url, {"q": "page 120, line 5"}).status_code == 200
    times.append(time.perf_counter() - started)
print(f"page view with a marked phrase: median {sorted(times)[5] * 1000:.0f} ms")
started = time.perf_counter()
call_command("verify_documents", "--no-log")
print(f"verify_documents: {time.perf_counter() - started:.2f} s")
