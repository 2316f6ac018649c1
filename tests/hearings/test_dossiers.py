"""The dossiers carry the hearings both ways: a perpetrator's lists the hearings they sat
on and the victims decided there; an event's lists its commissions' hearings with the
officials present. A draft official is never named; a draft victim's hearing never shown."""

import pytest

from archive.dossiers.content import event_dossier, perpetrator_dossier
from tests.hearings.conftest import DRAFT_NAME

pytestmark = pytest.mark.django_db


def test_a_perpetrators_dossier_lists_the_hearings_and_the_victims(client, hearings):
    html = client.get("/perpetrators/TEST-P-JUDGE/dossier/").content.decode()
    assert "Hearings this person sat on" in html
    assert "TEST-V-HEARD1" in html and "TEST-V-HEARD2" in html
    content = perpetrator_dossier("TEST-P-JUDGE").content()
    assert {h["victim"] for h in content["hearings"]} == {"TEST-V-HEARD1", "TEST-V-HEARD2"}
    assert all(h["citations"] and h["hearing_citations"] for h in content["hearings"])


def test_an_events_dossier_lists_its_commissions_hearings_with_the_officials(client, hearings):
    html = client.get("/events/test-hearings-event/dossier/").content.decode()
    assert "Hearings before these commissions" in html
    assert "Testjudge Hearingman" in html and "TEST-V-HEARD2" in html
    assert DRAFT_NAME not in html
    content = event_dossier("test-hearings-event").content()
    first = next(h for h in content["hearings"] if h["victim"] == "TEST-V-HEARD1")
    assert {o["perpetrator"] for o in first["officials"]} == {"TEST-P-JUDGE", "TEST-P-PROS"}


def test_a_hearing_changes_the_dossiers_digest(hearings):
    before = perpetrator_dossier("TEST-P-JUDGE").digest
    hearings["hearing"].decision_en = "Synthetic: another decision"
    hearings["hearing"].save()
    assert perpetrator_dossier("TEST-P-JUDGE").digest != before
