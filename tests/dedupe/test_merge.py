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
        birth_year=1961, prison=evin, cited=False,
    )  # fmt: skip
    other = VictimFactory(
        ref="TEST-OTHER", name_latin="Muhammad Husseini", name_fa="محمد حسینی",
        aliases="M. Hosseini", father_name="علی", birth_year=1960,
        death_date=dt.date(1988, 8, 1), death_date_precision="month", cited=False,
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


def test_merge_records_command_merges_and_undoes(two_records, client, reviewer):
    keep, other = two_records
    call_command("merge_records", "victims", keep.ref, other.ref, "--as", "reviewer", verbosity=0)
    assert client.get(f"/victims/{other.ref}/").status_code == 301
    call_command(
        "merge_records", "victims", keep.ref, other.ref, "--undo", "--as", "reviewer", verbosity=0
    )
    assert client.get(f"/victims/{other.ref}/").status_code == 200


# --- Unreviewed content must not go live -------------------------------------------------


@pytest.fixture
def draft_into_published(db):
    keep = VictimFactory(
        ref="TEST-PUB", name_latin="Reza Karimi", biography="", publication_status="published"
    )
    other = VictimFactory(
        ref="TEST-DRAFT", name_latin="Reza Karimy", biography="An unchecked claim.",
        publication_status="draft",
    )  # fmt: skip
    return keep, other


def test_a_researcher_cannot_merge_a_draft_into_a_published_record(
    draft_into_published, researcher, client
):
    keep, other = draft_into_published

    with pytest.raises(PermissionDenied, match="TEST-PUB is published"):
        merge_victims(keep=keep, other=other, user=researcher)

    keep.refresh_from_db()
    assert keep.biography == ""
    page = client.get(f"/victims/{keep.ref}/")
    assert page.status_code == 200
    assert "unchecked claim" not in page.content.decode()


def test_a_reviewer_merges_a_draft_into_a_published_record(draft_into_published, reviewer):
    keep, other = draft_into_published

    merge_victims(keep=keep, other=other, user=reviewer)

    keep.refresh_from_db()
    assert keep.biography == "An unchecked claim."
    assert keep.history.first().history_user == reviewer


def test_a_researcher_merges_two_drafts(researcher):
    keep = VictimFactory(ref="TEST-D1", name_latin="Reza Karimi", publication_status="draft")
    other = VictimFactory(ref="TEST-D2", name_latin="Reza Karimy", publication_status="draft")

    merge_victims(keep=keep, other=other, user=researcher)

    other.refresh_from_db()
    assert other.merged_into == keep


def test_a_merged_drafts_old_ref_answers_404_not_a_redirect(reviewer, client):
    keep = VictimFactory(ref="TEST-KEPT", name_latin="Reza Karimi")
    other = VictimFactory(ref="TEST-LEAD", name_latin="Reza Karimy", publication_status="draft")

    merge_victims(keep=keep, other=other, user=reviewer)

    assert client.get("/victims/TEST-LEAD/").status_code == 404
    assert client.get("/fa/victims/TEST-LEAD/").status_code == 404
    assert client.get("/api/victims/TEST-LEAD/").status_code == 404
    assert client.get("/victims/TEST-KEPT/").status_code == 200


def test_a_merged_record_once_published_then_withdrawn_still_redirects(reviewer, client):
    keep = VictimFactory(ref="TEST-KEPT", name_latin="Reza Karimi")
    other = VictimFactory(ref="TEST-OLD", name_latin="Reza Karimy", publication_status="draft")
    other.move_to("published", user=reviewer)
    other.move_to("withdrawn", user=reviewer)

    merge_victims(keep=keep, other=other, user=reviewer)

    assert client.get("/victims/TEST-OLD/").status_code == 301


def test_merge_records_from_a_terminal_merges_a_plain_pair_of_drafts(db, capsys):
    VictimFactory(ref="TEST-D1", name_latin="Reza Karimi", publication_status="draft")
    VictimFactory(ref="TEST-D2", name_latin="Reza Karimy", publication_status="draft")

    call_command("merge_records", "victims", "TEST-D1", "TEST-D2")

    assert "TEST-D2 merged into TEST-D1" in capsys.readouterr().out
    assert Victim.objects.get(ref="TEST-D2").merged_into.ref == "TEST-D1"
    assert MergeRecord.objects.get().merged_by is None


def test_merge_records_from_a_terminal_asks_for_a_reviewer_when_a_record_is_published(
    draft_into_published,
):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("merge_records", "victims", "TEST-PUB", "TEST-DRAFT")

    assert "TEST-PUB is published" in str(refused.value)
    assert "--as" in str(refused.value)
    assert Victim.objects.get(ref="TEST-DRAFT").merged_into is None


def test_merge_records_as_a_researcher_is_refused_for_a_published_record(
    draft_into_published, researcher
):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="TEST-PUB is published"):
        call_command("merge_records", "victims", "TEST-PUB", "TEST-DRAFT", "--as", "researcher")


