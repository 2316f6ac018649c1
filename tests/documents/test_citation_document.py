"""A citation may name which of its source's documents holds the passage: its locator
then opens that document's page, never another source's document."""

import pytest
from django.core.exceptions import ValidationError

from sources.documents import add_document
from tests.documents.conftest import PHRASE, upload
from tests.factories import CitationFactory, SourceFactory, VictimFactory

pytestmark = pytest.mark.django_db

APPENDIX = "Appendix, page one (synthetic).\fAppendix, page two: the list of names (synthetic)."


@pytest.fixture
def appendix(document):
    """A second document of the same source: a two-page text."""
    return add_document(
        source=document.source, fileobj=upload(APPENDIX.encode(), "appendix.txt"),
        title="Appendix (synthetic)",
    )  # fmt: skip


def test_a_citation_naming_a_document_links_its_page_in_that_document(client, document, appendix):
    victim = VictimFactory()
    named = CitationFactory(
        content_object=victim, source=document.source, locator="p. 2", document=appendix
    )
    CitationFactory(content_object=victim, source=document.source, locator="p. 3", quote=PHRASE)
    page = client.get(victim.get_absolute_url()).content.decode()
    assert f'href="{appendix.page_url(2)}?c={named.pk}#passage"' in page
    assert f'href="{document.page_url(2)}' not in page
    # Without a document named, "p. 3" goes to the source's first document with pages.
    assert f'href="{document.page_url(3)}' in page


def test_a_withheld_document_named_by_a_citation_is_no_link(client, document, appendix):
    appendix.withheld = True
    appendix.save()
    victim = VictimFactory()
    CitationFactory(
        content_object=victim, source=document.source, locator="p. 2", document=appendix
    )
    page = client.get(victim.get_absolute_url()).content.decode()
    assert "/pages/2/" not in page and "p. 2" in page


def test_a_citation_cannot_name_another_sources_document(document):
    citation = CitationFactory(
        content_object=VictimFactory(), source=SourceFactory(), document=document
    )
    with pytest.raises(ValidationError) as refused:
        citation.full_clean()
    assert "document" in refused.value.message_dict


def test_the_citations_inline_offers_only_the_sources_documents(
    researcher_client, document, appendix, evidence_root
):
    other = add_document(
        source=SourceFactory(), fileobj=upload(b"Another source's text (synthetic).", "o.txt")
    )
    victim = VictimFactory(publication_status="draft")
    CitationFactory(content_object=victim, source=document.source, locator="p. 2")
    page = researcher_client.get(f"/admin/victims/victim/{victim.pk}/change/").content.decode()
    assert f'<option value="{appendix.pk}">' in page
    assert f'<option value="{document.pk}">' in page
    assert f'<option value="{other.pk}">' not in page
