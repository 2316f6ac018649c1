"""Merging two records of one person: nothing lost, old links kept, and undo."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from sources.models import Citation
from tests.factories import CitationFactory, PlaceFactory, SubmissionFactory, VictimFactory
from victims.models import DuplicatePair, MergeRecord, Victim
from victims.services import MergeError, merge_victims, unmerge_victims


@pytest.fixture
def two_records(db):
    evin = PlaceFactory(name_en="Evin")
    keep = VictimFactory(
        ref="TEST-KEEP", name_latin="Mohammad Hosseini", name_fa="", father_name="Ali",
        birth_year=1961, prison=evin,
    )  # fmt: skip
    other = VictimFactory(
        ref="TEST-OTHER", name_latin="Muhammad Husseini", name_fa="محمد حسینی",
        aliases="M. Hosseini", father_name="علی", birth_year=1960,
        death_date=dt.date(1988, 8, 1), death_date_precision="month",
    )  # fmt: skip
    CitationFactory(content_object=keep, claim="birth_year")
    CitationFactory(content_object=other, claim="birth_year")
    CitationFactory(content_object=other, claim="death_date")
    return keep, other


def _citations(victim):
    return set(Citation.objects.for_object(victim).values_list("pk", flat=True))


def test_merge_loses_no_citation_and_keeps_every_spelling(two_records, reviewer):
    keep, other = two_records
    all_citations = _citations(keep) | _citations(other)
    submission = SubmissionFactory(victim=other)

    merge_victims(keep=keep, other=other, user=reviewer)

    keep.refresh_from_db()
    other.refresh_from_db()
    assert _citations(keep) == all_citations
    assert _citations(other) == set()
    assert keep.name_fa == "محمد حسینی"  # a blank script is filled
    assert "Muhammad Husseini" in keep.alias_list()
    assert "M. Hosseini" in keep.alias_list()
    assert keep.death_date == dt.date(1988, 8, 1)  # a fact it lacked
    assert keep.birth_year == 1961  # a conflict keeps the kept record's value by default
    submission.refresh_from_db()
    assert submission.victim == keep
    assert other.publication_status == "withdrawn"
    assert other.merged_into == keep
    assert Victim.objects.filter(pk=other.pk).exists()  # never deleted
    record = MergeRecord.objects.get()
    assert record.conflicts["birth_year"]["other"] == "1960"
    assert "father_name" not in record.conflicts  # Ali and علی are one name
    assert "birth_year=1960" in keep.history.first().history_change_reason


def test_a_conflict_can_be_settled_for_the_other_records_value(two_records, reviewer):
    keep, other = two_records
    merge_victims(keep=keep, other=other, user=reviewer, choices={"birth_year": "other"})
    keep.refresh_from_db()
    assert keep.birth_year == 1960
    # both birth-year citations stay, on the kept record
    assert Citation.objects.for_object(keep).filter(claim="birth_year").count() == 2


def test_a_researcher_cannot_withdraw_a_published_record_by_merging(two_records, researcher):
    keep, other = two_records
    with pytest.raises(PermissionDenied):
        merge_victims(keep=keep, other=other, user=researcher)
    other.refresh_from_db()
    assert other.merged_into is None


def test_a_record_cannot_be_merged_twice(two_records, reviewer):
    keep, other = two_records
    merge_victims(keep=keep, other=other, user=reviewer)
    with pytest.raises(MergeError):
        merge_victims(keep=keep, other=other, user=reviewer)


def test_old_page_of_a_merged_record_redirects_permanently(two_records, reviewer, client):
    keep, other = two_records
    merge_victims(keep=keep, other=other, user=reviewer)
    response = client.get(f"/victims/{other.ref}/")
    assert response.status_code == 301
    assert response["Location"] == f"/victims/{keep.ref}/"
    response = client.get(f"/fa/victims/{other.ref}/")
    assert response.status_code == 301
    assert response["Location"] == f"/fa/victims/{keep.ref}/"


def test_old_api_address_of_a_merged_record_redirects_permanently(two_records, reviewer, client):
    keep, other = two_records
    merge_victims(keep=keep, other=other, user=reviewer)
    response = client.get(f"/api/victims/{other.ref}/")
    assert response.status_code == 301
    assert response["Location"] == f"/api/victims/{keep.ref}/"
    assert client.get(response["Location"]).json()["ref"] == keep.ref


def test_a_merge_into_an_unpublished_record_does_not_reveal_it(two_records, reviewer, client):
    keep, other = two_records
    Victim.objects.filter(pk=keep.pk).update(publication_status="draft")
    merge_victims(keep=keep, other=other, user=reviewer)
    assert client.get(f"/victims/{other.ref}/").status_code == 404
    assert client.get(f"/api/victims/{other.ref}/").status_code == 404


def test_undo_restores_both_records_and_their_citations(two_records, reviewer, client):
    keep, other = two_records
    keep_citations, other_citations = _citations(keep), _citations(other)
    submission = SubmissionFactory(victim=other)
    pair = DuplicatePair.objects.create(victim_a=keep, victim_b=other, score=0.9)

    merge_victims(keep=keep, other=other, user=reviewer)
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.SAME
    unmerge_victims(keep=keep, other=other, user=reviewer)

    keep.refresh_from_db()
    other.refresh_from_db()
    assert _citations(keep) == keep_citations
    assert _citations(other) == other_citations
    assert other.publication_status == "published"
    assert other.merged_into is None
    assert other.name_latin == "Muhammad Husseini"
    assert keep.name_fa == ""
    assert keep.aliases == ""
    assert keep.death_date is None
    submission.refresh_from_db()
    assert submission.victim == other
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.PROPOSED
    assert client.get(f"/victims/{other.ref}/").status_code == 200
    assert MergeRecord.objects.get().undone_at is not None


def test_merge_records_command_merges_and_undoes(two_records, client):
    keep, other = two_records
    call_command("merge_records", "victims", keep.ref, other.ref, verbosity=0)
    assert client.get(f"/victims/{other.ref}/").status_code == 301
    call_command("merge_records", "victims", keep.ref, other.ref, "--undo", verbosity=0)
    assert client.get(f"/victims/{other.ref}/").status_code == 200
