"""A merge keeps the hearings: the merged victim's hearings, and the merged official's
seats, move to the kept record (with history), and go back when the merge is undone."""

import pytest

from perpetrators.services import merge_perpetrators, unmerge_perpetrators
from tests.factories import (
    HearingFactory,
    HearingOfficialFactory,
    PerpetratorFactory,
    VictimFactory,
)
from victims.services import merge_victims, unmerge_victims

pytestmark = pytest.mark.django_db


def test_merging_two_victim_records_moves_the_hearings_and_undoing_moves_them_back(reviewer):
    keep, other = VictimFactory(), VictimFactory()
    hearing = HearingFactory(victim=other)
    merge_victims(keep=keep, other=other, user=reviewer)
    hearing.refresh_from_db()
    assert hearing.victim == keep
    unmerge_victims(keep=keep, other=other, user=reviewer)
    hearing.refresh_from_db()
    assert hearing.victim == other


def test_merging_two_official_records_moves_their_seats_at_hearings(reviewer):
    keep, other = PerpetratorFactory(), PerpetratorFactory()
    seat = HearingOfficialFactory(perpetrator=other)
    merge_perpetrators(keep=keep, other=other, user=reviewer)
    seat.refresh_from_db()
    assert seat.perpetrator == keep
    unmerge_perpetrators(keep=keep, other=other, user=reviewer)
    seat.refresh_from_db()
    assert seat.perpetrator == other
