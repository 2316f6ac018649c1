"""Small helpers shared by the dossier tests."""

import hashlib
import io
import re


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squeeze(text: str) -> str:
    """Text without whitespace: a URL broken across lines reads whole again."""
    return re.sub(r"\s+", "", text)


def printed_digest(html: str) -> str:
    match = re.search(r'<code class="digest"[^>]*>([0-9a-f ]+)</code>', html)
    assert match, "the dossier prints no digest"
    return match.group(1).replace(" ", "")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
