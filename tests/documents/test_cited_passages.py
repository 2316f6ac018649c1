"""A citation's locator opens the passage: "p. 2" the page with the quote marked, "03:15"
the recording at that time."""

import pytest

from sources.evidence import read_locator
from tests.documents.conftest import PHRASE
from tests.factories import CitationFactory, VictimFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("locator", "read"),
    [
        ("p. 12", ("page", 12)), ("pp. 12-13", ("page", 12)), ("page 3", ("page", 3)),
        ("ص ۱۲", ("page", 12)), ("03:15", ("time", 195)), ("1:03:15", ("time", 3795)),
        ("fn. 4", None), ("section 'The 1988 Massacre'", None), ("", None),
    ],
)  # fmt: skip
def test_locators_are_read_as_a_page_or_a_time(locator, read):
    assert read_locator(locator) == read


def test_a_page_locator_on_a_record_page_links_to_the_page_with_the_quote(client, document):
    victim = VictimFactory()
    citation = CitationFactory(
        content_object=victim, source=document.source, locator="p. 2", quote=PHRASE
    )
    page = client.get(victim.get_absolute_url()).content.decode()
    link = f'href="{document.page_url(2)}?c={citation.pk}#passage"'
    assert link in page
    persian = client.get(f"/fa{victim.get_absolute_url()}").content.decode()
    assert f'href="/fa/sources/{document.source_id}/documents/{document.pk}/pages/2/?c=' in persian


def test_a_page_beyond_the_document_is_not_linked(client, document):
    victim = VictimFactory()
    CitationFactory(content_object=victim, source=document.source, locator="p. 40")
    page = client.get(victim.get_absolute_url()).content.decode()
    assert "/pages/40/" not in page and "p. 40" in page


def test_a_quote_of_a_draft_record_is_not_marked(client, document):
    victim = VictimFactory(publication_status="draft")
    citation = CitationFactory(
        content_object=victim, source=document.source, locator="p. 2", quote=PHRASE
    )
    page = client.get(document.page_url(2), {"c": citation.pk}).content.decode()
    assert '<rect class="highlight"' not in page


def test_a_timestamp_opens_the_recording_at_that_time(client, evidence_root, published_source):
    from sources.documents import add_document
    from tests.documents.conftest import upload

    recording = _mp3_with_a_tag()
    document = add_document(source=published_source, fileobj=upload(recording, "a.mp3"))
    assert document.kind == "audio" and document.public_copy
    served = b"".join(client.get(document.get_absolute_url()).streaming_content)
    assert b"Synthetic Singer" in recording and b"Synthetic Singer" not in served
    victim = VictimFactory()
    CitationFactory(content_object=victim, source=published_source, locator="03:15")
    page = client.get(victim.get_absolute_url()).content.decode()
    assert f'href="{document.get_absolute_url()}#t=195"' in page


def _mp3_with_a_tag(tmp_path_factory=None) -> bytes:
    """A synthetic MP3 (silent frames) whose ID3 tag names a performer."""
    import tempfile
    from pathlib import Path

    from mutagen.id3 import ID3, TPE1

    frame = b"\xff\xfb\x90\x00" + b"\x00" * 413  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.mp3"
        path.write_bytes(frame * 40)
        tags = ID3()
        tags.add(TPE1(encoding=3, text="Synthetic Singer"))
        tags.save(path)
        return path.read_bytes()
