"""A dossier's victims name only published events and commissions: the id of a draft
one would tell that it exists and whom it concerns."""

import json

from tests.factories import (
    CommissionFactory,
    EventFactory,
    MembershipFactory,
    PerpetratorFactory,
    VictimFactory,
)


def _listed(client, path: str) -> dict:
    content = json.loads(client.get(path).content)
    return {v["ref"]: v for v in content["victims"]["listed"]}


def test_a_perpetrators_dossier_does_not_name_a_victims_unpublished_event(client, db):
    commission = CommissionFactory()
    MembershipFactory(perpetrator=PerpetratorFactory(ref="TEST-PD"), commission=commission)
    draft = EventFactory(publication_status="draft")
    VictimFactory(ref="TEST-VD", commission=commission, event=draft)
    listed = _listed(client, "/perpetrators/TEST-PD/dossier.json")
    assert listed["TEST-VD"]["event"] is None
    assert listed["TEST-VD"]["commission"] == commission.pk


def test_an_events_dossier_does_not_name_a_victims_unpublished_commission(client, db):
    event = EventFactory(slug="test-ed")
    draft = CommissionFactory(publication_status="in_review")
    VictimFactory(ref="TEST-VE", event=event, commission=draft)
    listed = _listed(client, "/events/test-ed/dossier.json")
    assert listed["TEST-VE"]["commission"] is None
    assert listed["TEST-VE"]["event"] == event.pk
