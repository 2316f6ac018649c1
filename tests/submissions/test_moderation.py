"""The moderation queue: staff read submissions in the admin, see the pictures through a
permission-checked view, and turn a submission into draft records in one step."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from sources.models import Citation, Source
from tests.conftest import signed_in
from tests.factories import SubmissionFactory, VictimFactory
from tests.submissions.conftest import jpeg_with_exif
from victims.attachments import clean_image
from victims.models import Submission, SubmissionAttachment, Victim
from victims.services import create_victim_draft_from_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment():
    image = clean_image(io.BytesIO(jpeg_with_exif()))
    item = SubmissionAttachment(
        submission=SubmissionFactory(), content_type=image.content_type, size=len(image.data),
        width=image.width, height=image.height, sha256=image.sha256,
    )  # fmt: skip
    item.file.save("0123abcd.jpg", ContentFile(image.data), save=False)
    item.save()
    return item


def download_url(attachment, **query):
    url = reverse("admin:victims_submissionattachment_download", args=[attachment.pk])
    return url + ("?thumbnail=1" if query.get("thumbnail") else "")


def test_an_anonymous_visitor_cannot_download_an_attachment(client, attachment):
    response = client.get(download_url(attachment))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_permission_cannot_download_an_attachment(nobody_client, attachment):
    response = nobody_client.get(download_url(attachment))
    assert response.status_code == 403


def test_a_researcher_downloads_the_cleaned_picture(researcher_client, attachment):
    response = researcher_client.get(download_url(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body == attachment.file.open("rb").read()
    assert dict(Image.open(io.BytesIO(body)).getexif()) == {}


def test_a_thumbnail_is_served_through_the_same_check(researcher_client, attachment):
    assert Client().get(download_url(attachment, thumbnail=True)).status_code == 302
    response = researcher_client.get(download_url(attachment, thumbnail=True))
    assert response.status_code == 200
    assert max(Image.open(io.BytesIO(response.content)).size) <= 240


def test_a_stored_attachment_has_no_public_url(attachment):
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


def test_deleting_a_submission_deletes_its_files(attachment, private_media):
    path = private_media / attachment.file.name
    assert path.exists()
    attachment.submission.delete()
    assert not path.exists()


def test_the_queue_lists_filters_and_searches_submissions(researcher_client, attachment):
    SubmissionFactory(name_latin="Testname Findme", status="declined")
    url = reverse("admin:victims_submission_changelist")
    assert researcher_client.get(url).status_code == 200
    found = researcher_client.get(url, {"q": "Findme"})
    assert "Testname Findme" in found.content.decode()
    declined = researcher_client.get(url, {"status__exact": "declined"}).content.decode()
    assert "Testname Findme" in declined
    assert attachment.submission.name_latin not in declined


def test_the_submission_page_shows_thumbnails_through_the_staff_view(researcher_client, attachment):
    url = reverse("admin:victims_submission_change", args=[attachment.submission.pk])
    page = researcher_client.get(url).content.decode()
    assert f'src="{download_url(attachment)}?thumbnail=1"' in page


def test_contact_details_are_shown_only_to_staff_allowed_to_see_them(researcher_client, reviewer):
    reviewer_client = signed_in(Client(), reviewer)
    submission = SubmissionFactory(contact="test-contact@example.org")
    url = reverse("admin:victims_submission_change", args=[submission.pk])
    assert "test-contact@example.org" not in researcher_client.get(url).content.decode()
    assert "given, hidden" in researcher_client.get(url).content.decode()
    assert "test-contact@example.org" in reviewer_client.get(url).content.decode()


def test_researchers_and_reviewers_have_the_queue_permissions(researcher, reviewer):
    for user in (researcher, reviewer):
        assert user.has_perm("victims.view_submission")
        assert user.has_perm("victims.change_submission")
        assert user.has_perm("victims.view_submissionattachment")
    assert not researcher.has_perm("victims.view_submission_contact")
    assert reviewer.has_perm("victims.view_submission_contact")


def test_the_admin_action_makes_a_draft_victim_with_a_private_source_and_citations(
    researcher_client, researcher
):
    submission = SubmissionFactory(name_latin="Testname Newperson", birth_year=1961, gender="")
    url = reverse("admin:victims_submission_changelist")
    response = researcher_client.post(
        url, {"action": "create_draft_victim", "_selected_action": [submission.pk]}
    )
    assert response.status_code == 302

    victim = Victim.objects.get(name_latin="Testname Newperson")
    assert victim.publication_status == "draft"
    assert not victim.ref.startswith("SUB")  # the ref does not say a family wrote in
    assert (victim.birth_year, victim.fate) == (1961, "executed")
    source = Source.objects.get(kind="testimony")
    assert source.is_private and source.publication_status == "draft"
    assert source.received_date == submission.received_at.date()
    assert "A synthetic account written for a test." in source.notes
    claims = set(Citation.objects.for_object(victim).values_list("claim", flat=True))
    assert claims == {"name_latin", "name_fa", "father_name", "birth_year", "fate"}
    assert set(Citation.objects.values_list("source", flat=True)) == {source.pk}
    submission.refresh_from_db()
    assert submission.status == Submission.Status.USED
    assert (submission.created_victim, submission.created_source) == (victim, source)
    assert victim.history.first().history_user == researcher


def test_running_the_action_twice_makes_nothing_twice(researcher):
    submission = SubmissionFactory()
    first = create_victim_draft_from_submission(submission=submission, user=researcher)
    second = create_victim_draft_from_submission(submission=submission, user=researcher)
    assert first == second
    assert Victim.objects.count() == Source.objects.count() == 1
    assert Citation.objects.count() == 5


def test_a_pre_linked_submission_is_attached_to_its_victim_unchanged(researcher):
    victim = VictimFactory(name_latin="Testname Published", birth_year=1950, cited=False)
    submission = SubmissionFactory(victim=victim, name_latin="", birth_year=1951)
    result = create_victim_draft_from_submission(submission=submission, user=researcher)
    assert result == victim and Victim.objects.count() == 1
    victim.refresh_from_db()
    assert (victim.birth_year, victim.publication_status) == (1950, "published")
    citation = Citation.objects.for_object(victim).get()
    assert citation.claim == "general" and citation.source.is_private
    # The testimony is not public until a reviewer publishes its source.
    assert not Citation.objects.for_object(victim).public().exists()


def test_a_user_without_the_permissions_cannot_make_records(nobody):
    from django.core.exceptions import PermissionDenied

    nobody.user_permissions.add(Permission.objects.get(codename="change_submission"))
    with pytest.raises(PermissionDenied):
        create_victim_draft_from_submission(submission=SubmissionFactory(), user=nobody)
    assert Victim.objects.count() == Source.objects.count() == 0
