"""Deleting a citation on its own admin page (or several from the citations list) is
refused when it would leave a fact of a published page without a published source: the
same gate as the citations under a record."""

import datetime

import pytest

from sources.models import Citation
from tests.factories import CitationFactory, SourceFactory, VictimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_victim():
    """A synthetic published victim whose date of death one citation alone supports."""
    return VictimFactory(
        ref="TEST-DELETE-CITATION",
        name_latin="Testname Deletion",
        death_date=datetime.date(1988, 8, 1),
        death_date_precision="month",
    )


def only_date_citation(victim) -> Citation:
    return Citation.objects.for_object(victim).get(claim="death_date")


def test_deleting_the_only_citation_of_a_published_fact_is_refused_with_the_fact_named(
    reviewer_client, published_victim
):
    citation = only_date_citation(published_victim)
    url = f"/admin/sources/citation/{citation.pk}/delete/"

    page = reviewer_client.get(url).content.decode()
    reviewer_client.post(url, {"post": "yes"})

    assert Citation.objects.filter(pk=citation.pk).exists()
    assert "This citation stays" in page
    assert "Date of death: no citation" in page
    assert "Yes, I’m sure" not in page


def test_a_bulk_delete_of_citations_is_refused_for_the_facts_it_would_leave_uncited(
    reviewer_client, published_victim
):
    citations = Citation.objects.for_object(published_victim)
    ids = [str(pk) for pk in citations.values_list("pk", flat=True)]

    page = reviewer_client.post(
        "/admin/sources/citation/",
        {"action": "delete_selected", "_selected_action": ids},
    ).content.decode()
    reviewer_client.post(
        "/admin/sources/citation/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert citations.count() == len(ids)
    assert "These citations stay" in page
    assert "Testname Deletion" in page
    assert "Date of death: no citation" in page


def test_a_citation_another_published_source_duplicates_can_be_deleted(
    reviewer_client, published_victim
):
    second = CitationFactory(
        content_object=published_victim, claim="death_date", source=SourceFactory()
    )
    first = (
        Citation.objects.for_object(published_victim)
        .filter(claim="death_date")
        .exclude(pk=second.pk)
        .get()
    )

    reviewer_client.post(f"/admin/sources/citation/{first.pk}/delete/", {"post": "yes"})

    assert not Citation.objects.filter(pk=first.pk).exists()
    assert Citation.objects.filter(pk=second.pk).exists()


def test_a_citation_of_a_draft_record_can_be_deleted(reviewer_client):
    draft = VictimFactory(publication_status="draft", death_date=datetime.date(1988, 8, 1))
    citation = only_date_citation(draft)

    reviewer_client.post(f"/admin/sources/citation/{citation.pk}/delete/", {"post": "yes"})

    assert not Citation.objects.filter(pk=citation.pk).exists()
