"""Abuse is held off without a third party: a per-client rate limit with a readable 429
page, CSRF protection with a readable failure page, and receipts that tell nothing."""

import re

import pytest
from django.test import Client

from tests.factories import SubmissionFactory
from tests.submissions.test_submission_form import answers, receipt_after
from victims.models import Submission

pytestmark = pytest.mark.django_db


def test_past_the_limit_a_family_gets_a_readable_429_and_keeps_what_they_typed(client, settings):
    settings.SUBMISSION_RATE = "2/h"
    for _ in range(2):
        assert client.post("/submit/", answers()).status_code == 303

    response = client.post("/submit/", answers(account="A third synthetic account."))

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 60
    page = response.content.decode()
    assert "Please wait before trying again" in page
    assert "try again in about" in page
    assert "A third synthetic account." in page  # nothing typed is lost
    assert Submission.objects.count() == 2


def test_the_429_page_is_in_persian_on_persian_pages(client, settings):
    settings.SUBMISSION_RATE = "1/h"
    client.post("/fa/submit/", answers())
    response = client.post("/fa/submit/", answers())
    assert response.status_code == 429
    page = response.content.decode()
    assert "دقیقهٔ دیگر دوباره امتحان کنید" in page
    # The minutes in Persian digits, as every number on a Persian page.
    assert re.search(r"حدود [۰-۹]+ دقیقهٔ دیگر", page)
    assert not re.search(r"حدود [0-9]+ دقیقه", page)


def test_a_flood_of_posts_is_refused_before_any_file_is_decoded(client, settings):
    settings.SUBMISSION_POST_RATE = "3/h"
    for _ in range(3):
        client.post("/submit/", answers(consent=None))  # invalid: re-displayed, counted
    assert client.post("/submit/", answers()).status_code == 429
    assert Submission.objects.count() == 0


def test_the_limit_is_per_client(settings):
    settings.SUBMISSION_RATE = "1/h"
    one, other = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert one.post("/submit/", answers()).status_code == 303
    assert one.post("/submit/", answers()).status_code == 429
    assert other.post("/submit/", answers()).status_code == 303


def test_a_post_without_the_csrf_token_gets_a_readable_page_with_the_text_kept():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/submit/", answers(account="Kept after a CSRF failure."))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form could not be accepted" in page
    assert "Kept after a CSRF failure." in page
    assert 'name="csrfmiddlewaretoken"' in page  # a fresh token: pressing Send again works
    assert Submission.objects.count() == 0


def test_the_form_works_with_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/submit/")
    token = page.cookies["csrftoken"].value
    response = client.post("/submit/", {**answers(), "csrfmiddlewaretoken": token})
    assert response.status_code == 303


def test_the_receipt_shows_the_status_and_nothing_of_the_content(client):
    submission = SubmissionFactory(
        receipt="7KQ2-M9XD-4TPR-HW3N", account="Unique-marker-receipt", status="in_review"
    )
    response = client.post("/submit/receipt/", {"code": "7kq2 m9xd 4tpr hw3n"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "In review" in page
    assert "Unique-marker-receipt" not in page and submission.name_latin not in page


@pytest.mark.parametrize(
    ("status", "shown"),
    [("new", "Received"), ("used", "Used"), ("declined", "Not used")],
)
def test_each_status_reads_plainly(client, status, shown):
    SubmissionFactory(receipt="7KQ2-M9XD-4TPR-HW3N", status=status)
    response = client.post("/submit/receipt/", {"code": "7KQ2-M9XD-4TPR-HW3N"})
    assert f"<h2>{shown}</h2>" in response.content.decode()


def test_an_unknown_or_malformed_code_is_told_apart(client):
    unknown = client.post("/submit/receipt/", {"code": "7KQ2-M9XD-4TPR-HW3N"})
    assert "No submission has this code" in unknown.content.decode()
    malformed = client.post("/submit/receipt/", {"code": "hello"})
    assert "This is not a receipt code" in malformed.content.decode()


def test_receipt_lookups_are_rate_limited(client, settings):
    settings.SUBMISSION_LOOKUP_RATE = "2/h"
    for _ in range(2):
        client.post("/submit/receipt/", {"code": "7KQ2-M9XD-4TPR-HW3N"})
    response = client.post("/submit/receipt/", {"code": "7KQ2-M9XD-4TPR-HW3N"})
    assert response.status_code == 429
    assert "Please wait before trying again" in response.content.decode()


def test_a_code_from_the_thanks_page_finds_its_submission(client):
    code = receipt_after(client, client.post("/submit/", answers())).context["code"]
    response = client.post("/fa/submit/receipt/", {"code": code})
    assert "دریافت شد" in response.content.decode()
