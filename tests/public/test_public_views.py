"""The one rule for what the public may see of a source and of a citation
(``Source.public_view()``, ``Citation.public_view()``), which every page, dossier, API
answer and export shows."""

import dataclasses
import datetime

from archive.templatetags.archive_tags import source_short
from tests.factories import CitationFactory, SourceFactory, VictimFactory

SECRET = "ZZVIEWSECRET"


def _testimony():
    return SourceFactory(
        kind="testimony",
        title=f"{SECRET} title",
        publisher=f"{SECRET} publisher",
        author=f"{SECRET} author",
        url="https://example.org/zzviewsecret",
        archived_url="https://archive.example.org/zzviewsecret",
        notes=f"{SECRET} notes",
        date=datetime.date(2024, 1, 2),
        is_private=True,
        received_date=datetime.date(2024, 3, 5),
    )


def test_a_private_testimony_is_seen_only_as_one_received_on_a_date(db):
    shown = _testimony().public_view()
    assert shown.private and shown.received_date == datetime.date(2024, 3, 5)
    assert SECRET not in repr(shown) and "zzviewsecret" not in repr(shown)
    assert shown.get_absolute_url() == ""
    assert shown.record() == {"private_testimony_received": "2024-03-05"}


def test_a_citation_of_a_private_testimony_shows_neither_its_words_nor_where_they_stand(db):
    citation = CitationFactory(
        content_object=VictimFactory(), source=_testimony(), quote=f"{SECRET} words",
        locator=f"{SECRET} page", confidence="high",
    )  # fmt: skip
    shown = citation.public_view()
    assert (shown.quote, shown.locator, shown.confidence) == ("", "", "")
    assert SECRET not in repr(shown)
    assert shown.record() == {"private_testimony_received": "2024-03-05", "value": ""}


def test_a_published_source_is_seen_whole_but_for_the_staff_notes(db):
    source = SourceFactory(title="A report", notes=f"{SECRET} notes", received_date=None)
    shown = source.public_view()
    assert not shown.private and shown.title == "A report" and shown.id == source.pk
    assert shown.get_absolute_url() == source.get_absolute_url()
    assert SECRET not in repr(shown)
    assert "notes" not in {f.name for f in dataclasses.fields(shown)}


def test_an_attribution_names_a_private_testimony_only_as_such_whatever_it_is_given(db):
    testimony = _testimony()
    assert source_short(testimony) == "a private testimony"
    assert source_short(testimony.public_view()) == "a private testimony"
