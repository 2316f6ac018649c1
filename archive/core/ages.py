"""Age at death, from dates known to a precision: never more exact than the dates allow.

Pure Python: no Django. A person born "in 1960" and executed "in August 1988" was 27 or
28: the age is the range of every age the two dates allow, from the latest possible
birthday to the earliest possible death (the youngest) up to the earliest birthday and the
latest death (the oldest). It is exact only when both ends meet (a day of death on
31 December of a year of birth known to the year alone still gives one age). Either date
missing: no age at all.

Age groups (the victim list's filter, the statistics): a range that straddles a group's
boundary ("24–25") belongs to every group it touches for the filter (a researcher looking
for victims aged 18–24 is shown everyone who may have been), and to no single group in
the statistics, which count it apart as "on a boundary" (counting it in one group would
invent the year the sources do not give). The victims' queryset computes the same range
in SQL (``victims.models.VictimQuerySet.with_age``); a test holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from archive.core.dates import YEAR, PartialDate


def _age(birth: date, death: date) -> int:
    return death.year - birth.year - ((death.month, death.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Age:
    """The ages, in whole years, a person may have reached: ``low`` to ``high``."""

    low: int
    high: int

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def __str__(self) -> str:
        return str(self.low) if self.exact else f"{self.low}–{self.high}"


def birth_of_year(year: int | None) -> PartialDate | None:
    """A year of birth as a partial date (the archive records the year alone)."""
    return PartialDate(date(year, 1, 1), YEAR) if year else None


def age_at_death(birth: PartialDate | None, death: PartialDate | None) -> Age | None:
    """The age at death the two dates allow; None when either is missing or the death
    comes before the birth."""
    if birth is None or death is None:
        return None
    high = _age(birth.first_day, death.last_day)
    low = _age(birth.last_day, death.first_day)
    if high < 0:
        return None
    return Age(max(low, 0), high)


@lru_cache(maxsize=1 << 16)
def age_at_death_of(
    birth_year: int | None, death: date | None, precision: str | None
) -> Age | None:
    """``age_at_death`` of a year of birth and a date of death's parts (as a row holds
    them), worked out once per distinct combination: a page of the API or a download of a
    million rows meets the same few thousand again and again."""
    return age_at_death(birth_of_year(birth_year), PartialDate.from_parts(death, precision))


@dataclass(frozen=True)
class AgeGroup:
    key: str
    low: int
    high: int | None  # None: no upper bound

    def holds(self, age: Age) -> bool:
        """Whether the whole range falls in this group."""
        return age.low >= self.low and (self.high is None or age.high <= self.high)

    def touches(self, age: Age) -> bool:
        """Whether any age of the range falls in this group."""
        return age.high >= self.low and (self.high is None or age.low <= self.high)


AGE_GROUPS = (
    AgeGroup("under-18", 0, 17),
    AgeGroup("18-24", 18, 24),
    AgeGroup("25-34", 25, 34),
    AgeGroup("35-49", 35, 49),
    AgeGroup("50-plus", 50, None),
)
BOUNDARY = "boundary"


def age_group(key: str) -> AgeGroup | None:
    return next((group for group in AGE_GROUPS if group.key == key), None)


def group_of(age: Age) -> str:
    """The key of the one group the whole range falls in, or ``BOUNDARY``."""
    return next((group.key for group in AGE_GROUPS if group.holds(age)), BOUNDARY)
