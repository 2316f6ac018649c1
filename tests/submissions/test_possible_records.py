"""A family's submission about a person already in the archive: the moderation page names
the records it may be about, and one button adds it to one of them, citing the testimony.
Synthetic people only."""

import re

import pytest
from django.urls import reverse

from sources.models import Citation, Source
from tests.factories import SubmissionFactory, VictimFactory
from victims.models import Submission, Victim


@pytest.fixture
def archive(db):
    """A draft victim (the one the family writes about), a namesake with another father,
    and an unrelated person."""
    return {
        "same": VictimFactory(ref="TEST-SAME", name_latin="Mohammad Hosseini Tabrizi",
                              father_name="Ali", birth_year=None, fate="unknown",
                              publication_status="draft", cited=False),
        "namesake": VictimFactory(ref="TEST-NAMESAKE", name_latin="Mohammad Hosseini Tabrizi",
                                  father_name="Hassan", publication_status="draft"),
        "other": VictimFactory(ref="TEST-OTHER", name_latin="Testonly Unrelated"),
    }  # fmt: skip


def _submission(**kw):
    return SubmissionFactory(
        **{"name_latin": "", "name_fa": "محمد حسینی تبریزی", "father_name": "علی",
           "birth_year": 1961, "gender": "male", "fate": "executed", **kw}
    )  # fmt: skip


def _refs_in_order(html):
    return re.findall(r'class="possible-record">.*?\((TEST-[A-Z]+)\)', html)


def test_the_moderation_page_lists_the_record_the_submission_is_about_first(
    archive, researcher_client
):
    submission = _submission()
    page = researcher_client.get(reverse("admin:victims_submission_change", args=[submission.pk]))
    html = page.content.decode()
    assert _refs_in_order(html)[:1] == ["TEST-SAME"]
    assert "TEST-NAMESAKE" not in _refs_in_order(html)  # another father: not the person
    assert "same name in another spelling" in html
    assert "same father&#x27;s name" in html or "same father's name" in html
    assert "Add to this record" in html


def test_a_submission_sent_from_a_victims_page_lists_that_victim_first(archive, researcher_client):
    submission = _submission(victim=archive["other"])
    page = researcher_client.get(reverse("admin:victims_submission_change", args=[submission.pk]))
    html = page.content.decode()
    assert _refs_in_order(html)[:2] == ["TEST-OTHER", "TEST-SAME"]
    assert "sent from this record&#x27;s page" in html or "sent from this record's page" in html


def test_add_to_this_record_cites_the_testimony_for_each_fact_it_adds(
    archive, researcher_client, researcher
):
    same = archive["same"]
    submission = _submission()
    url = reverse("admin:victims_submission_add_to", args=[submission.pk, same.pk])
    response = researcher_client.post(url, follow=True)
    assert "added to TEST-SAME" in response.content.decode()

    same.refresh_from_db()
    assert (same.birth_year, same.fate, same.name_fa) == (1961, "executed", "محمد حسینی تبریزی")
    source = Source.objects.get(kind="testimony")
    assert source.is_private and source.publication_status == "draft"
    cited = {c.claim: c.value for c in Citation.objects.for_object(same).filter(source=source)}
    assert cited == {"name_fa": "", "father_name": "", "gender": "", "birth_year": "",
                     "fate": ""}  # fmt: skip
    submission.refresh_from_db()
    assert submission.status == Submission.Status.USED
    assert (submission.victim, submission.created_source) == (same, source)
    assert same.history.first().history_user == researcher
    assert Victim.objects.count() == 3  # no new record


def test_a_differing_fact_is_cited_as_the_testimonys_version_not_overwritten(
    archive, researcher_client
):
    same = archive["same"]
    same.birth_year = 1958
    same.save()
    submission = _submission()
    researcher_client.post(
        reverse("admin:victims_submission_add_to", args=[submission.pk, same.pk])
    )
    same.refresh_from_db()
    assert same.birth_year == 1958
    version = Citation.objects.for_object(same).get(claim="birth_year", source__kind="testimony")
    assert version.value == "1961"


def test_a_researcher_cannot_add_a_submission_to_a_published_record(archive, researcher_client):
    submission = _submission()
    published = archive["other"]
    researcher_client.post(
        reverse("admin:victims_submission_add_to", args=[submission.pk, published.pk])
    )
    submission.refresh_from_db()
    assert submission.status != Submission.Status.USED
    assert not Source.objects.filter(kind="testimony").exists()


def test_in_persian_the_scores_are_in_persian_digits_and_the_reasons_joined_the_persian_way(
    archive, researcher_client
):
    submission = _submission()
    url = reverse("admin:victims_submission_change", args=[submission.pk])
    html = researcher_client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    row = re.search(r'<tr class="possible-record">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)

    assert re.fullmatch(r"[۰۱]٫[۰-۹]{2}", cells[1]), cells
    assert "؛ " in cells[2] and "; " not in cells[2]
