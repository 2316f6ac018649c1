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


def render_pending():
    """What the background renderer does: render every queued PDF."""
    from django.core.management import call_command

    call_command("render_dossiers", "--pending", "--wait", "0", verbosity=0)


def get_pdf(client, url):
    """The PDF at ``url``, as a reader gets it: at once if it was rendered in the request,
    else after the 503 page, once the renderer has run (whichever the machine's speed)."""
    response = client.get(url)
    if response.status_code == 503:
        assert response["Retry-After"]
        render_pending()
        response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    response.pdf = body(response)
    return response


def body(response) -> bytes:
    """A response's bytes, streamed (the PDFs) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
