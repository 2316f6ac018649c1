"""Every change is kept with who and when, and can be reverted."""

import pytest

from tests.admin_forms import VICTIM_FORM_REST
from tests.factories import VictimFactory
from victims.models import Victim

pytestmark = pytest.mark.django_db


def test_admin_change_is_recorded_with_its_author(researcher_client, researcher):
    victim = VictimFactory(publication_status="draft", name_latin="Ali Karimi", fate="executed")
    data = {
        "ref": victim.ref, "name_latin": "Ali Karimy", "name_fa": "", "aliases": "",
        "father_name": "", "gender": "", "birth_year": "", "fate": "executed",
        "arrest_date": "", "arrest_date_precision": "", "death_date": "",
        "death_date_precision": "", "biography": "",
        "sources-citation-content_type-object_id-TOTAL_FORMS": "0",
        "sources-citation-content_type-object_id-INITIAL_FORMS": "0",
        **VICTIM_FORM_REST,
    }  # fmt: skip
    response = researcher_client.post(f"/admin/victims/victim/{victim.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = victim.history.first()
    assert latest.name_latin == "Ali Karimy"
    assert latest.history_user == researcher


def test_a_change_can_be_reverted_from_the_history(reviewer_client):
    victim = VictimFactory(publication_status="draft", name_latin="Ali Karimi")
    victim.name_latin = "Wrong Name"
    victim.save()
    original = victim.history.earliest()
    response = reviewer_client.post(
        f"/admin/victims/victim/{victim.pk}/history/{original.history_id}/",
        {
            "ref": victim.ref, "name_latin": "Ali Karimi", "name_fa": "", "aliases": "",
            "father_name": "", "gender": "", "birth_year": "", "fate": "executed",
            "arrest_date": "", "arrest_date_precision": "", "death_date": "",
            "death_date_precision": "", "biography": "",
            "sources-citation-content_type-object_id-TOTAL_FORMS": "0",
            "sources-citation-content_type-object_id-INITIAL_FORMS": "0",
        **VICTIM_FORM_REST,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Victim.objects.get(pk=victim.pk).name_latin == "Ali Karimi"
    assert victim.history.count() == 3


def test_admin_refuses_a_footnote_marker_that_points_nowhere(researcher_client):
    victim = VictimFactory(publication_status="draft", name_latin="Ali Karimi")
    data = {
        "ref": victim.ref, "name_latin": "Ali Karimi", "name_fa": "", "aliases": "",
        "father_name": "", "gender": "", "birth_year": "", "fate": "executed",
        "arrest_date": "", "arrest_date_precision": "", "death_date": "",
        "death_date_precision": "", "biography": "Executed in 1988 [src:999].",
        "sources-citation-content_type-object_id-TOTAL_FORMS": "0",
        "sources-citation-content_type-object_id-INITIAL_FORMS": "0",
        **VICTIM_FORM_REST,
    }  # fmt: skip
    response = researcher_client.post(f"/admin/victims/victim/{victim.pk}/change/", data)
    assert response.status_code == 200
    assert "[src:999]" in response.content.decode()
    victim.refresh_from_db()
    assert victim.biography == ""
