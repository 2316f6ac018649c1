"""A PDF made for the checks: a known phrase on a known page (page 2 in English, page 3
in Persian), written with an author's name in its metadata, as a word processor does."""

import io

import pytest

from sources.documents import add_document
from tests.documents.pdfs import filler, make_pdf
from tests.factories import SourceFactory

PHRASE = "the commission met in the prison at dawn"
PERSIAN_PHRASE = "کمیسیون مرگ در زندان تشکیل شد"
AUTHOR = "Synthetic Family Member (test)"


@pytest.fixture(scope="session")
def known_pdf() -> bytes:
    return make_pdf(
        [
            filler(1),
            f"{filler(2)[:200]} Witnesses said {PHRASE} in the synthetic report. {filler(2)}",
            f"متن آزمایشی: {PERSIAN_PHRASE}. این سند ساختگی است.",
        ],
        author=AUTHOR,
        title="Synthetic report made for a test",
    )


@pytest.fixture
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


def upload(data: bytes, name: str = "report.pdf"):
    handle = io.BytesIO(data)
    handle.name = name
    handle.size = len(data)
    return handle


@pytest.fixture
def published_source(db):
    return SourceFactory(title="Synthetic NGO report (test data)")


@pytest.fixture
def document(evidence_root, published_source, known_pdf):
    return add_document(
        source=published_source, fileobj=upload(known_pdf), name="family-report.pdf",
        url="https://example.org/report.pdf",
    )  # fmt: skip
