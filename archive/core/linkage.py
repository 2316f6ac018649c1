"""Finding the same person entered twice, across lists that spell names their own way:
record linkage in the Fellegi-Sunter form, pure Python (no Django), shared by the victims
and the perpetrators.

A pair is compared when the names match (``archive.core.names.score``, asked both ways, so
a Persian-only record meets a Latin-only one); the other facts then each add evidence for
or against, in bits:

    match weight = prior + sum over comparisons of log2(m / u) at the level observed

where m is how often two records of one person agree at that level and u how often two
strangers do. A fact missing on either side adds 0: it neither confirms nor refutes (a
list without years of birth is not evidence against a pair). The probability shown is
2^w / (1 + 2^w); a pair is proposed at ``PROPOSE_PROBABILITY`` or more.

Some disagreements are not weighed but decide (namesakes are how Iranian lists go wrong,
and the father's name is how they tell people apart): a different father's name (both
known), years of birth more than two apart, a different event (a person dies once) or a
different gender separate the two whatever their names.

Term frequency. Agreeing on "Mohammad Hosseini" is what strangers in a long list do; on a
rare name it is not. The u of an exact name (and of the father's name) is the share of
the list that bears it (``Frequencies``), smoothed as if ``PSEUDO_PEOPLE`` more people with
ordinary names had been seen, so that a list of two does not pretend to know what is common.
The prior is per pair, ``EXPECTED_DUPLICATES / (people + PSEUDO_PEOPLE)``: with the
name's u it leaves "how many others bear this name" as what counts, whatever the list's size.
``compare(a, b)`` without frequencies weighs the pair as a list of those two alone, which is
what ``find_duplicates([a, b])`` does: the two always agree.

The m and u below (``LEVELS``) are hand-set, checked against estimates made from data by
bench/dedupe_estimate.py (expectation-maximisation on the blocked pairs of a synthetic list
of 100,000, with Splink when it is installed): the estimates and the reason for what ships
are in docs/dedupe.md.

Comparing every pair is out of the question at 100,000 people, so people are *blocked*
on their name keys: each person is filed under every sorted pair of its key tokens
(given + family name, in whichever script) and under each single token; only people
sharing a block are compared. Blocks larger than a cap are split by the father's name.
A long list of a block's members, once a second row reads it, is filed by gender, event
and year of birth, so that a row meets only those these facts do not part it from (at a
million people they parted nine pairs in ten, one call each).

A person as compared (``Candidate``) and their blocks are made in
``archive.core.linkage_person``, apart from the comparison: the stored keys' version is a
digest of that code (``linkage_store.key_code``), so a change here makes no key again.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from archive.core import names
from archive.core.linkage_frequencies import (  # noqa: F401 - callers read them from here
    _PRECISION_RANK,
    TF_LEVELS,
    Frequencies,
    _tf_values,
)
from archive.core.linkage_keys import family_parts, part_put_for_another
from archive.core.linkage_levels import (  # noqa: F401 - the weights, used here and by callers
    COMMON_NAME,
    COMMON_NAME_REASON,
    DEATH_DAYS_APART,
    DEATH_M,
    EXPECTED_DUPLICATES,
    FATHER_CLOSE,
    LEVELS,
    NAME_THRESHOLD,
    PAIR_BLOCK_CAP,
    PERSON_LEVELS,
    PROPOSE_PROBABILITY,
    PSEUDO_PEOPLE,
    RARE_NAME,
    RARE_NAME_REASON,
    REASONS,
    SAME_NAME,
    SAME_NAME_RESPELT,
    SIMILAR_NAME,
    SINGLE_BLOCK_CAP,
    gettext_noop,
)
from archive.core.linkage_person import (  # noqa: F401 - callers read them from here
    Candidate,
    _father_facts,
    block_keys,
    split_aliases,
)

# Years of birth further apart than this part two records (``vetoed``).
BIRTH_YEARS_APART = 2
# A list of a block's members this long is filed by gender, event and year of birth
# before a row reads it (``Matcher._facts_allow``); a shorter one is read whole.
FACTS_FROM = 48


@dataclass
class Match:
    a: Candidate
    b: Candidate
    score: float  # the probability, 0 to 1
    reasons: list[str]
    weight: float = 0.0  # the match weight, in bits
    levels: dict[str, str] = field(default_factory=dict)


def block_cap(key: str) -> int:
    """How many people a block may hold before it is split by the father's name."""
    return PAIR_BLOCK_CAP if key.startswith("2:") else SINGLE_BLOCK_CAP


