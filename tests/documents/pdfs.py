"""Synthetic PDFs for the documents' tests and bench, made with WeasyPrint (a dependency
already): one HTML section per page, Persian set in DejaVu Sans (Debian's fonts)."""

from __future__ import annotations

from html import escape


def make_pdf(pages: list[str], *, author: str = "", title: str = "") -> bytes:
    """A PDF with one page per text of ``pages``; ``author`` and ``title`` are written into
    its document information, as a word processor would."""
    from weasyprint import HTML

    head = f'<meta name="author" content="{escape(author)}">' if author else ""
    head += f"<title>{escape(title)}</title>" if title else ""
    body = "".join(
        f'<section dir="auto" style="page-break-after: always">{escape(text)}</section>'
        for text in pages
    )
    html = (
        f"<html><head>{head}<style>@page {{ size: A4; margin: 2cm }} body {{ font: 14pt "
        f"'DejaVu Sans' }}</style></head><body>{body}</body></html>"
    )
    return HTML(string=html).write_pdf()


def filler(number: int) -> str:
    """A paragraph of synthetic text for page ``number``."""
    return " ".join(
        f"Synthetic test page {number}, line {line}: this document is made for a test."
        for line in range(1, 12)
    )
