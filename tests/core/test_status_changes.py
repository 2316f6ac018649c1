"""Every change of a record's status follows the one workflow (``Publishable.check_move``
and ``TRANSITIONS``), a merge and its undoing included, and the history says who made the
change and why (the imports: tests/imports/test_import_workflow.py)."""

import pytest
from django.core.exceptions import PermissionDenied

from archive.core.groups import CommandLine
from tests.factories import VictimFactory
from victims.models import Victim
from victims.services import merge_victims, unmerge_victims

pytestmark = pytest.mark.django_db


def test_the_command_line_sends_a_draft_for_review_and_the_history_names_no_account():
    victim = VictimFactory(publication_status="draft")

    victim.move_to("in_review", user=CommandLine(), reason="checked against the list")

    entry = Victim.objects.get(pk=victim.pk).history.first()
    assert (entry.publication_status, entry.history_user) == ("in_review", None)
    assert entry.history_change_reason == "checked against the list"


def test_a_merge_retires_a_draft_and_its_undoing_brings_the_draft_back(researcher):
    keep = VictimFactory(ref="T-KEEP", name_latin="Test Person", publication_status="draft")
    other = VictimFactory(ref="T-OTHER", name_latin="Test Persson", publication_status="draft")

    merge_victims(keep=keep, other=other, user=researcher)

    entry = Victim.objects.get(pk=other.pk).history.first()
    assert (entry.publication_status, entry.history_user) == ("withdrawn", researcher)
    assert entry.history_change_reason == "merged into T-KEEP"

    unmerge_victims(keep=keep, other=other, user=researcher)

    entry = Victim.objects.get(pk=other.pk).history.first()
    assert (entry.publication_status, entry.history_user) == ("draft", researcher)
    assert entry.history_change_reason == "merge into T-KEEP undone"


def test_undoing_a_merge_that_would_publish_again_needs_a_reviewer(reviewer, researcher):
    keep = VictimFactory(ref="T-KEEP", name_latin="Test Person", publication_status="draft")
    other = VictimFactory(ref="T-OTHER", name_latin="Test Persson", publication_status="published")
    merge_victims(keep=keep, other=other, user=reviewer)
    Victim.objects.filter(pk=other.pk).update(merged_into=None)  # no longer locked by a merge

    with pytest.raises(PermissionDenied, match="publishes T-OTHER again"):
        unmerge_victims(keep=keep, other=other, user=researcher)


def test_a_researcher_withdraws_a_published_record_neither_in_the_admin_nor_by_a_merge(
    researcher, researcher_client
):
    keep = VictimFactory(ref="T-KEEP", name_latin="Test Person", publication_status="draft")
    other = VictimFactory(ref="T-OTHER", name_latin="Test Persson", publication_status="published")

    researcher_client.post(
        "/admin/victims/victim/", {"action": "withdraw", "_selected_action": [other.pk]}
    )
    with pytest.raises(PermissionDenied, match="withdraws it, which only a reviewer may do"):
        merge_victims(keep=keep, other=other, user=researcher)
    with pytest.raises(PermissionDenied, match="not allowed to make this record withdrawn"):
        other.retire(user=researcher, reason="merged")

    assert Victim.objects.get(pk=other.pk).publication_status == "published"
