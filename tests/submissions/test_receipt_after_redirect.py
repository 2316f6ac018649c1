"""After sending, the browser is redirected to the receipt (Post/Redirect/Get): a reload
sends nothing twice, and the code never sits in a URL or in another browser."""

import pytest
from django.test import Client

from tests.submissions.test_submission_form import answers
from victims import receipts, submission_views
from victims.models import Submission

pytestmark = pytest.mark.django_db


def test_a_family_that_reloads_the_receipt_does_not_send_twice(client):
    response = client.post("/submit/", answers())
    assert response.status_code == 303
    assert response["Location"] == "/submit/thanks/"

    first = client.get("/submit/thanks/")
    reloaded = client.get("/submit/thanks/")

    assert Submission.objects.count() == 1
    code = first.context["code"]
    assert code and reloaded.context["code"] == code
    assert code in reloaded.content.decode()
    assert Submission.objects.get().receipt_hash == receipts.hash_code(code)
    assert "no-store" in first["Cache-Control"]


def test_the_code_is_kept_no_longer_than_the_browser_stays_open(client):
    response = client.post("/submit/", answers())
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"]


def test_the_code_is_never_in_a_url(client):
    response = client.post("/submit/", answers())
    code = client.get(response["Location"]).context["code"]
    assert code not in response["Location"]
    assert code.replace("-", "") not in response["Location"]


def test_a_persian_family_lands_on_the_persian_receipt(client):
    response = client.post("/fa/submit/", answers())
    assert response["Location"] == "/fa/submit/thanks/"
    assert "کد رسید" in client.get("/fa/submit/thanks/").content.decode()


def test_another_browser_never_sees_the_code(client):
    client.post("/submit/", answers())
    code = client.get("/submit/thanks/").context["code"]
    other = Client().get("/submit/thanks/")
    assert other.status_code == 200
    assert other.context["code"] is None
    assert code not in other.content.decode()
    assert "There is no code to show here" in other.content.decode()


def test_the_code_is_removed_when_the_family_says_it_is_written_down(client):
    client.post("/submit/", answers())
    code = client.get("/submit/thanks/").context["code"]

    done = client.post("/submit/thanks/")

    # Nothing left in the session: its cookie is deleted; a reload sends nothing again.
    assert done.status_code == 303 and done.cookies["sessionid"].value == ""
    page = client.get(done["Location"]).content.decode()
    assert "The code has been removed from this browser" in page
    assert code not in page
    reloaded = client.get("/submit/thanks/").content.decode()
    assert "There is no code to show here" in reloaded
    assert code not in reloaded


def test_the_code_is_no_longer_shown_after_a_few_minutes(client, monkeypatch):
    client.post("/submit/", answers())
    code = client.get("/submit/thanks/").context["code"]
    later = submission_views.time.time() + submission_views.RECEIPT_SHOWN_SECONDS + 1
    monkeypatch.setattr(submission_views.time, "time", lambda: later)
    page = client.get("/submit/thanks/")
    assert page.context["code"] is None
    assert code not in page.content.decode()


def test_a_bot_gets_the_same_redirect_and_a_code_that_finds_nothing(client):
    response = client.post("/submit/", answers(website="http://spam.example"))
    assert response.status_code == 303
    code = client.get(response["Location"]).context["code"]
    assert Submission.objects.count() == 0
    lookup = client.post("/submit/receipt/", {"code": code})
    assert "No submission has this code" in lookup.content.decode()
