"""A fault on our side while storing (the database, the file storage) never loses what a
family typed: the form comes back with their text and a plain message, and the log says
what broke without a word of what they sent."""

import logging

import pytest
from django.db import DatabaseError

from tests.submissions.test_submission_form import answers, photo
from victims import submission_views
from victims.attachments import PrivateStorage
from victims.models import Submission, SubmissionAttachment

pytestmark = pytest.mark.django_db

ACCOUNT = "A synthetic account kept through a server fault."


def broken_database(*args, **kwargs):
    raise DatabaseError(f"could not write row: {ACCOUNT}")


def test_a_database_error_while_storing_gives_the_form_back_with_the_text(
    client, monkeypatch, caplog
):
    monkeypatch.setattr(submission_views, "_store", broken_database)
    with caplog.at_level(logging.ERROR, logger="victims.submission_views"):
        response = client.post("/submit/", answers(account=ACCOUNT))

    assert response.status_code == 503
    page = response.content.decode()
    assert "Nothing was sent: the problem is on our side" in page
    assert ACCOUNT in page and "test-contact@example.org" in page
    assert 'name="csrfmiddlewaretoken"' in page  # pressing Send again works
    assert Submission.objects.count() == 0
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "could not be stored (django.db.utils.DatabaseError" in logged
    assert ACCOUNT not in logged and "test-contact" not in logged


def test_a_storage_error_on_a_picture_stores_nothing_and_keeps_the_text(
    client, monkeypatch, private_media
):
    def full_disk(self, name, content, max_length=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(PrivateStorage, "save", full_disk)
    response = client.post("/submit/", {**answers(account=ACCOUNT), "attachments": [photo()]})

    assert response.status_code == 503
    page = response.content.decode()
    assert ACCOUNT in page
    assert "please choose them again" in page
    assert Submission.objects.count() == SubmissionAttachment.objects.count() == 0
    assert not list(private_media.rglob("*.jpg"))


def test_the_persian_form_says_it_in_persian(client, monkeypatch):
    monkeypatch.setattr(submission_views, "_store", broken_database)
    response = client.post("/fa/submit/", answers(account="متن آزمایشی که نباید گم شود"))
    page = response.content.decode()
    assert response.status_code == 503
    assert "مشکل از سوی ماست" in page and "متن آزمایشی که نباید گم شود" in page
