"""A family fills in the form, in English or Persian, with a phone photo; what is stored
is what they meant to send, and nothing they did not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from tests.factories import VictimFactory
from tests.submissions.conftest import GPS_IFD, jpeg_with_exif, png_bytes
from victims import receipts
from victims.models import Submission, SubmissionAttachment

pytestmark = pytest.mark.django_db


def answers(**overrides):
    data = {
        "name_latin": "Testname Familymember",
        "name_fa": "نام آزمایشی",
        "father_name": "Testfather",
        "gender": "male",
        "birth_year": "1340",
        "arrest": "summer 1360, at home",
        "prison": "Test prison",
        "fate": "executed",
        "death": "Mordad 1367",
        "burial": "the family was never told",
        "account": "A synthetic account written for a test.",
        "relation": "sister",
        "contact": "test-contact@example.org",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def photo(name="IMG_2023.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data or jpeg_with_exif(), content_type=content_type)


def receipt_after(client, response):
    """The page a browser lands on after a stored submission (Post/Redirect/Get)."""
    assert response.status_code == 303, response.status_code
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


def test_the_form_is_in_english_and_persian(client):
    en = client.get("/submit/")
    fa = client.get("/fa/submit/")
    assert en.status_code == fa.status_code == 200
    assert 'enctype="multipart/form-data"' in en.content.decode()
    assert "<script" not in en.content.decode()
    assert 'dir="rtl"' in fa.content.decode() and 'lang="fa"' in fa.content.decode()
    assert "آنچه می‌دانید" in fa.content.decode()  # the Persian title
    assert "no-store" in en["Cache-Control"]


def test_a_family_sends_a_photo_and_gets_a_receipt(client, private_media):
    response = receipt_after(
        client, client.post("/submit/", {**answers(), "attachments": [photo()]})
    )

    code = response.context["code"]
    assert code in response.content.decode()
    submission = Submission.objects.get()
    assert submission.receipt_hash == receipts.hash_code(code)
    assert (submission.name_latin, submission.birth_year, submission.birth_year_as_given) == (
        "Testname Familymember", 1961, "1340",
    )  # fmt: skip
    assert submission.status == Submission.Status.NEW
    assert submission.language == "en"

    attachment = SubmissionAttachment.objects.get()
    path = private_media / attachment.file.name
    assert path.exists() and "IMG_2023" not in attachment.file.name
    stored = Image.open(path)
    assert dict(stored.getexif()) == {}
    assert not stored.getexif().get_ifd(GPS_IFD)
    raw = path.read_bytes()
    assert b"TestCameraMaker" not in raw and b"SERIAL123" not in raw


def test_a_family_sends_the_form_in_persian(client):
    response = receipt_after(
        client,
        client.post(
            "/fa/submit/", answers(name_latin="", birth_year="۱۳۴۰", account="متن آزمایشی")
        ),
    )
    assert "کد رسید" in response.content.decode()
    submission = Submission.objects.get()
    assert (submission.language, submission.birth_year, submission.account) == (
        "fa", 1961, "متن آزمایشی",
    )  # fmt: skip


def test_contact_details_are_encrypted_in_the_database(client):
    client.post("/submit/", answers(contact="test-contact@example.org"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM victims_submission")
        (raw,) = cursor.fetchone()
    assert "test-contact" not in raw and raw.startswith("gAAAA")
    assert Submission.objects.get().contact == "test-contact@example.org"


def test_the_form_opened_from_a_victims_page_names_them_and_links_the_submission(client):
    victim = VictimFactory(name_latin="Testname Linked")
    page = client.get(f"/submit/?victim={victim.ref}")
    assert "You are sending information about" in page.content.decode()
    assert "Testname Linked" in page.content.decode()

    response = client.post("/submit/", answers(victim=victim.ref, name_latin="", name_fa=""))
    assert response.status_code == 303
    assert Submission.objects.get().victim == victim


def test_a_draft_victim_cannot_be_pre_linked_or_revealed(client):
    draft = VictimFactory(name_latin="Testname Secretdraft", publication_status="draft")
    page = client.get(f"/submit/?victim={draft.ref}")
    assert page.status_code == 200
    assert 'name="account"' in page.content.decode()  # the form itself, as for anyone
    assert "Secretdraft" not in page.content.decode()
    assert "You are sending information about" not in page.content.decode()
    client.post("/submit/", answers(victim=draft.ref))
    assert Submission.objects.get().victim is None


@pytest.mark.parametrize("ref", ["%00", "V%00", "x" * 300])
def test_a_link_with_a_reference_no_record_can_have_opens_the_blank_form(client, ref):
    VictimFactory(name_latin="Testname Linked")
    page = client.get(f"/submit/?victim={ref}")
    assert page.status_code == 200
    assert "You are sending information about" not in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": None}, "consent", "only use your information if you agree"),
        ({"birth_year": "nineteen"}, "birth_year", "is not a year we can use"),
        ({"birth_year": "3000"}, "birth_year", "is not a year we can use"),
        ({"name_latin": "", "name_fa": ""}, "name_latin", "Write the person's name"),
        (
            {"father_name": "", "birth_year": "", "arrest": "", "prison": "", "fate": "",
             "death": "", "burial": "", "account": ""},
            "account", "Tell us at least one thing",
        ),
    ],
)  # fmt: skip
def test_a_mistake_shows_the_form_again_with_everything_typed(client, overrides, field, message):
    response = client.post("/submit/", answers(**overrides))
    assert response.status_code == 200
    assert Submission.objects.count() == 0
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert "Some answers need correcting" in page
    assert "summer 1360, at home" in page or overrides.get("arrest") == ""
    assert "test-contact@example.org" in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (photo("scan.jpg", b"%PDF-1.4\n%%EOF\n"), "is a PDF file"),
        (photo("letter.jpg", b"PK\x03\x04 a word file"), "document or archive file"),
        (photo("photo.png", b"this is plain text, not a picture", "image/png"), "not a picture"),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused_whatever_its_name(client, upload, message):
    response = client.post("/submit/", {**answers(), "attachments": [upload]})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["attachments"])
    assert "choose them again" in response.content.decode()
    assert "A synthetic account written for a test." in response.content.decode()
    assert Submission.objects.count() == SubmissionAttachment.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_and_never_written_whole(client, settings):
    settings.SUBMISSION_MAX_FILE_BYTES = 50_000
    big = photo("big.jpg", jpeg_with_exif() + b"\0" * 200_000)
    response = client.post("/submit/", {**answers(), "attachments": [big]})
    assert "larger than" in " ".join(response.context["form"].errors["attachments"])
    assert Submission.objects.count() == 0


def test_too_many_files_are_refused_with_the_limit_named(client, settings):
    settings.SUBMISSION_MAX_FILES = 2
    files = [photo(f"p{i}.jpg") for i in range(3)]
    response = client.post("/submit/", {**answers(), "attachments": files})
    assert "at most 2 can be sent" in " ".join(response.context["form"].errors["attachments"])
    assert Submission.objects.count() == 0


def test_several_pictures_are_all_stored(client):
    files = [photo("a.jpg"), photo("b.png", png_bytes(), "image/png")]
    client.post("/submit/", {**answers(), "attachments": files})
    assert sorted(SubmissionAttachment.objects.values_list("content_type", flat=True)) == [
        "image/jpeg", "image/png",
    ]  # fmt: skip


def test_a_bot_that_fills_the_honeypot_is_thanked_but_nothing_is_stored(client):
    response = client.post(
        "/submit/", {**answers(website="http://spam.example"), "attachments": [photo()]}
    )
    page = receipt_after(client, response)
    assert page.templates[0].name == "victims/submission_thanks.html"
    assert page.context["code"]
    assert Submission.objects.count() == SubmissionAttachment.objects.count() == 0


def test_the_honeypot_is_hidden_from_people(client):
    page = client.get("/submit/").content.decode()
    assert '<div class="hp" aria-hidden="true">' in page
    assert 'tabindex="-1"' in page


def test_pictures_too_large_together_are_refused_naming_the_file_that_goes_over(client, settings):
    settings.SUBMISSION_MAX_REQUEST_PIXELS = 4_000_000
    files = [photo(f"scan{i}.jpg", jpeg_with_exif(size=(1600, 1000))) for i in range(3)]
    response = client.post("/submit/", {**answers(), "attachments": files})
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "“scan2.jpg” is more than we can process in one submission" in errors
    assert "scan0.jpg" not in errors
    assert Submission.objects.count() == 0
