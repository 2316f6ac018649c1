"""A document whose derived files cannot all be made is not kept, and leaves no file
behind: not the original, not the public copy, not the page images already written."""

import pytest

from sources import evidence
from sources.documents import Document, Refused, add_document
from tests.documents.conftest import upload

pytestmark = pytest.mark.django_db


def files_under(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_pdf_whose_third_page_cannot_be_rendered_leaves_nothing_behind(
    evidence_root, published_source, known_pdf, monkeypatch
):
    rendered = []
    render = evidence.render_page

    def fails_on_the_third_page(page, *, width):
        rendered.append(page)
        if len(rendered) == 3:
            raise evidence.DocumentError("bad_pdf")
        return render(page, width=width)

    monkeypatch.setattr(evidence, "render_page", fails_on_the_third_page)
    with pytest.raises(Refused, match="cannot be read"):
        add_document(source=published_source, fileobj=upload(known_pdf))
    assert len(rendered) == 3  # two page images were written before it failed
    assert files_under(evidence_root) == []
    assert not Document.objects.exists()


def test_an_unexpected_failure_partway_also_removes_the_page_images(
    evidence_root, published_source, known_pdf, monkeypatch
):
    render = evidence.render_page
    calls = []

    def breaks(page, *, width):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("No space left on device (simulated)")
        return render(page, width=width)

    monkeypatch.setattr(evidence, "render_page", breaks)
    with pytest.raises(OSError):
        add_document(source=published_source, fileobj=upload(known_pdf))
    assert files_under(evidence_root) == []