def candidate_pairs(people: list[Candidate]) -> set[tuple[int, int]]:
    """Index pairs (i < j) of people sharing a block.

    A block over its cap (thousands of Mohammad Hosseinis) is split by the father's name
    keys, and only the people whose father's name is known are compared within it: a
    namesake with no father's name among so many cannot be told from the others anyway."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, person in enumerate(people):
        for key in block_keys(person):
            blocks[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        cap = block_cap(key)
        if len(members) <= cap:
            pairs.update(itertools.combinations(members, 2))
            continue
        by_father: dict[str, list[int]] = defaultdict(list)
        for i in members:
            for fk in people[i].father_blocks:
                by_father[fk].append(i)
        for group in by_father.values():
            if 2 <= len(group) <= cap:
                pairs.update(itertools.combinations(sorted(group), 2))
    return pairs


def _best(a: Candidate, b: Candidate) -> float:
    """The best of a's names against b's keys (a function of b's keys alone)."""
    best = 0.0
    for q in a.queries:
        best = max(best, names.score(q, b.keys))
        if names.is_exact_score(best):
            break
    return best


def name_similarity(a: Candidate, b: Candidate, against: dict | None = None) -> float:
    """How alike the two people's names are: the best of a's names against b's keys and
    the best of b's against a's, the lower of the two. Asking both ways keeps "Mohammad
    Mohammadi" from matching "Mohammad Baqer Mohammadi" (a subset one way only).

    ``against``: a's names against each of the keys met so far, kept by a caller comparing
    one a with many. Most pairs end at the first way, which reads b's keys alone, and
    spellings of one name key alike (a row of an import at a million met 63 spellings
    and 42 keys)."""
    if a.joined & b.joined or a.lexicon_names & b.lexicon_names:
        return names.EXACT
    if against is None:
        first = _best(a, b)
    elif (first := against.get(b.keys)) is None:
        first = against[b.keys] = _best(a, b)
    if first < NAME_THRESHOLD:
        return first
    sim = min(first, _best(b, a))
    if sim >= NAME_THRESHOLD and part_put_for_another(a, b):
        # "Hossein Ahmadi Amoli" and "Hossein Ahmadi Kashani": two of three parts the
        # same is what two families of one town are; a part dropped on one side
        # ("Mohammad Hosseinzadeh Saqqezi", "Mohammad Saqqezi") may still be one person.
        return min(sim, NAME_THRESHOLD / 2)
    return sim


def father_agreement(a: Candidate, b: Candidate) -> str | None:
    """ "same", "close", "uncertain" or "different"; None when either is unknown."""
    if not a.father_keys or not b.father_keys:
        return None
    return _father_level(*sorted((a.father_name, b.father_name)))


@lru_cache(maxsize=1 << 18)
def _father_level(x: str, y: str) -> str:
    """How two fathers' names compare (both known); a list of 100,000 people holds a few
    hundred fathers' names, so each two are compared once."""
    keys_x, joined_x, entry_x = _father_facts(x)
    keys_y, joined_y, entry_y = _father_facts(y)
    if joined_x & joined_y or (entry_x is not None and entry_x == entry_y):
        # One name, whatever the spelling: the keys meet, or the lexicon knows both
        # spellings for one name (Kasem and قاسم key differently, k and q).
        return "same"
    if set(keys_x.split()) & set(keys_y.split()):
        # A compound written out in part: "Ali" for "Ali-Reza", "Mohammad" for
        # "Mohammad Javad". Often the same man in a shorter list; sometimes another.
        return "close"
    if entry_x is not None and entry_y is not None:
        # The lexicon reads both, as two names: Mahmoud and محمد, Ahmed and محمد are
        # a letter apart in the keys and never one name.
        return "different"
    closeness = max(names.score(x, keys_y), names.score(y, keys_x))
    # Only a name written out in part is close: a different long vowel is another name
    # (Hassan/Hossein, Mohammad/Mahmoud).
    if closeness >= FATHER_CLOSE:
        return "close"
    if closeness >= NAME_THRESHOLD and _is_persian(x) != _is_persian(y):
        # Across scripts a long vowel is often written one way and read another (Yusuf,
        # یوسف): no veto, and no credit either.
        return "uncertain"
    return "different"


def _is_persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def death_date_agreement(a: Candidate, b: Candidate) -> str | None:
    """ "same day", "same month", "same year", "different"; None when either is unknown.

    Dates are compared at the coarser of the two precisions: "August 1988" and
    "1988-08-27" agree (to the month)."""
    return _date_agreement(
        a.death_date, a.death_date_precision, b.death_date, b.death_date_precision
    )


def arrest_date_agreement(a: Candidate, b: Candidate) -> str | None:
    """As ``death_date_agreement``, for the dates of arrest."""
    return _date_agreement(
        a.arrest_date, a.arrest_date_precision, b.arrest_date, b.arrest_date_precision
    )


def _date_agreement(da, precision_a: str, db, precision_b: str) -> str | None:
    if not da or not db:
        return None
    rank = min(_PRECISION_RANK.get(precision_a, 3), _PRECISION_RANK.get(precision_b, 3))
    if da.year != db.year:
        return "different"
    if rank == 1:
        return "same year"
    if da.month != db.month:
        return "different"
    if rank == 2:
        return "same month"
    return "same day" if da.day == db.day else "different"


def vetoed(a: Candidate, b: Candidate) -> str | None:
    """The disagreement that makes two records two people, or None."""
    if a.gender and b.gender and a.gender != b.gender:
        return "different gender"
    if a.event and b.event and a.event != b.event:
        return "different event"  # a person dies once: 1988 and 2019 are two people
    if a.birth_year and b.birth_year and abs(a.birth_year - b.birth_year) > BIRTH_YEARS_APART:
        return "birth years far apart"  # too far apart for a misread or a calendar slip
    if father_agreement(a, b) == "different":
        return "different father's name"  # namesakes: the father tells them apart
    return None


class Weighed:
    """What one record's names have been weighed against so far, kept by a caller
    comparing it with many (``Matcher``): a block holds many people of one name, spelt a
    few ways. ``spellings``: the names' similarity to each spelling met
    (``Candidate.spelling``); ``keys``: its first way, to each person's keys
    (``name_similarity``'s ``against``)."""

    __slots__ = ("keys", "spellings")

    def __init__(self):
        self.spellings: dict[tuple, float] = {}
        self.keys: dict[str, float] = {}


def name_level(sim: float) -> str:
    if names.is_exact_score(sim):
        return "same"
    return "close" if sim >= names.scoring.SAME_SKELETON else "similar"


def levels(a: Candidate, b: Candidate, sim: float | None = None) -> dict[str, str]:
    """The comparison vector: the level of each comparison both records can be compared
    on. A comparison missing from it had a fact missing on either side."""
    sim = name_similarity(a, b) if sim is None else sim
    out = {"name": name_level(sim)}
    father = father_agreement(a, b)
    if father and father != "different":
        out["father"] = father
    if a.event and b.event and a.event == b.event:
        out["event"] = "same"
    if a.birth_year and b.birth_year:
        gap = abs(a.birth_year - b.birth_year)
        if gap <= 2:
            out["birth"] = str(gap)
    if a.prison and b.prison:
        out["prison"] = "same" if a.prison == b.prison else "different"
    death = death_date_agreement(a, b)
    if death == "different" and _days_apart(a, b) <= DEATH_DAYS_APART:
        death = "days apart"
    if death:
        out["death"] = death
    if a.death_place and b.death_place:
        out["death_place"] = "same" if a.death_place == b.death_place else "different"
    fates = {a.fate, b.fate}
    if not fates & {"", "unknown"}:
        out["fate"] = "same" if len(fates) == 1 else "different"
    for fact in PERSON_LEVELS:
        x, y = getattr(a, fact), getattr(b, fact)
        if x and y:
            out[fact] = "same" if x == y else "different"
    arrest = arrest_date_agreement(a, b)
    if arrest:
        out["arrest"] = arrest
    return out


def weigh(
    a: Candidate, b: Candidate, vector: dict[str, str], freq: Frequencies
) -> tuple[float, list[str]]:
    """The match weight of a comparison vector, in bits, and the reasons in words."""
    weight = freq.prior()
    reasons: list[str] = []
    for comparison, level in vector.items():
        m, u = LEVELS[comparison][level]
        if comparison == "name" and level == "same":
            u = freq.name_u(a, b)
        elif comparison == "father" and level == "same":
            u = freq.father_u(a)
        elif comparison == "event":
            u = freq.event_u(a)
        elif comparison == "birth":
            u = freq.birth_u(a, b, int(level))
        elif comparison == "death":
            m, u = _death_weights(a, b, level, freq)
        elif comparison == "father":
            # A father's name in part or perhaps the same is never better evidence than
            # the same name: strangers whose fathers are both "Mohammad-something" are as
            # common as the commoner of the two names.
            u = max(u, freq.father_u(a), freq.father_u(b))
        elif (comparison, level) in TF_LEVELS:
            u = freq.value_u(comparison, level, a)
        elif comparison in PERSON_LEVELS:
            u = freq.different_u(comparison, a)
        weight += math.log2(m / u)
        if comparison == "event":
            continue  # every pair compared shares its event: no news to a reviewer
        if comparison == "name":
            if level == "same":
                same_text = {n.casefold() for n in a.names} & {n.casefold() for n in b.names}
                reasons.append(SAME_NAME if same_text else SAME_NAME_RESPELT)
            else:
                reasons.append(SIMILAR_NAME)
        else:
            reasons.append(REASONS[(comparison, level)])
    if vector.get("name") == "same":
        count = freq.name_count(a, b)
        if count >= COMMON_NAME:
            reasons.append(COMMON_NAME_REASON % {"count": f"{count:,}"})
        elif count <= RARE_NAME and freq.people >= PSEUDO_PEOPLE:
            reasons.append(RARE_NAME_REASON)
    return weight, reasons


def _death_weights(a: Candidate, b: Candidate, level: str, freq: Frequencies):
    """m and u of the dates of death's level, given the coarser of the two precisions
    (``DEATH_M``)."""
    rank = min(_PRECISION_RANK.get(a.death_date_precision, 3),
               _PRECISION_RANK.get(b.death_date_precision, 3))  # fmt: skip
    precision = {3: "day", 2: "month", 1: "year"}[rank]
    m = DEATH_M[precision]
    if level == "days apart":
        return m[level], freq.days_u(a, b, DEATH_DAYS_APART)
    if level == "different":
        return m["different"], freq.different_u("death", a, value=f"death {precision}")
    return m[level], freq.value_u("death", level, a)


def _days_apart(a: Candidate, b: Candidate) -> int:
    """Days between two dates of death both given to the day (else a large number)."""
    if a.death_date_precision not in ("day", "") or b.death_date_precision not in ("day", ""):
        return 1 << 20
    return abs((a.death_date - b.death_date).days)


def propose_weight(threshold: float = PROPOSE_PROBABILITY) -> float:
    """The match weight, in bits, from which a pair is proposed at ``threshold``."""
    return math.log2(threshold / (1 - threshold))


def probability(weight: float) -> float:
    if weight > 60:
        return 1.0
    odds = 2.0**weight
    return odds / (1 + odds)


def compare(
    a: Candidate,
    b: Candidate,
    *,
    freq: Frequencies | None = None,
    expected: float = EXPECTED_DUPLICATES,
    threshold: float = PROPOSE_PROBABILITY,
) -> Match | None:
    """The pair with its probability and reasons, or None when it is not to be proposed.
    ``freq`` (of the whole list) weighs the name by how common it is; without it the two
    are weighed as a list of their own."""
    match = score_pair(a, b, freq=freq, expected=expected)
    if match is None or match.score < threshold:
        return None
    return match


def score_pair(
    a: Candidate,
    b: Candidate,
    *,
    freq: Frequencies | None = None,
    expected: float = EXPECTED_DUPLICATES,
) -> Match | None:
    """The pair weighed whatever its probability; None when the names do not match or a
    disagreement separates the two."""
    if vetoed(a, b):
        return None
    return weigh_unparted(a, b, freq=Frequencies.of([a, b], expected) if freq is None else freq)


def weigh_unparted(
    a: Candidate, b: Candidate, *, freq: Frequencies, weighed: Weighed | None = None
) -> Match | None:
    """``score_pair`` of a pair ``vetoed`` does not part: None when the names do not
    match. ``weighed``: what a was weighed against so far."""
    if weighed is None:
        sim = name_similarity(a, b)
    elif (sim := weighed.spellings.get(b.spelling)) is None:
        sim = weighed.spellings[b.spelling] = name_similarity(a, b, weighed.keys)
    if sim < NAME_THRESHOLD:
        return None
    vector = levels(a, b, sim)
    weight, reasons = weigh(a, b, vector, freq)
    return Match(a, b, round(probability(weight), 3), reasons, round(weight, 2), vector)


def find_duplicates(
    people: Iterable[Candidate],
    *,
    exclude: set[frozenset[str]] | None = None,
    expected: float = EXPECTED_DUPLICATES,
    threshold: float = PROPOSE_PROBABILITY,
) -> list[Match]:
    """Likely pairs, best first. ``exclude`` holds pairs of refs already judged different;
    ``expected`` is the prior (see ``Frequencies.of``), ``threshold`` the probability from
    which a pair is proposed."""
    people = list(people)
    exclude = exclude or set()
    freq = Frequencies.of(people, expected)
    matches = []
    for i, j in candidate_pairs(people):
        a, b = people[i], people[j]
        if a.ref > b.ref:
            a, b = b, a
        if frozenset((a.ref, b.ref)) in exclude:
            continue
        match = compare(a, b, freq=freq, threshold=threshold)
        if match:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, -m.weight, m.a.ref, m.b.ref))
    return matches


