"""The review queue and the merge page in the admin."""

import datetime as dt

import pytest

from tests.factories import VictimFactory
from victims.models import DuplicatePair, Victim


@pytest.fixture
def pair(db):
    a = VictimFactory(name_latin="Reza Karimi", father_name="Hassan", birth_year=1960)
    b = VictimFactory(name_latin="", name_fa="رضا کریمی", father_name="حسن", birth_year=1959,
                      death_date=dt.date(1988, 8, 1), death_date_precision="month")  # fmt: skip
    return DuplicatePair.objects.create(victim_a=a, victim_b=b, score=0.9, reasons="same name")


def test_researcher_marks_a_pair_different_people(pair, researcher_client, researcher):
    response = researcher_client.post(
        "/admin/victims/duplicatepair/",
        {"action": "mark_different", "_selected_action": [pair.pk]},
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.DIFFERENT
    assert pair.decided_by == researcher


def test_victim_page_in_admin_lists_its_possible_duplicates(pair, researcher_client):
    response = researcher_client.get(f"/admin/victims/victim/{pair.victim_a.pk}/change/")
    assert response.status_code == 200
    assert pair.victim_b.ref in response.content.decode()


def test_reviewer_merges_from_the_confirmation_page_choosing_a_value(pair, reviewer_client):
    client = reviewer_client
    a, b = pair.victim_a, pair.victim_b
    page = client.get(f"/admin/victims/victim/merge/?keep={a.pk}&other={b.pk}")
    assert page.status_code == 200
    assert "1959" in page.content.decode() and "1960" in page.content.decode()
    response = client.post(
        "/admin/victims/victim/merge/",
        {"keep": a.pk, "other": b.pk, "choice_birth_year": "other"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.birth_year == 1959
    assert a.name_fa == "رضا کریمی"
    assert b.merged_into == a
    assert Victim.objects.get(pk=b.pk).publication_status == "withdrawn"


def test_a_researcher_reviewing_a_merge_into_a_published_record_is_told_who_can_do_it(
    researcher_client, reviewer
):
    keep = VictimFactory(ref="TEST-PUB", name_latin="Reza Karimi", publication_status="published")
    other = VictimFactory(
        ref="TEST-DRAFT", name_latin="Reza Karimy", biography="An unchecked claim.",
        publication_status="draft",
    )  # fmt: skip
    client = researcher_client
    url = f"/admin/victims/victim/merge/?keep={keep.pk}&other={other.pk}"

    page = client.get(url).content.decode()
    client.post("/admin/victims/victim/merge/", {"keep": keep.pk, "other": other.pk})

    assert "TEST-PUB is published" in page
    assert "Reviewers who can do it: reviewer" in page
    assert 'value="Merge"' not in page
    other.refresh_from_db()
    keep.refresh_from_db()
    assert other.merged_into is None and keep.biography == ""


def test_a_researcher_reading_persian_sees_the_reasons_in_persian(pair, researcher_client):
    pair.reasons = "same name in another spelling; same father's name; died same month"
    pair.save()
    queue = researcher_client.get("/admin/victims/duplicatepair/", HTTP_ACCEPT_LANGUAGE="fa")
    html = queue.content.decode()
    assert "همان نام با املایی دیگر؛ همان نام پدر؛ مرگ در همان ماه" in html
    assert "same father" not in html
    record = researcher_client.get(
        f"/admin/victims/victim/{pair.victim_a.pk}/change/", HTTP_ACCEPT_LANGUAGE="fa"
    )
    assert "همان نام پدر" in record.content.decode()
    english = researcher_client.get("/admin/victims/duplicatepair/", HTTP_ACCEPT_LANGUAGE="en")
    assert "same name in another spelling; same father&#x27;s name" in english.content.decode()


def test_a_common_names_reason_reads_its_count_in_persian_digits():
    from django.utils import translation

    from archive.core.linkage import COMMON_NAME_REASON
    from archive.core.match_reasons import reasons_text

    stored = COMMON_NAME_REASON % {"count": "1,234"}
    with translation.override("fa"):
        assert reasons_text([stored]).startswith("نامی رایج (۱٬۲۳۴ نفر)")
    with translation.override("en"):
        assert reasons_text([stored]) == stored
