"""How common each value is in a list of people, for record linkage
(``archive.core.linkage``): the term frequencies that make agreeing on "Mohammad Hosseini",
Evin, August 1988 or a year of birth in 1961 say less than agreeing on a rare name, prison,
day or year. Counted once per list; pure Python."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from archive.core.linkage_levels import (
    EXPECTED_DUPLICATES,
    LEVELS,
    PERSON_LEVELS,
    PSEUDO_PEOPLE,
)

if TYPE_CHECKING:
    from archive.core.linkage import Candidate

_PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


@dataclass
class Frequencies:
    """How many people of the list bear each name (joined key) and father's name: the
    term-frequency adjustment of the name's and the father's u."""

    people: int = 0
    names: dict[str, int] = field(default_factory=dict)
    fathers: dict[str, int] = field(default_factory=dict)
    with_father: int = 0
    expected: float = EXPECTED_DUPLICATES
    # (comparison, event, value) -> bearers, and (comparison, event) -> people who have
    # the fact: the term frequencies of the prison, the fate and the date of death, which
    # cluster within an event (Evin and Gohardasht in 1988; 16-17 November 2019).
    values: dict[tuple, int] = field(default_factory=dict)
    known: dict[tuple, int] = field(default_factory=dict)
    # event -> people, and the people whose event is known: the event's share of the list.
    events: dict[object, int] = field(default_factory=dict)
    with_event: int = 0

    @classmethod
    def of(cls, people: Iterable[Candidate], expected: float = EXPECTED_DUPLICATES) -> Frequencies:
        """``expected``: how many other records of the same person a record has in the
        list, on average (the prior)."""
        names_: dict[str, int] = defaultdict(int)
        fathers: dict[str, int] = defaultdict(int)
        values: dict[tuple, int] = defaultdict(int)
        known: dict[tuple, int] = defaultdict(int)
        events: dict[object, int] = defaultdict(int)
        count = with_father = 0
        for person in people:
            count += 1
            if person.event:
                events[person.event] += 1
            for key in person.joined:
                names_[key] += 1
            if person.father_key:
                fathers[person.father_id] += 1
                with_father += 1
            _count_values(values, known, person, 1)
        return cls(count, dict(names_), dict(fathers), with_father, expected, dict(values),
                   dict(known), dict(events), sum(events.values()))  # fmt: skip

    @classmethod
    def of_groups(
        cls,
        groups: Iterable[tuple[Candidate, int]],
        *,
        people: int,
        events: dict[object, int],
        with_father: int,
        names: dict[str, int],
        fathers: dict[str, int],
        expected: float = EXPECTED_DUPLICATES,
    ) -> Frequencies:
        """The frequencies of a list counted elsewhere (``archive.core.linkage_store``:
        in SQL, for a list too large to read): ``groups`` are people holding some of the
        clustered facts, each with how many of the list hold them; ``events`` the people
        of each event; ``names`` and ``fathers`` the bearers of the names that will be
        asked about (a name not there counts as one bearer, as in ``of``)."""
        values: dict[tuple, int] = defaultdict(int)
        known: dict[tuple, int] = defaultdict(int)
        for person, count in groups:
            _count_values(values, known, person, count)
        events = {event: count for event, count in events.items() if event}
        return cls(people, dict(names), dict(fathers), with_father, expected, dict(values),
                   dict(known), events, sum(events.values()))  # fmt: skip

    def value_u(self, comparison: str, level: str, a: Candidate) -> float:
        """u of an agreement on a clustered fact (``TF_LEVELS``): the share of the
        event's people who have it that share a's value (a left out), smoothed towards the
        ordinary u as the name's is."""
        u = LEVELS[comparison][level][1]
        value = dict(_tf_values(a)).get(TF_LEVELS[(comparison, level)])
        if value is None:
            return u
        key = TF_LEVELS[(comparison, level)]
        others = max(self.values.get((key, a.event, value), 0) - 1, 0)
        known = max(self.known.get((key, a.event), 0) - 1, 0)
        return (others + PSEUDO_PEOPLE * u) / (known + PSEUDO_PEOPLE)

    def different_u(self, comparison: str, a: Candidate, value: str = "") -> float:
        """u of a disagreement on one of the person's facts (``PERSON_LEVELS``), or on the
        ``value`` given (the date of death to a precision): how often two of the event's
        people who both have the fact differ, 1 - the sum of the values' squared shares,
        smoothed towards the ordinary u."""
        u = LEVELS[comparison]["different"][1]
        key = (value or comparison, a.event)
        known = self.known.get(key, 0)
        if known < 2:
            return u
        shares = self.squares.get(key, 0) / (known * known)
        return (known * (1 - shares) + PSEUDO_PEOPLE * u) / (known + PSEUDO_PEOPLE)

    @cached_property
    def squares(self) -> dict[tuple, int]:
        """(comparison, event) -> the sum of its values' squared counts."""
        out: dict[tuple, int] = defaultdict(int)
        for (comparison, event, _value), count in self.values.items():
            out[(comparison, event)] += count * count
        return dict(out)

    def event_u(self, a: Candidate) -> float:
        """How likely a stranger is to be of a's event: the event's share of the people
        whose event is known (a left out), smoothed."""
        u = LEVELS["event"]["same"][1]
        others = max(self.events.get(a.event, 0) - 1, 0)
        return (others + PSEUDO_PEOPLE * u) / (max(self.with_event - 1, 0) + PSEUDO_PEOPLE)

    def birth_u(self, a: Candidate, b: Candidate, gap: int) -> float:
        """How likely a stranger of the event is born ``gap`` years from a's year (and
        from b's: the two averaged), by the years' frequencies within the event: most of
        1988's prisoners were born 1955-65, so two of them born in 1961 agree by chance
        more than two born in 1938 do. Smoothed towards the ordinary u."""
        u = LEVELS["birth"][str(gap)][1]
        known = self.known.get(("birth year", a.event), 0)
        if known < 2:
            return u

        def share(year: int) -> int:
            return self.values.get(("birth year", a.event, year), 0)

        if gap == 0:
            others = max(share(a.birth_year) - 1, 0)
        else:
            ends = (y + d for y in (a.birth_year, b.birth_year) for d in (-gap, gap))
            others = sum(share(y) for y in ends) / 2
        return (others + PSEUDO_PEOPLE * u) / (known - 1 + PSEUDO_PEOPLE)

    def days_u(self, a: Candidate, b: Candidate, days: int) -> float:
        """How likely a stranger of the event died within ``days`` of a's day of death
        (and of b's: the two averaged), other than on it: the dead of November 2019 fell
        on a few days, those of 1988 over two months."""
        u = LEVELS["death"]["days apart"][1]
        known = self.known.get(("death day", a.event), 0)
        if known < 2:
            return u
        near = 0
        for date in (a.death_date, b.death_date):
            for d in range(1, days + 1):
                for day in (date - dt.timedelta(days=d), date + dt.timedelta(days=d)):
                    near += self.values.get(("death day", a.event, day), 0)
        return (near / 2 + PSEUDO_PEOPLE * u) / (known - 1 + PSEUDO_PEOPLE)

    def name_count(self, a: Candidate, b: Candidate) -> int:
        """Bearers of the name the two share (the commonest of their shared keys)."""
        shared = a.joined & b.joined or a.joined | b.joined
        return max((self.names.get(k, 1) for k in shared), default=1)

    def name_u(self, a: Candidate, b: Candidate) -> float:
        """How likely a stranger is to bear the name: the other bearers (one record of
        the pair left out) among everyone, smoothed."""
        u = LEVELS["name"]["same"][1]
        others = max(self.name_count(a, b) - 1, 0)
        return (others + PSEUDO_PEOPLE * u) / (self.people + PSEUDO_PEOPLE)

    def father_u(self, a: Candidate) -> float:
        u = LEVELS["father"]["same"][1]
        others = max(self.fathers.get(a.father_id, 0) - 1, 0)
        return (others + PSEUDO_PEOPLE * u) / (self.with_father + PSEUDO_PEOPLE)

    def prior(self) -> float:
        """log2 of the prior odds that two records of the list are one person."""
        p = min(0.5, self.expected / (self.people + PSEUDO_PEOPLE))
        return math.log2(p / (1 - p))


