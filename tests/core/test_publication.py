"""The publication workflow: what the public sees, who may publish, what may be deleted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models.deletion import ProtectedError

from archive.core.models import Event, PublicationStatus, WorkflowError
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
    assert page.status_code == 200
    assert 'name="name_latin"' in page.content.decode()  # the draft is open to edit
    assert 'name="publication_status"' not in page.content.decode()


# --- Edits of a published record: only by those who may publish it ---------------------------


def test_a_staff_account_in_no_group_cannot_open_or_change_a_record(nobody_client):
    victim = VictimFactory(publication_status="draft")
    nobody = nobody_client

    assert nobody.get(f"/admin/victims/victim/{victim.pk}/change/").status_code == 403
    assert nobody.post(f"/admin/victims/victim/{victim.pk}/change/", {}).status_code == 403


def test_a_researcher_sees_a_published_record_read_only_with_who_can_change_it(
    researcher_client, reviewer
):
    victim = VictimFactory(publication_status="published", name_latin="Public Person")

    page = researcher_client.get(f"/admin/victims/victim/{victim.pk}/change/")

    html = " ".join(page.content.decode().split())
    assert page.status_code == 200
    assert 'name="name_latin"' not in html
    assert 'name="biography"' not in html
    assert "is published: what it says is public at once, so only a reviewer" in html
    assert "Reviewers who can change it: reviewer" in html


def test_a_researcher_cannot_change_a_published_record_by_posting_the_form(
    researcher_client, reviewer
):
    from django.test import Client

    from tests.admin_forms import form_data
    from tests.conftest import signed_in

    victim = VictimFactory(publication_status="published", biography="Checked.")
    url = f"/admin/victims/victim/{victim.pk}/change/"
    as_reviewer = signed_in(Client(), reviewer)
    data = form_data(as_reviewer.get(url), biography="Unchecked and public at once.")

    response = researcher_client.post(url, data)

    assert response.status_code == 403
    victim.refresh_from_db()
    assert victim.biography == "Checked."


def test_a_reviewer_changes_a_published_record(reviewer_client, reviewer):
    from tests.admin_forms import form_data

    victim = VictimFactory(publication_status="published", biography="Checked.")
    url = f"/admin/victims/victim/{victim.pk}/change/"

    reviewer_client.post(url, form_data(reviewer_client.get(url), biography="Corrected."))

    victim.refresh_from_db()
    assert victim.biography == "Corrected."
    assert victim.history.first().history_user == reviewer


def test_a_researcher_still_edits_drafts(researcher_client):
    from tests.admin_forms import form_data

    victim = VictimFactory(publication_status="draft", biography="First go.")
    url = f"/admin/victims/victim/{victim.pk}/change/"

    researcher_client.post(url, form_data(researcher_client.get(url), biography="Second go."))

    victim.refresh_from_db()
    assert victim.biography == "Second go."


def test_a_researcher_cannot_revert_a_published_record_from_its_history(researcher_client):
    victim = VictimFactory(publication_status="draft", biography="Old unchecked text.")
    victim.biography = "Checked text."
    victim.publication_status = "published"
    victim.save()
    old = victim.history.order_by("history_id").first()
    url = f"/admin/victims/victim/{victim.pk}/history/{old.history_id}/"

    response = researcher_client.post(url, {"name_latin": victim.name_latin})

    assert response.status_code == 403
    victim.refresh_from_db()
    assert (victim.biography, victim.publication_status) == ("Checked text.", "published")


def test_a_revert_never_changes_the_status(reviewer_client):
    from tests.admin_forms import form_data

    victim = VictimFactory(publication_status="draft", biography="Old text.")
    victim.publication_status = "published"
    victim.biography = "New text."
    victim.save()
    old = victim.history.order_by("history_id").first()
    url = f"/admin/victims/victim/{victim.pk}/history/{old.history_id}/"

    reviewer_client.post(url, form_data(reviewer_client.get(url)))

    victim.refresh_from_db()
    assert (victim.biography, victim.publication_status) == ("Old text.", "published")


def test_a_researcher_cannot_cite_a_new_source_on_a_published_record(researcher_client):
    from django.contrib.contenttypes.models import ContentType

    from sources.models import Citation

    victim = VictimFactory(publication_status="published")
    source = SourceFactory()

    response = researcher_client.post(
        "/admin/sources/citation/add/",
        {
            "source": source.pk,
            "content_type": ContentType.objects.get_for_model(Victim).pk,
            "object_id": victim.pk,
            "claim": "general",
            "confidence": "medium",
        },
    )

    assert response.status_code == 200
    assert "is published" in response.content.decode()
    assert not Citation.objects.filter(source=source).exists()


def test_a_researcher_sees_a_published_perpetrators_position_read_only(researcher_client):
    from tests.factories import PositionFactory

    position = PositionFactory(
        perpetrator=PerpetratorFactory(publication_status="published"), title_en="Locked post"
    )
    draft = PositionFactory(perpetrator=PerpetratorFactory(publication_status="draft"))

    locked = researcher_client.get(f"/admin/perpetrators/position/{position.pk}/change/")
    open_ = researcher_client.get(f"/admin/perpetrators/position/{draft.pk}/change/")

    assert locked.status_code == open_.status_code == 200
    assert "Locked post" in locked.content.decode()  # shown, to read
    assert 'name="title_en"' not in locked.content.decode()
    assert 'name="title_en"' in open_.content.decode()
    post = researcher_client.post(f"/admin/perpetrators/position/{position.pk}/change/", {})
    assert post.status_code == 403
