"""The publication workflow: what the public sees, who may publish, what may be deleted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models.deletion import ProtectedError

from archive.models import Event, PublicationStatus, WorkflowError
from perpetrators.models import Commission, Perpetrator
from sources.models import Source
from tests.factories import (
    CommissionFactory,
    EventFactory,
    PerpetratorFactory,
    SourceFactory,
    VictimFactory,
)
from victims.models import Victim

pytestmark = pytest.mark.django_db

RECORD_TYPES = [
    (Victim, VictimFactory),
    (Perpetrator, PerpetratorFactory),
    (Source, SourceFactory),
    (Event, EventFactory),
    (Commission, CommissionFactory),
]


@pytest.mark.parametrize(("model", "factory"), RECORD_TYPES)
def test_published_hides_every_other_status(model, factory):
    shown = factory(publication_status=PublicationStatus.PUBLISHED)
    for status in ("draft", "in_review", "withdrawn"):
        factory(publication_status=status)
    assert list(model.objects.published()) == [shown]


def test_researcher_sends_a_draft_for_review_but_cannot_publish(researcher):
    victim = VictimFactory(publication_status="draft")
    victim.send_for_review(user=researcher)
    victim.refresh_from_db()
    assert victim.publication_status == "in_review"
    with pytest.raises(PermissionDenied):
        victim.publish(user=researcher)
    victim.refresh_from_db()
    assert victim.publication_status == "in_review"


def test_reviewer_publishes_and_withdraws(reviewer):
    victim = VictimFactory(publication_status="in_review")
    victim.publish(user=reviewer)
    victim.refresh_from_db()
    assert victim.is_published and victim.published_at is not None
    victim.withdraw(user=reviewer, reason="Source retracted")
    victim.refresh_from_db()
    assert victim.publication_status == "withdrawn"
    assert victim.history.first().history_change_reason == "Source retracted"
    assert victim.history.first().history_user == reviewer


def test_withdrawing_a_draft_is_refused_with_a_reason(reviewer):
    victim = VictimFactory(publication_status="draft")
    with pytest.raises(WorkflowError, match="cannot become withdrawn"):
        victim.withdraw(user=reviewer)


def test_published_record_refuses_deletion():
    victim = VictimFactory(publication_status="published")
    with pytest.raises(ProtectedError):
        victim.delete()
    with pytest.raises(ProtectedError):
        Victim.objects.filter(pk=victim.pk).delete()
    assert Victim.objects.filter(pk=victim.pk).exists()


def test_draft_can_be_deleted():
    victim = VictimFactory(publication_status="draft")
    victim.delete()
    assert not Victim.objects.filter(pk=victim.pk).exists()


def test_admin_offers_no_delete_for_a_published_record(reviewer_client):
    victim = VictimFactory(publication_status="published")
    response = reviewer_client.get(f"/admin/victims/victim/{victim.pk}/delete/")
    assert response.status_code == 403
    assert Victim.objects.filter(pk=victim.pk).exists()


def test_researcher_cannot_publish_through_the_admin_action(researcher_client):
    victim = VictimFactory(publication_status="in_review")
    response = researcher_client.post(
        "/admin/victims/victim/",
        {"action": "publish", "_selected_action": [victim.pk]},
        follow=True,
    )
    assert response.status_code == 200
    victim.refresh_from_db()
    assert victim.publication_status == "in_review"


def test_reviewer_publishes_through_the_admin_action(reviewer_client):
    victim = VictimFactory(publication_status="in_review")
    response = reviewer_client.post(
        "/admin/victims/victim/",
        {"action": "publish", "_selected_action": [victim.pk]},
        follow=True,
    )
    assert "1 record published" in response.content.decode()
    victim.refresh_from_db()
    assert victim.is_published


def test_researcher_cannot_publish_by_editing_the_status(researcher_client):
    victim = VictimFactory(publication_status="draft", name_latin="Draft Person")
    page = researcher_client.get(f"/admin/victims/victim/{victim.pk}/change/")
    assert 'name="publication_status"' not in page.content.decode()
