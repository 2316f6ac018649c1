"""A dossier lists the documents behind its claims with their SHA-256 digests (public
documents only), and its own digest covers them."""

import datetime
import io
import json

import pytest

from sources.documents import add_document
from tests.dossier.dossier_helpers import printed_digest
from tests.factories import CitationFactory, PerpetratorFactory, SourceFactory

pytestmark = pytest.mark.django_db

STATEMENT = b"A synthetic statement, made for a test: the commission met at dawn.\n"


def upload(data: bytes, name: str = "statement.txt"):
    handle = io.BytesIO(data)
    handle.name = name
    handle.size = len(data)
    return handle


@pytest.fixture
def cited(settings, tmp_path, django_capture_on_commit_callbacks):
    """A published perpetrator whose record cites a source that holds a document (a
    committed transaction: the test runs inside one)."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    with django_capture_on_commit_callbacks(execute=True):
        perpetrator = PerpetratorFactory(cited=False, name_latin="Testname Documented")
        source = SourceFactory(title="Synthetic statement source (test)")
        CitationFactory(content_object=perpetrator, source=source, claim="general", locator="p. 1")
        document = add_document(
            source=source, fileobj=upload(STATEMENT), title="The statement (synthetic)"
        )
    return perpetrator, source, document


def dossier_json(client, perpetrator) -> dict:
    return json.loads(client.get(f"/perpetrators/{perpetrator.ref}/dossier.json").content)


def test_a_dossier_lists_each_cited_sources_documents_with_their_digests(client, cited):
    perpetrator, source, document = cited
    html = client.get(f"/perpetrators/{perpetrator.ref}/dossier/").content.decode()
    assert "The statement (synthetic)" in html
    assert "Documents kept by the archive" in html
    assert document.sha256[:16] in html and document.sha256[48:] in html
    (shown,) = [s for s in dossier_json(client, perpetrator)["sources"] if s["id"] == source.pk]
    assert shown["documents"] == [
        {
            "id": document.pk,
            "title": "The statement (synthetic)",
            "kind": "text",
            "media_type": "text/plain",
            "size": len(STATEMENT),
            "sha256": document.sha256,
            "pages": None,
            "public_copy_sha256": document.public_sha256,
            "url": "",
            "retrieved": None,
        }
    ]


def test_a_withheld_document_or_one_of_a_private_testimony_is_not_listed(client, cited):
    perpetrator, source, _document = cited
    withheld = add_document(source=source, fileobj=upload(b"Withheld synthetic text.\n"))
    withheld.withheld = True
    withheld.save()
    private = SourceFactory(
        title="ZZPRIVATE testimony", is_private=True, received_date=datetime.date(2024, 5, 2)
    )
    CitationFactory(content_object=perpetrator, source=private, claim="general")
    hidden = add_document(source=private, fileobj=upload(b"A family's synthetic words.\n"))
    html = client.get(f"/perpetrators/{perpetrator.ref}/dossier/").content.decode()
    content = dossier_json(client, perpetrator)
    listed = [d["sha256"] for s in content["sources"] for d in s.get("documents", [])]
    assert len(listed) == 1
    for document in (withheld, hidden):
        assert document.sha256 not in listed
        assert document.sha256[:16] not in html


def test_withholding_a_document_changes_the_dossier_digest(
    client, cited, django_capture_on_commit_callbacks
):
    perpetrator, _source, document = cited
    url = f"/perpetrators/{perpetrator.ref}/dossier/"
    first = printed_digest(client.get(url).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        document.save()  # saved again, nothing changed
    assert printed_digest(client.get(url).content.decode()) == first
    with django_capture_on_commit_callbacks(execute=True):
        document.withheld = True
        document.save()
    withheld = printed_digest(client.get(url).content.decode())
    assert withheld != first
    with django_capture_on_commit_callbacks(execute=True):
        document.withheld = False
        document.title = "The statement as published (synthetic)"
        document.save()
    retitled = printed_digest(client.get(url).content.decode())
    assert retitled not in (first, withheld)


def test_a_source_without_documents_is_written_as_before(client, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    perpetrator = PerpetratorFactory(cited=False)
    CitationFactory(content_object=perpetrator, claim="general")
    (source,) = dossier_json(client, perpetrator)["sources"]
    assert "documents" not in source
