"""The weights the list itself teaches: how common an event, a year of birth or a date of
death is among its people. Agreeing on what nearly everyone shares says little, agreeing on
what few share says much, and agreeing as far as two dates can show is never evidence
against a pair. Synthetic people only."""

import datetime as dt
from dataclasses import replace

from archive.core.linkage import Candidate, Frequencies, score_pair

EVENT_1988, EVENT_2019 = 10, 11
AUG_1988 = dt.date(1988, 8, 1)


def _crowd(n=600, **facts) -> list[Candidate]:
    """A list of many people with names of their own, like a list of 1988: most born
    1958-62 and dead in August 1988, the rest in November 2019."""
    people = []
    for i in range(n):
        in_1988 = i % 5 != 0
        people.append(
            Candidate(
                ref=f"SYN-C{i}",
                name_latin=f"Crowd{i} Person{i}",
                father_name="Ali",
                event=EVENT_1988 if in_1988 else EVENT_2019,
                birth_year=1958 + i % 5 if in_1988 else 1990 + i % 10,
                death_date=AUG_1988 if in_1988 else dt.date(2019, 11, 16),
                death_date_precision="month" if in_1988 else "day",
                **facts,
            )
        )
    return people


def _pair(**facts) -> tuple[Candidate, Candidate]:
    a = Candidate(ref="SYN-A", name_latin="Kourosh Sohrabi", father_name="Jafar", **facts)
    b = Candidate(ref="SYN-B", name_fa="کوروش سهرابی", father_name="جعفر", **facts)
    return a, b


def _weight(a, b, people) -> float:
    return score_pair(a, b, freq=Frequencies.of([*people, a, b])).weight


def test_two_dates_of_death_known_only_to_the_year_do_not_count_against_a_pair():
    crowd = _crowd()
    year = {"death_date": dt.date(1988, 1, 1), "death_date_precision": "year",
            "event": EVENT_1988}  # fmt: skip
    with_year = _weight(*_pair(**year), crowd)
    without = _weight(*_pair(event=EVENT_1988), crowd)
    assert with_year >= without


def test_agreeing_on_the_month_of_death_counts_for_a_pair_even_in_the_commonest_month():
    crowd = _crowd()
    month = {"death_date": AUG_1988, "death_date_precision": "month", "event": EVENT_1988}
    assert _weight(*_pair(**month), crowd) > _weight(*_pair(event=EVENT_1988), crowd)


def test_a_year_of_birth_most_of_the_list_shares_says_less_than_a_rare_one():
    crowd = _crowd()
    common = _weight(*_pair(birth_year=1960, event=EVENT_1988), crowd)
    rare = _weight(*_pair(birth_year=1938, event=EVENT_1988), crowd)
    assert rare > common + 1  # bits


def test_sharing_the_smaller_event_says_more_than_sharing_the_larger_one():
    crowd = _crowd()  # four in five of 1988
    in_1988 = _weight(*_pair(event=EVENT_1988), crowd)
    in_2019 = _weight(*_pair(event=EVENT_2019), crowd)
    assert in_2019 > in_1988 + 0.5  # bits
    # And the reviewer is not told what every pair compared shares.
    assert score_pair(*_pair(event=EVENT_2019)).reasons == ["same name in another spelling",
                                                             "same father's name"]  # fmt: skip


def test_a_date_of_death_a_day_off_weighs_less_against_a_pair_than_one_weeks_away():
    # A day off is what a slip converting the Solar Hijri date makes; weeks apart are two
    # deaths.
    crowd = _crowd()
    a, b = _pair(event=EVENT_1988, death_date=dt.date(1988, 8, 20), death_date_precision="day")
    b_slip = replace(b, death_date=dt.date(1988, 8, 21))
    b_far = replace(b, death_date=dt.date(1988, 9, 25))
    slip, far = _weight(a, b_slip, crowd), _weight(a, b_far, crowd)
    assert slip > far + 2  # bits
    assert "dates of death a few days apart" in score_pair(a, b_slip).reasons
