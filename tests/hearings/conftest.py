"""Synthetic hearings (no real hearing is described): a published commission and court,
two published officials and one still in draft, published victims heard by them."""

import datetime

import pytest

from tests.factories import (
    CommissionFactory,
    EventFactory,
    HearingFactory,
    HearingOfficialFactory,
    PerpetratorFactory,
    VictimFactory,
)
from tests.imports.conftest import manage  # noqa: F401  (the command-line fixture)

DRAFT_NAME = "Zzdraft Officialname"


@pytest.fixture
def hearings(db):
    event = EventFactory(slug="test-hearings-event", name_en="Test hearings event")
    commission = CommissionFactory(
        slug="test-hearing-commission", name_en="Test hearing commission",
        name_fa="هیئت آزمایشی", event=event,
    )  # fmt: skip
    judge = PerpetratorFactory(ref="TEST-P-JUDGE", name_latin="Testjudge Hearingman",
                               name_fa="قاضی آزمایشی")  # fmt: skip
    prosecutor = PerpetratorFactory(ref="TEST-P-PROS", name_latin="Testprosecutor Hearingman")
    draft = PerpetratorFactory(ref="TEST-P-DRAFT", name_latin=DRAFT_NAME,
                               publication_status="draft")  # fmt: skip
    first = VictimFactory(
        ref="TEST-V-HEARD1", name_latin="Testvictim Heardone",
        death_date=datetime.date(1988, 8, 20), death_date_precision="day",
    )  # fmt: skip
    second = VictimFactory(ref="TEST-V-HEARD2", name_latin="Testvictim Heardtwo")
    hearing = HearingFactory(
        victim=first, commission=commission, court_en="", court_fa="",
        date=datetime.date(1988, 8, 10), date_precision="day",
        charges_en="Synthetic charge: membership", charges_fa="اتهام آزمایشی",
        questions_en="Synthetic question: do you pray?", decision_en="Synthetic: execution",
        decision_fa="تصمیم آزمایشی",
    )  # fmt: skip
    earlier = HearingFactory(
        victim=first, date=datetime.date(1983, 1, 1), date_precision="year",
        sentence_en="Synthetic: ten years' imprisonment", sentence_overridden=True,
    )  # fmt: skip
    other = HearingFactory(victim=second, commission=commission, court_en="", court_fa="",
                           decision_en="Synthetic second decision")  # fmt: skip
    seats = [
        HearingOfficialFactory(hearing=hearing, perpetrator=judge, role="religious_judge"),
        HearingOfficialFactory(hearing=hearing, perpetrator=prosecutor, role="prosecutor"),
        HearingOfficialFactory(hearing=hearing, perpetrator=draft, role="intelligence"),
        HearingOfficialFactory(hearing=other, perpetrator=judge, role="religious_judge"),
    ]
    return {
        "event": event, "commission": commission, "judge": judge, "prosecutor": prosecutor,
        "draft": draft, "first": first, "second": second, "hearing": hearing,
        "earlier": earlier, "other": other, "seats": seats,
    }  # fmt: skip
