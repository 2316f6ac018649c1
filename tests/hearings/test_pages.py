"""The hearings on the public pages: the victim's page names who decided, the official's
page lists the victims decided at the hearings they sat on, the event's commission lists
its hearings; in English and in Persian; a draft official is never named."""

import re

import pytest

from tests.factories import CitationFactory, SourceFactory
from tests.hearings.conftest import DRAFT_NAME

pytestmark = pytest.mark.django_db


def test_a_victim_page_shows_each_hearing_with_the_officials_who_decided(client, hearings):
    page = client.get("/victims/TEST-V-HEARD1/").content.decode()
    assert "Hearings and trials" in page
    assert 'href="/perpetrators/TEST-P-JUDGE/"' in page
    assert 'href="/perpetrators/TEST-P-PROS/"' in page
    assert "religious judge" in page and "prosecutor" in page
    assert "Test hearing commission" in page
    assert "Synthetic charge: membership" in page
    assert "Synthetic question: do you pray?" in page
    assert "Synthetic: execution" in page
    assert "Synthetic: ten years&#x27; imprisonment" in page
    assert "overridden by a later decision" in page


def test_a_draft_official_is_never_named_on_any_public_page(client, hearings):
    for path in (
        "/victims/TEST-V-HEARD1/", "/fa/victims/TEST-V-HEARD1/",
        "/perpetrators/TEST-P-JUDGE/", "/events/test-hearings-event/",
    ):  # fmt: skip
        page = client.get(path).content.decode()
        assert DRAFT_NAME not in page, path
        assert "TEST-P-DRAFT" not in page, path


def test_each_perpetrator_page_lists_the_victims_of_the_hearings_they_sat_on(client, hearings):
    judge = client.get("/perpetrators/TEST-P-JUDGE/").content.decode()
    assert "Hearings they sat on" in judge
    assert 'href="/victims/TEST-V-HEARD1/#hearing-' in judge
    assert 'href="/victims/TEST-V-HEARD2/#hearing-' in judge
    prosecutor = client.get("/perpetrators/TEST-P-PROS/").content.decode()
    assert "TEST-V-HEARD1" in prosecutor and "TEST-V-HEARD2" not in prosecutor


def test_a_draft_victims_hearing_is_not_listed_on_the_officials_page(client, hearings):
    hearings["second"].publication_status = "draft"
    hearings["second"].save()
    judge = client.get("/perpetrators/TEST-P-JUDGE/").content.decode()
    assert "TEST-V-HEARD1" in judge and "TEST-V-HEARD2" not in judge
    event = client.get("/events/test-hearings-event/").content.decode()
    assert "TEST-V-HEARD2" not in event


def test_the_event_page_lists_its_commissions_hearings(client, hearings):
    page = client.get("/events/test-hearings-event/").content.decode()
    assert "Hearings before this commission" in page
    assert "/victims/TEST-V-HEARD1/#hearing-" in page
    assert "/victims/TEST-V-HEARD2/#hearing-" in page
    assert 'href="/perpetrators/TEST-P-JUDGE/"' in page


def test_the_persian_victim_page_shows_the_hearing_in_persian_with_persian_digits(client, hearings):
    page = client.get("/fa/victims/TEST-V-HEARD1/").content.decode()
    assert "جلسات دادرسی و محاکمه" in page
    assert "اتهام آزمایشی" in page and "تصمیم آزمایشی" in page
    assert "قاضی آزمایشی" in page
    assert "۱۳۶۷" in page  # the hearing's date in the Solar Hijri calendar
    section = page.split('id="hearings-heading"')[1].split("</section>")[0]
    assert "1988" not in re.sub(r"<[^>]+>", "", section)  # the text, not datetime=""


def test_each_fact_of_a_hearing_has_its_footnote(client, hearings):
    hearing = hearings["hearing"]
    source = SourceFactory(title="Synthetic testimony (test data)")
    for claim in ("date", "body", "charges", "questions", "decision"):
        CitationFactory(content_object=hearing, source=source, claim=claim, locator=claim)
    page = client.get("/victims/TEST-V-HEARD1/").content.decode()
    item = page.split(f'id="hearing-{hearing.pk}"')[1].split("</article>")[0]
    facts = re.findall(r'<div class="fact">(.*?)</div>', item, re.S)
    assert len(facts) == 6  # date, before, officials, charges, questions, decision
    assert all('class="fn"' in fact for fact in facts)
    assert "Synthetic testimony (test data)" in page
