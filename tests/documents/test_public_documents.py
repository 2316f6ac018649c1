"""The check of issue 20 through the public site: a PDF with a known phrase on a known
page, added to a published source."""

import hashlib
import io

import pikepdf
import pytest
from django.utils import timezone

from sources.models import Source
from tests.documents.conftest import AUTHOR, PERSIAN_PHRASE, PHRASE
from tests.factories import CitationFactory, VictimFactory

pytestmark = pytest.mark.django_db


def test_the_public_source_page_shows_the_digest_of_the_original(client, document, known_pdf):
    digest = hashlib.sha256(known_pdf).hexdigest()
    assert document.sha256 == digest
    page = client.get(f"/sources/{document.source_id}/").content.decode()
    assert digest in page
    assert "family-report.pdf" not in page  # the name as received may say who sent it


def test_the_original_is_kept_byte_for_byte(document, known_pdf):
    assert document.read_original() == known_pdf


def test_the_public_copy_holds_no_author_or_producer(client, document):
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/Author" not in pdf.docinfo and "/Producer" not in pdf.docinfo
        assert len(pdf.pages) == 3
    assert AUTHOR.encode() not in data
    assert hashlib.sha256(data).hexdigest() == document.public_sha256


def test_the_page_view_marks_the_quoted_passage_where_it_stands(client, document):
    response = client.get(document.page_url(2), {"q": PHRASE.upper()})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<rect class="highlight"' in page
    assert f"<mark>{PHRASE}</mark>" in page
    assert "<script" not in page.split("</header>", 1)[1]  # no JavaScript on the page
    image = client.get(f"/sources/{document.source_id}/documents/{document.pk}/pages/2.png")
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")


def test_a_citation_opens_its_page_with_its_quote_marked(client, document):
    victim = VictimFactory()
    citation = CitationFactory(
        content_object=victim, source=document.source, locator="p. 2", quote=PHRASE
    )
    page = client.get(document.page_url(2), {"c": citation.pk}).content.decode()
    assert '<rect class="highlight"' in page
    assert "The passage cited is marked" in page


def test_a_page_without_the_phrase_says_so(client, document):
    page = client.get(document.page_url(1), {"q": PHRASE}).content.decode()
    assert '<rect class="highlight"' not in page
    assert "could not be found on this page" in page


@pytest.mark.parametrize("change", [{"publication_status": "draft"}, {"is_private": True}])
def test_a_draft_or_private_sources_document_is_never_served(client, document, change):
    urls = [
        document.get_absolute_url(),
        document.page_url(2),
        f"/sources/{document.source_id}/documents/{document.pk}/pages/2.png",
    ]
    assert all(client.get(url).status_code == 200 for url in urls)
    Source.objects.filter(pk=document.source_id).update(
        received_date="2024-01-01", updated_at=timezone.now(), **change
    )
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert document.sha256 not in client.get(f"/sources/{document.source_id}/").content.decode()


def test_a_withheld_document_is_not_served(client, document):
    document.withheld = True
    document.save()
    assert client.get(document.page_url(2)).status_code == 404
    assert document.sha256 not in client.get(f"/sources/{document.source_id}/").content.decode()


def test_the_search_finds_a_source_by_a_phrase_of_its_document(client, document):
    page = client.get("/sources/", {"q": PHRASE}).content.decode()
    assert document.source.title in page
    assert f"{document.page_url(2)}?q=" in page


def test_the_search_finds_a_source_by_a_persian_phrase_in_other_letter_forms(client, document):
    # Arabic kaf and yeh, as a keyboard in another country writes them.
    typed = PERSIAN_PHRASE.replace("ک", "ك").replace("ی", "ي")
    page = client.get("/fa/sources/", {"q": typed}).content.decode()
    assert document.source.title in page
    assert f"/fa/sources/{document.source_id}/documents/{document.pk}/pages/3/?q=" in page


def test_the_seed_statement_is_the_first_document_and_its_claims_open_the_passage(client, seed):
    from sources.documents import Document

    statement = Document.objects.get(source_id=10)
    assert statement.verify() is None
    assert statement.pages.get().text.startswith("   It is time to bring to justice")
    page = client.get("/events/1988-massacre/").content.decode()
    assert f'href="{statement.page_url(1)}?c=' in page
    link = page.split(f'href="{statement.page_url(1)}?c=', 1)[1].split('"', 1)[0]
    citation, anchor = link.split("#")
    assert anchor == "passage"  # the long page opens where the passage is marked
    passage = client.get(f"{statement.page_url(1)}?c={citation}").content.decode()
    assert '<mark id="passage">' in passage
    found = client.get("/sources/", {"q": "doused with disinfectant"}).content.decode()
    assert statement.page_url(1) in found
