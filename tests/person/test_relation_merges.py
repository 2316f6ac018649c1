"""Merging two records of one person keeps their family relations: each moves to the kept
record (and back when the merge is undone); nothing is lost from the kept page."""

import pytest

from tests.factories import FamilyRelationFactory, VictimFactory
from victims.relations import FamilyRelation
from victims.services import merge_victims, unmerge_victims

pytestmark = pytest.mark.django_db


def test_a_merge_moves_the_relations_to_the_kept_record_and_undoing_moves_them_back(
    reviewer, client
):
    keep, other = VictimFactory(), VictimFactory()
    parent = VictimFactory(name_latin="Testname Parentof")
    relation = FamilyRelationFactory(from_victim=parent, kind="parent", to_victim=other)

    merge_victims(keep=keep, other=other, user=reviewer)

    relation.refresh_from_db()
    assert relation.to_victim == keep
    page = client.get(f"/victims/{keep.ref}/").content.decode()
    assert "Testname Parentof" in page
    assert relation.history.first().history_change_reason.startswith("moved from")

    unmerge_victims(keep=keep, other=other, user=reviewer)

    relation.refresh_from_db()
    assert relation.to_victim == other


def test_a_relation_the_kept_record_already_has_with_that_person_stays_on_the_merged_one(
    reviewer,
):
    keep, other, sibling = VictimFactory(), VictimFactory(), VictimFactory()
    kept = FamilyRelationFactory(from_victim=keep, kind="sibling", to_victim=sibling)
    doubled = FamilyRelationFactory(from_victim=sibling, kind="sibling", to_victim=other)
    between = FamilyRelationFactory(from_victim=keep, kind="sibling", to_victim=other)

    merge_victims(keep=keep, other=other, user=reviewer)

    assert FamilyRelation.objects.of(keep).filter(pk=kept.pk).exists()
    doubled.refresh_from_db()
    between.refresh_from_db()
    assert doubled.to_victim == other  # one relation per pair: the kept record's stands
    assert (between.from_victim, between.to_victim) == (keep, other)
