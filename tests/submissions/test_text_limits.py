"""Every text limit is shown beside its field and enforced with a message that names the
field and the limit; nothing is cut short, nothing typed is lost. Required fields say so."""

import re

import pytest

from tests.submissions.test_submission_form import answers
from victims.models import Submission

pytestmark = pytest.mark.django_db


def field_html(page: str, name: str) -> str:
    """The field's block: from its label to the end of its input."""
    start = page.index(f'<label for="id_{name}"')
    end = page.index(">", page.index(f'name="{name}"')) + 1
    return page[start:end]


@pytest.mark.parametrize(
    ("name", "limit"), [("name_latin", "200"), ("arrest", "500"), ("account", "20,000")]
)
def test_each_text_field_shows_its_limit_and_the_browser_never_cuts_it(client, name, limit):
    page = client.get("/submit/").content.decode()
    block = field_html(page, name)
    assert f"At most {limit} characters." in block
    # maxlength makes a browser drop what is pasted past the limit without a word.
    assert "maxlength" not in page


def test_the_persian_form_shows_the_limits_in_persian_digits(client):
    page = client.get("/fa/submit/").content.decode()
    assert "حداکثر ۲۰۰ نویسه." in field_html(page, "name_fa")
    assert "حداکثر ۲۰٬۰۰۰ نویسه." in field_html(page, "account")
    attachments = page[page.index('id="id_attachments_helptext"') :][:400]
    assert "۵" in attachments and "۱۰٫۰\xa0مگابایت" in attachments
    assert not re.search(r"[0-9]", attachments.split(">", 1)[1])


def test_a_text_over_the_limit_is_refused_naming_the_field_and_kept_whole(client, settings):
    settings.SUBMISSION_MAX_TEXT = 20_000
    long_account = "A synthetic account. " * 1000  # 21,000 characters
    response = client.post(
        "/submit/",
        answers(account=long_account.strip(), father_name="", birth_year="", arrest="",
                prison="", fate="", death="", burial=""),
    )  # fmt: skip

    assert response.status_code == 200
    assert Submission.objects.count() == 0
    message = " ".join(response.context["form"].errors["account"])
    assert "“What you want to tell us” can hold at most 20,000 characters" in message
    assert "you wrote 20,999" in message
    assert "Tell us at least one thing" not in message  # they did: it was too long
    page = response.content.decode()
    assert long_account.strip() in page  # every character still in the field


def test_a_persian_family_reads_the_limit_message_in_persian(client):
    response = client.post("/fa/submit/", answers(arrest="آ" * 501))
    message = " ".join(response.context["form"].errors["arrest"])
    assert "حداکثر ۵۰۰ نویسه" in message and "۵۰۱" in message
    assert "آ" * 501 in response.content.decode()


def test_required_fields_are_marked_in_words_and_for_assistive_technology(client):
    page = client.get("/submit/").content.decode()
    consent = page[page.index('name="consent"') - 200 : page.index('name="consent"') + 300]
    assert re.search(r'<input type="checkbox" name="consent"[^>]* required', consent)
    assert "(required)" in consent
    assert "(required: this name or the other)" in field_html(page, "name_latin")
    assert "(required" not in field_html(page, "father_name")
    fa = client.get("/fa/submit/").content.decode()
    assert "(لازم)" in fa and "(لازم: این نام یا نام دیگر)" in fa


def test_a_form_opened_from_a_victims_page_does_not_ask_for_the_name(client):
    from tests.factories import VictimFactory

    victim = VictimFactory()
    response = client.get(f"/submit/?victim={victim.ref}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "You are sending information about" in page
    assert "this name or the other" not in page
    # Nor does its introduction say the name is needed.
    assert "except your agreement at the end" in page
    assert "except the person" not in page
    assert "except the person" in client.get("/submit/").content.decode()
