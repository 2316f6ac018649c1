"""The publication gate reads a victim's hearings: an uncited fact of a hearing, or of a
published official's seat at it, keeps the victim from being published; a draft
official's seat is neither shown nor checked until that official is published, and then
it must be cited."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import (
    HearingFactory,
    HearingOfficialFactory,
    PerpetratorFactory,
    VictimFactory,
)

pytestmark = pytest.mark.django_db


def test_a_victim_whose_hearing_has_an_uncited_fact_is_not_published(reviewer):
    victim = VictimFactory(publication_status="draft")
    HearingFactory(victim=victim, cited=False)
    with pytest.raises(ValidationError) as refused:
        victim.move_to("published", user=reviewer)
    message = " ".join(refused.value.messages)
    assert "Date of the hearing: no citation" in message
    assert "Charges as stated: no citation" in message
    victim.refresh_from_db()
    assert victim.publication_status == "draft"


def test_a_victim_whose_hearing_is_cited_is_published(reviewer):
    victim = VictimFactory(publication_status="draft")
    HearingFactory(victim=victim)
    victim.move_to("published", user=reviewer)
    assert victim.publication_status == "published"


def test_an_uncited_seat_of_a_published_official_blocks_the_victim(reviewer):
    victim = VictimFactory(publication_status="draft")
    hearing = HearingFactory(victim=victim)
    HearingOfficialFactory(hearing=hearing, perpetrator=PerpetratorFactory(), cited=False)
    with pytest.raises(ValidationError) as refused:
        victim.move_to("published", user=reviewer)
    assert "Official: no citation" in " ".join(refused.value.messages)


def test_a_draft_officials_uncited_seat_does_not_block_the_victim(reviewer):
    victim = VictimFactory(publication_status="draft")
    hearing = HearingFactory(victim=victim)
    draft = PerpetratorFactory(publication_status="draft")
    HearingOfficialFactory(hearing=hearing, perpetrator=draft, cited=False)
    victim.move_to("published", user=reviewer)
    assert victim.publication_status == "published"


def test_publishing_an_official_whose_seat_on_a_published_page_is_uncited_is_refused(reviewer):
    hearing = HearingFactory(victim=VictimFactory())
    official = PerpetratorFactory(publication_status="draft")
    HearingOfficialFactory(hearing=hearing, perpetrator=official, cited=False)
    with pytest.raises(ValidationError) as refused:
        official.move_to("published", user=reviewer)
    assert "Official: no citation" in " ".join(refused.value.messages)


def test_an_official_whose_seat_is_only_on_a_draft_victims_hearing_may_be_published(reviewer):
    hearing = HearingFactory(victim=VictimFactory(publication_status="draft"))
    official = PerpetratorFactory(publication_status="draft")
    HearingOfficialFactory(hearing=hearing, perpetrator=official, cited=False)
    official.move_to("published", user=reviewer)
    assert official.publication_status == "published"


def test_a_hearing_dated_after_the_death_is_refused_naming_the_date():
    import datetime

    victim = VictimFactory(death_date=datetime.date(1988, 8, 1), death_date_precision="month")
    within = HearingFactory.build(victim=victim, date=datetime.date(1988, 8, 20),
                                  date_precision="day")  # fmt: skip
    within.full_clean()  # the same month as the death: possible
    after = HearingFactory.build(victim=victim, date=datetime.date(1988, 9, 1),
                                 date_precision="month")  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        after.full_clean()
    assert "date" in refused.value.message_dict


def test_a_citation_of_a_published_victims_hearing_is_locked_for_a_researcher(researcher, reviewer):
    from archive.core.models import locked_for
    from sources.models import Citation

    hearing = HearingFactory(victim=VictimFactory())
    seat = HearingOfficialFactory(hearing=hearing, perpetrator=PerpetratorFactory())
    of_hearing = Citation.objects.for_object(hearing).first()
    of_seat = Citation.objects.for_object(seat).first()
    assert locked_for(researcher, of_hearing) == [hearing.victim]
    assert set(locked_for(researcher, of_seat)) == {hearing.victim, seat.perpetrator}
    assert locked_for(reviewer, of_hearing) == [] and locked_for(reviewer, of_seat) == []
