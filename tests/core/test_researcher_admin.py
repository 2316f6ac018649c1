"""The researcher's admin as a researcher meets it: the workflow on the record's own page,
a ref made up when left blank, dates at their precision in the lists."""

import re
from datetime import date

import pytest
from django.contrib import admin
from django.utils import translation

from tests.admin_forms import form_data
from tests.factories import SourceFactory, VictimFactory
from victims.models import Victim

pytestmark = pytest.mark.django_db


def _buttons(response) -> set[str]:
    return set(re.findall(r'name="_workflow" value="([^"]+)"', response.content.decode()))


def test_a_researcher_finds_send_for_review_on_the_records_page_and_no_publish(
    researcher_client,
):
    victim = VictimFactory(publication_status="draft")

    page = researcher_client.get(f"/admin/victims/victim/{victim.pk}/change/")

    assert _buttons(page) == {"in_review"}
    assert "Save and send for review" in page.content.decode()


def test_a_reviewer_finds_publish_on_a_record_in_review(reviewer_client):
    victim = VictimFactory(publication_status="in_review")

    page = reviewer_client.get(f"/admin/victims/victim/{victim.pk}/change/")

    assert _buttons(page) == {"published", "draft"}


def test_a_researcher_sends_a_draft_for_review_from_its_page_with_an_edit(researcher_client):
    victim = VictimFactory(publication_status="draft", name_latin="Draft Person")
    url = f"/admin/victims/victim/{victim.pk}/change/"
    page = researcher_client.get(url)

    done = researcher_client.post(
        url, form_data(page, name_latin="Edited Person", _workflow="in_review"), follow=True
    )

    victim.refresh_from_db()
    assert (victim.name_latin, victim.publication_status) == ("Edited Person", "in_review")
    assert "was saved and sent for review" in done.content.decode()


def test_a_reviewer_publishes_from_the_records_page(reviewer_client, reviewer):
    victim = VictimFactory(publication_status="in_review")
    url = f"/admin/victims/victim/{victim.pk}/change/"

    reviewer_client.post(url, form_data(reviewer_client.get(url), _workflow="published"))

    victim.refresh_from_db()
    assert victim.is_published and victim.published_at is not None
    assert victim.history.first().history_user == reviewer


def test_a_researcher_posting_a_publish_button_by_hand_does_not_publish(researcher_client):
    victim = VictimFactory(publication_status="in_review")
    url = f"/admin/victims/victim/{victim.pk}/change/"

    done = researcher_client.post(
        url, form_data(researcher_client.get(url), _workflow="published"), follow=True
    )

    victim.refresh_from_db()
    assert victim.publication_status == "in_review"
    assert "You are not allowed to make this record published" in done.content.decode()


def test_a_new_victim_saved_without_a_ref_gets_a_neutral_one(researcher_client):
    page = researcher_client.get("/admin/victims/victim/add/")
    assert 'name="ref"' in page.content.decode()

    researcher_client.post(
        "/admin/victims/victim/add/",
        form_data(page, ref="", name_latin="Test Person Without Ref", fate="unknown"),
    )

    victim = Victim.objects.get(name_latin="Test Person Without Ref")
    assert re.fullmatch(r"V-[2-9A-HJKMNP-TW-Z]{8}", victim.ref)


def test_a_ref_typed_in_is_kept(researcher_client):
    page = researcher_client.get("/admin/victims/victim/add/")

    researcher_client.post(
        "/admin/victims/victim/add/",
        form_data(page, ref="NGO-17", name_latin="Test Person With Ref", fate="unknown"),
    )

    assert Victim.objects.get(name_latin="Test Person With Ref").ref == "NGO-17"


def test_partial_dates_in_the_admin_lists_show_their_precision(researcher_client):
    VictimFactory(name_latin="Month Known", death_date="1988-08-01", death_date_precision="month")
    VictimFactory(name_latin="Year Known", death_date="1988-01-01", death_date_precision="year")
    SourceFactory(title="Report of a month", date="2018-12-01", date_precision="month")

    victims = researcher_client.get("/admin/victims/victim/").content.decode()
    sources = researcher_client.get("/admin/sources/source/").content.decode()

    assert "August 1988" in victims and "Aug. 1, 1988" not in victims
    assert "Jan. 1, 1988" not in victims and ">1988<" in victims
    assert "December 2018" in sources and "Dec. 1, 2018" not in sources


def test_partial_dates_in_the_persian_admin_list_read_in_both_calendars(researcher_client):
    VictimFactory(name_latin="Month Known", death_date="1988-08-01", death_date_precision="month")

    page = researcher_client.get("/admin/victims/victim/", HTTP_ACCEPT_LANGUAGE="fa")

    text = page.content.decode()
    assert "مرداد–شهریور ۱۳۶۷" in text
    assert "اوت ۱۹۸۸" in text


@pytest.mark.parametrize(
    ("language", "year", "day"),
    [("fa", "۱۹۶۱", "۱۹۸۸-۰۸-۱۵"), ("en", "1961", "1988-08-15")],
    ids=["persian", "english"],
)
def test_the_admins_year_and_date_boxes_write_their_values_in_the_readers_digits(
    language, year, day
):
    victim_admin = admin.site._registry[Victim]

    def box(name):
        return victim_admin.formfield_for_dbfield(Victim._meta.get_field(name), None).widget

    with translation.override(language):
        assert box("birth_year").format_value(1961) == year
        assert box("arrest_date").format_value(date(1988, 8, 15)) == day
        assert box("birth_year").format_value(None) is None


def test_a_researcher_adds_a_victim_citing_a_published_source(researcher_client):
    """Citing a published source changes nothing public (its page lists only published
    records that cite it), so a researcher's new draft may cite it."""
    source = SourceFactory(title="Published report", publication_status="published")
    page = researcher_client.get("/admin/victims/victim/add/")
    prefix = "sources-citation-content_type-object_id"
    data = form_data(page, ref="TEST-CITING", name_latin="Test Person Citing", fate="executed")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-source": str(source.pk),
            f"{prefix}-0-claim": "fate",
            f"{prefix}-0-locator": "p. 3",
            f"{prefix}-0-confidence": "medium",
        }
    )

    answer = researcher_client.post("/admin/victims/victim/add/", data)

    assert answer.status_code == 302, answer.content.decode()[:2000]
    victim = Victim.objects.get(ref="TEST-CITING")
    assert victim.publication_status == "draft"
    assert [c.source for c in victim.citations.all()] == [source]
