"""Adding a 200-page PDF (text and page images ready), a page view, and verify_documents
over 1,000 small synthetic documents. Bounded: one PDF, N documents (default 1,000).

    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench-documents.sqlite3 .venv/bin/python manage.py migrate
    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench-documents.sqlite3 PYTHONPATH=. \\
        .venv/bin/python bench/documents.py [--pdf] [--verify N]   (both when neither is given)
"""

import argparse
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

from sources.documents import Document, add_document
from sources.models import Source
from tests.documents.pdfs import filler, make_pdf

parser = argparse.ArgumentParser()
parser.add_argument("--pdf", action="store_true", help="add a 200-page PDF, view a page")
parser.add_argument("--verify", type=int, default=0, metavar="N",
                    help="verify_documents over N small text documents")  # fmt: skip
args = parser.parse_args()
if not args.pdf and not args.verify:
    args.pdf, args.verify = True, 1000
args.verify = min(args.verify, 5000)  # bounded: a shared machine

settings.EVIDENCE_ROOT = tempfile.mkdtemp()
settings.ALLOWED_HOSTS = ["*"]
print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
source = Source.objects.create(title="Bench source (synthetic)", kind="other",
                               publication_status="published")  # fmt: skip


def upload(data: bytes):
    handle = io.BytesIO(data)
    handle.size = len(data)
    return handle


if args.pdf:
    started = time.perf_counter()
    pdf = make_pdf([filler(n) for n in range(1, 201)])
    print(f"made a 200-page PDF ({len(pdf) // 1024} KB) in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    document = add_document(source=source, fileobj=upload(pdf))
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

if args.verify:
    started = time.perf_counter()
    for n in range(args.verify):
        text = f"Synthetic document {n} for the verify_documents bench.\n" * 20
        add_document(source=source, fileobj=upload(text.encode()))
    count = Document.objects.count()
    print(f"added {args.verify} small text documents in {time.perf_counter() - started:.1f} s")
    for flags in (["--no-log"], []):
        started = time.perf_counter()
        call_command("verify_documents", *flags, stdout=io.StringIO())
        print(f"verify_documents {' '.join(flags) or '(writing the custody log)'} over "
              f"{count} documents: {time.perf_counter() - started:.2f} s")  # fmt: skip
print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
