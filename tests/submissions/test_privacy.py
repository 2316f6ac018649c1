"""Nothing of a submission reaches the public, and nothing of the submitter is kept."""

import logging

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests.factories import VictimFactory
from tests.submissions.test_submission_form import answers, photo
from victims.models import Submission
from victims.services import create_victim_draft_from_submission

pytestmark = pytest.mark.django_db

MARKER = "Zqxmarker"
CONTACT = "zqx-contact@example.org"
ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.23"
SECRETS = [f"{MARKER} Person", f"{MARKER} account", f"{MARKER} relation", "زقخ نشانگر", CONTACT]


@pytest.fixture
def submitted(researcher):
    victim = VictimFactory(name_latin="Testname Publicperson")
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=FORWARDED)
    for extra in ({}, {"victim": victim.ref}):
        response = client.post(
            "/submit/",
            {**answers(name_latin=f"{MARKER} Person", name_fa="زقخ نشانگر",
                       account=f"{MARKER} account text", contact=CONTACT,
                       relation=f"{MARKER} relation"),
             **extra, "attachments": [photo()]},
        )  # fmt: skip
        assert response.status_code == 303
    # A researcher has already turned one into draft records.
    create_victim_draft_from_submission(
        submission=Submission.objects.filter(victim=None).get(), user=researcher
    )
    return victim


def public_urls(victim):
    return [
        "/", "/fa/", "/victims/", f"/victims/?q={MARKER}", "/fa/victims/?q=زقخ",
        victim.get_absolute_url(), f"/fa{victim.get_absolute_url()}",
        f"/api/victims/?q={MARKER}", "/api/victims/", "/sitemap.xml", "/sources/",
        "/perpetrators/", "/events/", "/stats/", "/submit/", f"/submit/?victim={victim.ref}",
    ]  # fmt: skip


def test_no_public_page_or_api_shows_anything_of_a_submission(submitted):
    client = Client()
    for url in public_urls(submitted):
        response = client.get(url)
        # Each is a page a reader sees: an error page or a redirect would hold no secret.
        assert response.status_code == 200, (url, response.status_code)
        body = response.content.decode()
        # Whole stored phrases: a search box may echo the query ("Zqxmarker") itself.
        for secret in SECRETS:
            assert secret not in body, (url, secret)


def test_the_staff_export_holds_nothing_of_a_submission_but_the_draft_made_from_it(
    submitted, tmp_path
):
    # The staff export holds every record, drafts included (issue 6); a draft a
    # researcher made from a submission is the archive's record, with the names the
    # researcher accepted. The family's own words, relation and contact never go out.
    out = tmp_path / "victims.csv"
    call_command("export_records", "victims", str(out))
    exported = out.read_text(encoding="utf-8")
    assert f"{MARKER} Person" in exported  # the researcher's draft goes out
    family_only = [f"{MARKER} account", f"{MARKER} relation", CONTACT]
    assert not [secret for secret in family_only if secret in exported]


def test_the_public_downloads_hold_nothing_of_a_submission(submitted, client):
    for url in ("/data/victims.csv", "/data/victims.json", "/data/sources.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content).decode()
        assert not [secret for secret in SECRETS if secret in body], url


def all_stored_text() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks += [repr(row) for row in cursor.fetchall()]
    return "\n".join(chunks)


def test_no_table_holds_the_submitters_address_or_clear_contact(submitted):
    stored = all_stored_text()
    assert MARKER in stored  # the scan does see the submission itself
    for secret in (ADDRESS, FORWARDED, CONTACT):
        assert secret not in stored


def test_no_log_line_holds_the_address_the_text_or_the_contact(caplog):
    caplog.set_level(logging.DEBUG)
    client = Client(REMOTE_ADDR=ADDRESS)
    stored = client.post("/submit/", answers(account=f"{MARKER} logged?", contact=CONTACT))
    refused = client.post("/submit/", answers(account=f"{MARKER} refused", consent=None))
    # Both went through the form: one stored, one shown again for the missing consent.
    assert (stored.status_code, refused.status_code) == (303, 200)
    assert Submission.objects.count() == 1
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (ADDRESS, MARKER, CONTACT):
        assert secret not in logged


def test_the_history_keeps_moderation_decisions_but_not_the_familys_words(submitted):
    history = Submission.history.model
    fields = {f.name for f in history._meta.fields}
    assert "status" in fields and "staff_notes" in fields
    assert not fields & {"account", "contact", "name_latin", "name_fa", "relation"}
