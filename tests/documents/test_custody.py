"""Adding documents (command line and admin), the checks by content and size, the
evidentiary copy for staff only, the custody log, and verify_documents."""

import hashlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from sources.documents import CustodyEvent, Document
from tests.documents.conftest import upload

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def test_add_document_prints_the_sha256_and_records_the_origin(
    tmp_path, evidence_root, published_source, known_pdf, capsys
):
    path = tmp_path / "report.pdf"
    path.write_bytes(known_pdf)
    call_command(
        "add_document", str(published_source.pk), str(path),
        "--url", "https://example.org/r.pdf", "--retrieved", "2024-03-01",
    )  # fmt: skip
    digest = hashlib.sha256(known_pdf).hexdigest()
    assert capsys.readouterr().out.strip() == digest
    document = Document.objects.get()
    assert (document.url, str(document.retrieved), document.page_count) == (
        "https://example.org/r.pdf", "2024-03-01", 3,
    )  # fmt: skip
    assert document.custody.get().action == CustodyEvent.Action.ADDED


def test_an_exe_renamed_pdf_is_refused_with_a_clear_message(
    tmp_path, evidence_root, published_source
):
    path = tmp_path / "report.pdf"
    path.write_bytes(EXE)
    with pytest.raises(CommandError, match=r"not a PDF, an image .* whatever its name says"):
        call_command("add_document", str(published_source.pk), str(path))
    assert not Document.objects.exists()
    assert (
        not any(p.is_file() for p in evidence_root.rglob("*")) if evidence_root.exists() else True
    )


def test_a_file_over_the_limit_is_refused_naming_the_limit_and_its_setting(
    settings, evidence_root, published_source, known_pdf, tmp_path
):
    settings.DOCUMENT_MAX_BYTES = 1000
    path = tmp_path / "big.pdf"
    path.write_bytes(known_pdf)
    with pytest.raises(CommandError, match=r"may be at most 1000\W*bytes \(DOCUMENT_MAX_BYTES\)"):
        call_command("add_document", str(published_source.pk), str(path))


def test_a_bad_retrieval_date_is_refused_before_anything_is_kept(tmp_path, published_source):
    path = tmp_path / "a.txt"
    path.write_text("synthetic")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("add_document", str(published_source.pk), str(path), "--retrieved", "1/3/24")


def test_verify_documents_names_a_tampered_file_and_fails(document, capsys):
    call_command("verify_documents")
    assert "1 documents match" in capsys.readouterr().out
    stored = document.original.path
    os.chmod(stored, 0o600)
    with open(stored, "r+b") as handle:
        handle.seek(100)
        handle.write(b"X")
    with pytest.raises(CommandError, match="1 of 1 documents differ"):
        call_command("verify_documents")
    assert f"document {document.pk} of source {document.source_id}" in capsys.readouterr().err
    assert document.custody.filter(action=CustodyEvent.Action.ALTERED).exists()


def test_staff_add_a_document_in_the_admin_and_a_wrong_type_is_refused(
    researcher_client, evidence_root, published_source, known_pdf
):
    refused = researcher_client.post(
        "/admin/sources/document/add/",
        {"source": published_source.pk, "file": SimpleUploadedFile("x.pdf", EXE)},
    )
    assert refused.status_code == 200
    assert "whatever its name says" in refused.content.decode()
    added = researcher_client.post(
        "/admin/sources/document/add/",
        {"source": published_source.pk, "title": "Synthetic report",
         "file": SimpleUploadedFile("r.pdf", known_pdf)},
    )  # fmt: skip
    assert added.status_code == 302
    document = Document.objects.get()
    assert document.sha256 == hashlib.sha256(known_pdf).hexdigest()
    assert document.custody.get().user.username == "researcher"


def test_the_original_is_served_to_staff_only_and_each_opening_is_logged(
    researcher_client, document, known_pdf
):
    url = f"/admin/sources/document/{document.pk}/original/"
    assert Client().get(url).status_code == 302  # a reader is sent to the sign-in page
    assert not document.custody.filter(action=CustodyEvent.Action.ORIGINAL_READ).exists()
    response = researcher_client.get(url)
    assert b"".join(response.streaming_content) == known_pdf
    assert document.custody.filter(action=CustodyEvent.Action.ORIGINAL_READ).count() == 1
    page = researcher_client.get(f"/admin/sources/document/{document.pk}/change/")
    assert "evidentiary copy opened" in page.content.decode()


def test_a_change_of_description_is_in_the_custody_log(researcher_client, document):
    response = researcher_client.post(
        f"/admin/sources/document/{document.pk}/change/",
        {"title": "Renamed", "url": document.url, "retrieved": "", "withheld": "on",
         "custody-TOTAL_FORMS": 1, "custody-INITIAL_FORMS": 1},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = document.custody.get(action=CustodyEvent.Action.CHANGED)
    assert "withheld" in entry.detail and "Renamed" in entry.detail


def test_an_image_public_copy_has_no_exif(evidence_root, published_source, client):
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = "Synthetic Photographer (test)"  # Artist
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG", exif=exif)
    from sources.documents import add_document

    document = add_document(source=published_source, fileobj=upload(buffer.getvalue(), "p.jpg"))
    data = b"".join(client.get(document.get_absolute_url()).streaming_content)
    assert b"Synthetic Photographer" in buffer.getvalue()
    assert b"Synthetic Photographer" not in data
    assert Image.open(io.BytesIO(data)).getexif() == {}
