"""The PDF dossiers: their text, their digests, and that making them fetches nothing
from outside. Few PDFs are made here: each costs a second or more."""

import io
import socket

import pytest

from archive.dossiers import common as dossier
from tests.dossier.dossier_helpers import body, get_pdf, pdf_text, sha256, squeeze

pytestmark = pytest.mark.django_db

SEED = {
    "P-0001": (
        "Ebrahim Raisi",
        "Head of the Judiciary (Judiciary Chief)",
        [
            "https://iran1988.org/new-report-published-1988massacre-iran-evidence-crime-humanity/",
            "https://twitter.com/statedeptspox/status/1284216751941652484",
        ],
    ),
    "P-0002": (
        "Alireza Avaei",
        "Minister of Justice",
        [
            "https://iran1988.org/new-report-published-1988massacre-iran-evidence-crime-humanity/",
            "https://twitter.com/statedeptspox/status/1284216751941652484",
        ],
    ),
    "P-0003": (
        "Mostafa Pour-Mohammadi",
        "Advisor to the Judiciary Chief",
        ["https://youtu.be/uAo6w1QOFqw"],
    ),
}


@pytest.mark.parametrize("ref", sorted(SEED))
def test_seed_perpetrator_pdf_names_them_their_posts_and_the_statement_sources(
    seed, anonymous, ref
):
    name, position, urls = SEED[ref]
    response = get_pdf(anonymous, f"/perpetrators/{ref}/dossier.pdf")
    text = squeeze(pdf_text(response.pdf))
    assert squeeze(name) in text
    assert squeeze(position) in text
    for url in urls:
        assert url in text

    # Beside it: the digest printed in it, and the SHA-256 of these very bytes.
    (content_line, pdf_line) = (
        anonymous.get(f"/perpetrators/{ref}/dossier.sha256").content.decode().splitlines()
    )
    content_digest = content_line.split("  ")[0]
    assert squeeze(content_digest) in text or all(
        part in text for part in (content_digest[i : i + 16] for i in range(0, 64, 16))
    )
    assert pdf_line == f"{sha256(response.pdf)}  perpetrator-{ref}-dossier-en.pdf"


def test_pdf_is_served_unchanged_until_the_record_changes(seed, anonymous):
    first = get_pdf(anonymous, "/perpetrators/P-0003/dossier.pdf").pdf
    assert body(anonymous.get("/perpetrators/P-0003/dossier.pdf")) == first


def test_persian_pdf_is_set_in_the_bundled_font_with_persian_text(seed, anonymous):
    from pypdf import PdfReader

    response = get_pdf(anonymous, "/fa/perpetrators/P-0003/dossier.pdf")
    first = PdfReader(io.BytesIO(response.pdf)).pages[0]
    fonts = first["/Resources"]["/Font"]
    assert all("Vazirmatn" in fonts[key].get_object()["/BaseFont"] for key in fonts)
    text = pdf_text(response.pdf)
    assert "مشاور رئیس قوه قضاییه" in text
    assert "Mostafa Pour-Mohammadi" in text
    assert "perpetrator-P-0003-dossier-fa.pdf" in response["Content-Disposition"]


def test_rendering_the_same_html_twice_gives_the_same_bytes():
    html = "<html lang='en'><body><h1>Same</h1><p>Same words.</p></body></html>"
    first = dossier.render_pdf(html, base_url="http://testserver/", identifier="a" * 32)
    second = dossier.render_pdf(html, base_url="http://testserver/", identifier="a" * 32)
    assert first == second


def test_pdf_carries_the_canonical_content_as_an_attachment():
    from pypdf import PdfReader

    data = dossier.render_pdf(
        "<p>x</p>",
        base_url="http://testserver/",
        identifier="b" * 32,
        attachments=[("content.json", b'{"a":1}\n', "content")],
    )
    assert PdfReader(io.BytesIO(data)).attachments["content.json"] == [b'{"a":1}\n']


def test_a_third_party_url_in_a_template_is_never_fetched(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetcher = dossier.make_url_fetcher("http://testserver/")
    html = (
        '<link rel="stylesheet" href="https://cdn.example.org/style.css">'
        '<img src="https://tracker.example.org/pixel.png">'
        '<img src="http://testserver/media/victims/photos/x.jpg">'
        '<link rel="stylesheet" href="/static/css/dossier.css">'
        "<p>text</p>"
    )
    dossier.render_pdf(
        html, base_url="http://testserver/", identifier="c" * 32, url_fetcher=fetcher
    )
    assert "https://cdn.example.org/style.css" in fetcher.refused
    assert "https://tracker.example.org/pixel.png" in fetcher.refused
    assert "http://testserver/media/victims/photos/x.jpg" in fetcher.refused
    assert not any("dossier.css" in url for url in fetcher.refused)
