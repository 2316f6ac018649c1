"""``archive.core.ages``: an age at death follows from the dates at their precision, and
is never more exact than they are. Plain Python, no database."""

from datetime import date

import pytest

from archive.core.ages import (
    BOUNDARY,
    Age,
    age_at_death,
    age_group,
    birth_of_year,
    group_of,
)
from archive.core.dates import DAY, MONTH, YEAR, PartialDate


@pytest.mark.parametrize(
    ("birth_year", "death", "expected"),
    [
        (1960, PartialDate(date(1988, 8, 1), MONTH), "27–28"),
        (1960, PartialDate(date(1988, 1, 1), YEAR), "27–28"),
        (1960, PartialDate(date(1988, 8, 15), DAY), "27–28"),
        # The last day of the year: every birthday of 1960 has passed.
        (1960, PartialDate(date(1988, 12, 31), DAY), "28"),
        # Born and killed in the same year: under one year old, or not.
        (1988, PartialDate(date(1988, 8, 1), MONTH), "0"),
    ],
)
def test_an_age_from_a_year_of_birth_is_the_range_the_dates_allow(birth_year, death, expected):
    assert str(age_at_death(birth_of_year(birth_year), death)) == expected


def test_an_age_is_exact_when_both_days_are_known():
    birth = PartialDate(date(1960, 3, 2))

    assert age_at_death(birth, PartialDate(date(1988, 3, 1))) == Age(27, 27)
    assert age_at_death(birth, PartialDate(date(1988, 3, 2))) == Age(28, 28)
    assert age_at_death(birth, PartialDate(date(1988, 3, 1))).exact


def test_a_month_of_death_in_the_month_of_birth_gives_two_ages():
    birth = PartialDate(date(1960, 3, 15))

    assert str(age_at_death(birth, PartialDate(date(1988, 3, 1), MONTH))) == "27–28"


@pytest.mark.parametrize(
    ("birth", "death"),
    [
        (None, PartialDate(date(1988, 8, 1), MONTH)),
        (birth_of_year(1960), None),
        (None, None),
        (birth_of_year(1990), PartialDate(date(1988, 8, 1), MONTH)),
    ],
)
def test_no_age_without_both_dates_or_with_a_death_before_the_birth(birth, death):
    assert age_at_death(birth, death) is None


def test_a_range_inside_one_group_is_counted_in_it_and_one_across_a_boundary_in_none():
    assert group_of(Age(27, 28)) == "25-34"
    assert group_of(Age(17, 17)) == "under-18"
    assert group_of(Age(60, 61)) == "50-plus"
    assert group_of(Age(24, 25)) == BOUNDARY


def test_the_filter_finds_a_range_across_a_boundary_in_both_groups():
    straddling = Age(24, 25)

    assert age_group("18-24").touches(straddling)
    assert age_group("25-34").touches(straddling)
    assert not age_group("35-49").touches(straddling)
