"""One form in the admin adds a hearing with its officials (by ref, or a new name made a
draft perpetrator) and the citations of its facts, in one transaction; a bad entry is
refused naming the field, nothing is saved and nothing typed is lost."""

import datetime

import pytest

from perpetrators.models import Perpetrator
from sources.models import Citation
from tests.factories import PerpetratorFactory, SourceFactory, VictimFactory
from victims.hearings import Hearing, HearingOfficial

pytestmark = pytest.mark.django_db


def _post(victim, source, **overrides):
    data = {
        "date": "1988-08", "court_en": "Synthetic Revolutionary Court", "court_fa": "",
        "charges_en": "Synthetic charges", "decision_en": "Synthetic decision",
        "officials-TOTAL_FORMS": "2", "officials-INITIAL_FORMS": "0",
        "officials-0-official": "TEST-P-KNOWN", "officials-0-role": "religious_judge",
        "officials-1-official": "Newofficial Synthname", "officials-1-role": "prosecutor",
        "citations-TOTAL_FORMS": "2", "citations-INITIAL_FORMS": "0",
        "citations-0-source": str(source.pk), "citations-0-claim": "general",
        "citations-0-locator": "p. 12",
        "citations-1-source": str(source.pk), "citations-1-claim": "officials",
        "citations-1-locator": "p. 13",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def entry(db):
    victim = VictimFactory(publication_status="draft", death_date=datetime.date(1988, 8, 30),
                           death_date_precision="day")  # fmt: skip
    PerpetratorFactory(ref="TEST-P-KNOWN", name_latin="Knownjudge Synthname")
    return victim, SourceFactory()


def test_the_victims_change_page_links_to_the_hearing_form(researcher_client, entry):
    victim, _source = entry
    page = researcher_client.get(f"/admin/victims/victim/{victim.pk}/change/").content.decode()
    assert f"/admin/victims/victim/{victim.pk}/hearing/add/" in page


def test_a_researcher_adds_a_hearing_with_officials_and_citations_in_one_form(
    researcher_client, entry
):
    victim, source = entry
    url = f"/admin/victims/victim/{victim.pk}/hearing/add/"
    assert researcher_client.get(url).status_code == 200
    response = researcher_client.post(url, _post(victim, source))
    assert response.status_code == 302, response.content.decode()[:3000]
    hearing = Hearing.objects.get(victim=victim)
    assert hearing.partial("date").iso() == "1988-08"
    seats = {s.perpetrator.ref: s for s in hearing.officials.select_related("perpetrator")}
    assert seats["TEST-P-KNOWN"].role == "religious_judge"
    new = Perpetrator.objects.get(name_latin="Newofficial Synthname")
    assert new.publication_status == "draft" and seats[new.ref].role == "prosecutor"
    assert Citation.objects.for_object(hearing).get().locator == "p. 12"
    for seat in seats.values():
        assert Citation.objects.for_object(seat).get().locator == "p. 13"
    assert hearing.history.count() == 1


def test_a_hearing_dated_after_the_death_is_refused_naming_the_date_and_keeping_the_rest(
    researcher_client, entry
):
    victim, source = entry
    url = f"/admin/victims/victim/{victim.pk}/hearing/add/"
    response = researcher_client.post(url, _post(victim, source, date="1988-09-15"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Date of the hearing" in page and "after the date of death" in page
    assert 'value="Synthetic Revolutionary Court"' in page
    assert 'value="Newofficial Synthname"' in page
    assert 'value="p. 13"' in page
    assert not Hearing.objects.exists()
    assert not Perpetrator.objects.filter(name_latin="Newofficial Synthname").exists()


def test_an_unknown_official_ref_is_refused_naming_the_official(researcher_client, entry):
    victim, source = entry
    url = f"/admin/victims/victim/{victim.pk}/hearing/add/"
    response = researcher_client.post(
        url, _post(victim, source, **{"officials-0-official": "P-9999"})
    )
    page = response.content.decode()
    assert "Official 1, official" in page
    assert "No perpetrator has the ref &#x27;P-9999&#x27;" in page
    assert not Hearing.objects.exists() and not HearingOfficial.objects.exists()


def test_a_bad_date_is_refused_in_words(researcher_client, entry):
    victim, source = entry
    url = f"/admin/victims/victim/{victim.pk}/hearing/add/"
    page = researcher_client.post(url, _post(victim, source, date="summer")).content.decode()
    assert "is not a date" in page and not Hearing.objects.exists()


def test_a_researcher_may_not_add_a_hearing_to_a_published_victim(researcher_client, entry):
    victim, source = entry
    victim.publication_status = "published"
    victim.save()
    url = f"/admin/victims/victim/{victim.pk}/hearing/add/"
    page = researcher_client.post(url, _post(victim, source)).content.decode()
    assert "only a reviewer may add a hearing" in page
    assert not Hearing.objects.exists()


def test_a_reviewer_adding_an_uncited_hearing_to_a_published_victim_is_refused(
    reviewer_client, entry
):
    victim, source = entry
    victim.publication_status = "published"
    victim.save()
    url = f"/admin/victims/victim/{victim.pk}/hearing/add/"
    data = _post(victim, source, **{"citations-TOTAL_FORMS": "0"})
    page = reviewer_client.post(url, data).content.decode()
    assert "every fact of the hearing needs a citation" in page
    assert not Hearing.objects.exists()


def test_the_officials_suggestions_find_a_perpetrator_by_name(researcher_client, entry):
    found = researcher_client.get("/admin/victims/victim/hearing/officials/?term=Knownjudge")
    assert found.json()["results"][0]["ref"] == "TEST-P-KNOWN"