def test_merge_records_as_a_reviewer_names_them_in_the_history(draft_into_published, reviewer):
    call_command("merge_records", "victims", "TEST-PUB", "TEST-DRAFT", "--as", "reviewer")

    assert Victim.objects.get(ref="TEST-PUB").history.first().history_user == reviewer
    assert MergeRecord.objects.get().merged_by == reviewer


def test_a_merge_error_names_the_record_and_its_field(db):
    from django.core.management.base import CommandError

    VictimFactory(ref="TEST-D1", name_latin="Reza Karimi", birth_year=1970,
                  publication_status="draft")  # fmt: skip
    VictimFactory(ref="TEST-D2", name_latin="Reza Karimy", death_date=dt.date(1960, 1, 1),
                  death_date_precision="year", publication_status="draft")  # fmt: skip

    with pytest.raises(CommandError) as refused:
        call_command("merge_records", "victims", "TEST-D1", "TEST-D2")

    assert "kept record TEST-D1, date of death (death_date): The date of death is before" in str(
        refused.value
    )


def test_an_account_in_no_group_can_merge_nothing(nobody_client):
    from django.core.management.base import CommandError

    client = nobody_client
    keep = VictimFactory(ref="TEST-D1", name_latin="Reza Karimi", publication_status="draft")
    other = VictimFactory(ref="TEST-D2", name_latin="Reza Karimy", publication_status="draft")

    page = client.get(f"/admin/victims/victim/merge/?keep={keep.pk}&other={other.pk}")
    posted = client.post("/admin/victims/victim/merge/", {"keep": keep.pk, "other": other.pk})
    with pytest.raises(CommandError, match="not allowed to merge"):
        call_command("merge_records", "victims", "TEST-D1", "TEST-D2", "--as", "nobody")

    assert page.status_code == posted.status_code == 403
    assert Victim.objects.get(ref="TEST-D2").merged_into is None


def test_a_researcher_cannot_undo_a_merge_into_a_published_record(
    draft_into_published, reviewer, researcher
):
    keep, other = draft_into_published
    merge_victims(keep=keep, other=other, user=reviewer)

    with pytest.raises(PermissionDenied, match="TEST-PUB is published"):
        unmerge_victims(keep=keep, other=other, user=researcher)

    keep.refresh_from_db()
    assert keep.biography == "An unchecked claim."  # still the reviewer's merge


def test_a_spelling_that_becomes_an_alias_keeps_its_sources_and_lends_none_to_the_kept_name(
    reviewer, client
):
    # Two synthetic lists each give the person a different spelling; merged, the other
    # list's spelling becomes an alias. Its footnote must follow it there: it never
    # vouches for the kept name, which that list did not give, and the alias is not
    # shown uncited. Undo puts the citation back as it was.
    from archive.core import provenance

    keep = VictimFactory(ref="TEST-KEEP", name_latin="Testname Walkpour", name_fa="")
    other = VictimFactory(ref="TEST-OTHER", name_latin="Testname Walkzadeh", name_fa="")
    given = CitationFactory(content_object=other, claim="name_latin", locator="row 3")

    merge_victims(keep=keep, other=other, user=reviewer)

    keep.refresh_from_db()
    given.refresh_from_db()
    assert keep.alias_list() == ["Testname Walkzadeh"]
    assert (given.object_id, given.claim) == (keep.pk, "aliases")
    assert provenance.gaps(keep, list(keep.citations.select_related("source"))) == []
    page = client.get(f"/victims/{keep.ref}/").content.decode()
    aliases_row = page[page.index("Other spellings and aliases") :].split("</div>")[0]
    assert "Testname Walkzadeh" in aliases_row and '<sup class="fn">' in aliases_row

    unmerge_victims(keep=keep, other=other, user=reviewer)

    given.refresh_from_db()
    assert (given.object_id, given.claim) == (other.pk, "name_latin")