# The agreements whose u is the value's frequency within the event, and the value compared.
TF_LEVELS = {
    ("prison", "same"): "prison",
    ("fate", "same"): "fate",
    ("death", "same day"): "death day",
    ("death", "same month"): "death month",
    ("death", "same year"): "death year",
    **{(fact, "same"): fact for fact in PERSON_LEVELS},
    ("arrest", "same day"): "arrest day",
    ("arrest", "same month"): "arrest month",
    ("arrest", "same year"): "arrest year",
}


# The fields ``_tf_values`` reads, those read together grouped: what ``of_groups`` is
# given counted (``archive.core.linkage_store``).
CLUSTERED_FIELDS = (
    ("prison",),
    ("fate",),
    ("birth_year",),
    ("death_date", "death_date_precision"),
    *((fact,) for fact in PERSON_LEVELS),
    ("arrest_date", "arrest_date_precision"),
)


def _count_values(values: dict, known: dict, person: Candidate, weight: int) -> None:
    """Adds ``person``'s clustered facts (``weight`` people holding them) to the counts."""
    for comparison, value in _tf_values(person):
        values[(comparison, person.event, value)] += weight
        known[(comparison, person.event)] += weight


def _tf_values(person: Candidate) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    if person.prison:
        out.append(("prison", person.prison))
    if person.fate and person.fate != "unknown":
        out.append(("fate", person.fate))
    if person.birth_year:
        out.append(("birth year", person.birth_year))
    if person.death_date:
        rank = _PRECISION_RANK.get(person.death_date_precision, 3)
        out.append(("death year", person.death_date.year))
        if rank >= 3:
            out.append(("death day", person.death_date))
        if rank >= 2:
            out.append(("death month", (person.death_date.year, person.death_date.month)))
    for fact in PERSON_LEVELS:
        if value := getattr(person, fact):
            out.append((fact, value))
    if arrest := person.arrest_date:
        rank = _PRECISION_RANK.get(person.arrest_date_precision, 3)
        if rank >= 3:
            out.append(("arrest day", arrest))
        if rank >= 2:
            out.append(("arrest month", (arrest.year, arrest.month)))
        out.append(("arrest year", arrest.year))
    return out