class Matcher:
    """The people of a list, blocked and counted once, to check new records against them
    (an import's rows, batch after batch; a family's submission).

    ``freq``, ``blocks`` and ``over_cap`` are given for people read out of a larger list
    (``archive.core.linkage_store``: a batch's candidates): that list's frequencies, the
    people's block keys as stored, and which blocks are over their cap in that list."""

    def __init__(
        self,
        people: list[Candidate],
        *,
        expected: float = EXPECTED_DUPLICATES,
        freq: Frequencies | None = None,
        blocks: list[Iterable[str]] | None = None,
        over_cap: set[str] | None = None,
    ):
        self.people = people
        self.freq = Frequencies.of(people, expected) if freq is None else freq
        self.over_cap = over_cap
        self.index: dict[str, list[int]] = defaultdict(list)
        for i, person in enumerate(people):
            for key in block_keys(person) if blocks is None else blocks[i]:
                self.index[key].append(i)
        # Every key the blocks hold: a row none of whose family-name keys is one of them
        # shares no block with anyone here (``family_parts``), and its blocks, which cost
        # several times that, are not made. An import into a young archive asks this of
        # every row.
        self.parts = frozenset(part for key in self.index for part in key[2:].split("|"))
        # A block over its cap, split by the father's name once: filtering its thousands
        # of members for every row took 12 of an import's 50 s at 128,000 people.
        self._by_father: dict[str, dict[str, list[int]]] = {}
        # A long list of a block's members (or of those with one father's name) filed by
        # gender, event and year of birth, once (``_facts_allow``).
        self._by_facts: dict[tuple, dict] = {}
        self._read_once: set[tuple] = set()

    @property
    def empty(self) -> bool:
        return not self.people

    def _members(self, key: str, row: Candidate):
        """The people a row filed under ``key`` is compared with: the block's members, or
        for a block over its cap those with the row's father's name (as ``candidate_pairs``
        does); of a long list of them, only those whose gender, event and year of birth
        do not part them from the row (``vetoed``)."""
        members = self.index.get(key, ())
        if self.over_cap is None:
            small = len(members) <= block_cap(key)
        else:
            small = key not in self.over_cap
        if small:
            return self._facts_allow((key, None), members, row)
        split = self._by_father.get(key)
        if split is None:
            split = defaultdict(list)
            for i in members:
                for fk in self.people[i].father_blocks:
                    split[fk].append(i)
            self._by_father[key] = split
        return [
            i
            for fk in row.father_blocks
            for i in self._facts_allow((key, fk), split.get(fk, ()), row)
        ]

    def _facts_allow(self, group: tuple, members, row: Candidate):
        """Of ``members``, those that gender, event and year of birth leave to compare
        with ``row``: read out of the group's members filed by those three facts, once it
        is long (``FACTS_FROM``). At a million people nine pairs in ten a block offered
        were parted by these facts, each after a call (3 million pairs for 3,000 rows);
        the rest of ``vetoed`` is asked of those left."""
        if len(members) < FACTS_FROM:
            return members
        filed = self._by_facts.get(group)
        if filed is None:
            # Filed at its second reading: filing costs about what asking ``vetoed`` of
            # each member once does, and many groups are read for one row alone.
            if group not in self._read_once:
                self._read_once.add(group)
                return members
            filed = {}
            for i in members:
                p = self.people[i]
                by_event = filed.setdefault(p.gender or "", {})
                by_year = by_event.setdefault(p.event or None, {})
                by_year.setdefault(p.birth_year or None, []).append(i)
            self._by_facts[group] = filed
        out: list[int] = []
        # A fact unknown on either side parts nobody (``vetoed``).
        genders = (row.gender, "") if row.gender else filed
        for gender in genders:
            by_event = filed.get(gender)
            if not by_event:
                continue
            events = (row.event, None) if row.event else by_event
            for event in events:
                by_year = by_event.get(event)
                if not by_year:
                    continue
                if not row.birth_year:
                    for ids in by_year.values():
                        out.extend(ids)
                    continue
                year = row.birth_year
                for near in (*range(year - BIRTH_YEARS_APART, year + BIRTH_YEARS_APART + 1), None):
                    out.extend(by_year.get(near, ()))
        return out

    def may_meet(self, row: Candidate) -> bool:
        """Whether ``row`` may share a block with someone here."""
        return any(not self.parts.isdisjoint(family_parts(name)) for name in row.names)

    def matches(
        self, rows: Iterable[Candidate], *, threshold: float = PROPOSE_PROBABILITY
    ) -> dict[str, list[Match]]:
        """For each of ``rows``, the people it may be, best first (rows with none left out)."""
        out: dict[str, list[Match]] = {}
        people, freq = self.people, self.freq
        for row in rows:
            if not self.may_meet(row):
                continue
            seen: set[int] = set()
            found = []
            # ``score_pair``, with what the row was weighed against kept (``Weighed``):
            # at a million people a row of an import was offered 176 people, two in three
            # parted by a fact, and weighed the names of 63 spellings with 42 keys.
            weighed = Weighed()
            for key in block_keys(row):
                for i in self._members(key, row):
                    if i in seen:
                        continue
                    seen.add(i)
                    person = people[i]
                    if vetoed(row, person):
                        continue
                    match = weigh_unparted(row, person, freq=freq, weighed=weighed)
                    if match is not None and match.score >= threshold:
                        found.append(match)
            if found:
                found.sort(key=lambda m: (-m.score, -m.weight, m.b.ref))
                out[row.ref] = found
        return out


def matches_against(
    rows: Iterable[Candidate],
    people: list[Candidate],
    *,
    expected: float = EXPECTED_DUPLICATES,
    threshold: float = PROPOSE_PROBABILITY,
) -> dict[str, list[Match]]:
    """For each of ``rows`` (new records, not yet in the list), the people of ``people`` it
    may be, best first: what an import or a family's submission is checked against."""
    return Matcher(people, expected=expected).matches(rows, threshold=threshold)
