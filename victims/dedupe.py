"""Finding the same person entered twice, across lists that spell names their own way.

A pair is proposed when the names match (``archive.core.names.score``, asked both ways, so a
Persian-only record meets a Latin-only one) AND the other facts agree: father's name,
year of birth (one year apart is common, a Solar Hijri year spans two Gregorian ones),
prison, date and place of death. Two people with the same common name and different
fathers (both known) are never a pair: that is how Iranian records tell namesakes apart.
A fact missing on either side neither confirms nor refutes.

How much an agreement counts depends on how common it is in the list (``Frequencies``):
in a hundred thousand people, "Mohammad Hosseini, son of Ali, born 1960 or 1961" agrees
between strangers by chance, where the same agreement on a rare name does not. Measured
on synthetic lists with 5 % entered twice (bench/dedupe_bench.py): recall 1.000 and
precision 0.981 at 3,151 people, 0.990 / 0.968 at 21,030, 0.954 / 0.906 at 105,083.

Comparing every pair is out of the question at 100,000 people, so people are *blocked*
on their name keys: each person is filed under every sorted pair of its key tokens
(given + family name, in whichever script) and under each single token; only people
sharing a block are compared. Blocks larger than a cap are skipped: a single common
token ("mhmd") holds thousands of unrelated people, and their true duplicates share a
smaller two-token block anyway.

The core is pure Python on plain dicts (``Candidate``); ``load_candidates`` reads them
from the database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from archive.core import names

# A name match this close (one edit, different long vowels) may be the same name.
NAME_THRESHOLD = 0.85
# What a pair needs to be proposed: a matching name alone is 0.55.
PROPOSE_THRESHOLD = 0.78
FATHER_CLOSE = 0.95
PAIR_BLOCK_CAP = 500
SINGLE_BLOCK_CAP = 60
# How much the evidence moves per tenfold change in how many strangers would agree as
# well by chance (see ``Frequencies``); 1 in 100 is the neutral point.
RARITY_WEIGHT = 0.08
NEUTRAL_CHANCE = 0.01
# Until a list is large enough to tell what is common, these stand in (as if PRIOR_PEOPLE
# people had been seen): a father's name shared by 1 in 20, births spread over 40 years.
PRIOR_PEOPLE = 500
PRIOR_FATHER = 0.05
PRIOR_YEARS = 40


@dataclass
class Candidate:
    """What the comparison needs to know of a person."""

    ref: str
    pk: int = 0
    name_latin: str = ""
    name_fa: str = ""
    aliases: tuple[str, ...] = ()
    name_keys: str = ""
    father_name: str = ""
    gender: str = ""
    birth_year: int | None = None
    prison: object = None
    death_date: dt.date | None = None
    death_date_precision: str = ""
    death_place: object = None
    event: object = None
    extra: dict = field(default_factory=dict)

    @cached_property
    def names(self) -> list[str]:
        return [n for n in (self.name_latin, self.name_fa, *self.aliases) if n]

    @cached_property
    def keys(self) -> str:
        return self.name_keys or names.name_keys(*self.names)

    @cached_property
    def key_tokens(self) -> list[str]:
        return self.keys.split()

    @cached_property
    def joined(self) -> set[str]:
        return {j for n in self.names for j in joined_keys(n)}

    @cached_property
    def father_keys(self) -> str:
        return names.name_keys(self.father_name) if self.father_name else ""


@dataclass
class Frequencies:
    """How common each name, father's name and year of birth is among the people being
    compared, to weigh an agreement by how likely it is between strangers.

    Two records that agree on a rare name, the father's name and the year of birth are
    very likely one person; the same agreement on "Mohammad Hosseini, son of Ali, born
    1960" is what a list of a hundred thousand produces between strangers by chance (the
    term-frequency adjustment of Fellegi-Sunter record linkage). ``chance`` is the
    expected number of other people who would agree with one record as well as the other
    does."""

    people: int = 0
    names: dict[str, int] = field(default_factory=dict)
    fathers: dict[str, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, people: list[Candidate]) -> Frequencies:
        names_: dict[str, int] = defaultdict(int)
        fathers: dict[str, int] = defaultdict(int)
        years: dict[int, int] = defaultdict(int)
        for person in people:
            for key in person.joined:
                names_[key] += 1
            if person.father_keys:
                fathers[person.father_keys.split()[0]] += 1
            if person.birth_year:
                years[person.birth_year] += 1
        return cls(len(people), dict(names_), dict(fathers), dict(years))

    def name_count(self, a: Candidate, b: Candidate) -> int:
        shared = a.joined & b.joined or a.joined | b.joined
        return max((self.names.get(k, 1) for k in shared), default=1)

    def chance(self, a: Candidate, b: Candidate) -> float:
        seen = self.people + PRIOR_PEOPLE
        expected = float(max(self.name_count(a, b) - 1, 1))
        if a.father_keys and b.father_keys:
            count = self.fathers.get(a.father_keys.split()[0], 0)
            expected *= (count + PRIOR_PEOPLE * PRIOR_FATHER) / seen
        if a.birth_year and b.birth_year:
            lo, hi = sorted((a.birth_year, b.birth_year))
            width = max(1, hi - lo)
            years = range(lo - width, hi + width + 1)
            count = sum(self.years.get(y, 0) for y in years)
            expected *= (count + PRIOR_PEOPLE * len(years) / PRIOR_YEARS) / seen
        return expected


@dataclass
class Match:
    a: Candidate
    b: Candidate
    score: float
    reasons: list[str]


def _part_keys(tokens: list[str]) -> set[str]:
    return set(names.name_keys(" ".join(tokens)).split())


def name_blocks(name: str) -> set[str]:
    """Blocks for one name: given-name key x family-name key, and the family-name key.

    The given name is the first token, or the first two joined (Nematollah, نعمت‌الله
    is two tokens in Persian); the family name likewise from the end (Hosseinpour,
    حسین‌پور). Blocks are made with and without titles (Seyed, Haj, Sadat), which lists
    add and drop, and which share keys with names (Seyed and Saeed are both "sid")."""
    titles = names.title_keys()
    toks = [(tok, names.token_key(script, tok)) for script, tok in names.tokens(name)]
    toks = [(tok, key) for tok, key in toks if key]
    out: set[str] = set()
    for variant in (toks, [(t, k) for t, k in toks if k not in titles]):
        out |= _blocks_of([t for t, _k in variant])
    return out


def _blocks_of(toks: list[str]) -> set[str]:
    if not toks:
        return set()
    if len(toks) == 1:
        return {"1:" + k for k in _part_keys(toks)}
    given = _part_keys(toks[:1]) | (_part_keys(toks[:2]) if len(toks) >= 3 else set())
    family = _part_keys(toks[-1:]) | (_part_keys(toks[-2:]) if len(toks) >= 3 else set())
    out = {"1:" + k for k in _part_keys(toks[-1:])}
    for g in given:
        for f in family:
            if g != f:
                out.add("2:" + "|".join(sorted((g, f))))
    return out


def block_keys(person: Candidate) -> set[str]:
    """Every block a person is filed under, from all of its names."""
    out: set[str] = set()
    for name in person.names:
        out |= name_blocks(name)
    return out


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
        cap = PAIR_BLOCK_CAP if key.startswith("2:") else SINGLE_BLOCK_CAP
        if len(members) <= cap:
            pairs.update(itertools.combinations(members, 2))
            continue
        by_father: dict[str, list[int]] = defaultdict(list)
        for i in members:
            for fk in set(people[i].father_keys.split()):
                by_father[fk].append(i)
        for group in by_father.values():
            if 2 <= len(group) <= cap:
                pairs.update(itertools.combinations(sorted(group), 2))
    return pairs


def _best(a: Candidate, b: Candidate) -> float:
    best = 0.0
    for q in a.names:
        best = max(best, names.score(q, b.keys))
        if names.is_exact_score(best):
            break
    return best


def name_similarity(a: Candidate, b: Candidate) -> float:
    """How alike the two people's names are: the best of a's names against b's keys and
    the best of b's against a's, the lower of the two. Asking both ways keeps "Mohammad
    Mohammadi" from matching "Mohammad Baqer Mohammadi" (a subset one way only)."""
    if a.joined & b.joined:
        return names.EXACT
    first = _best(a, b)
    if first < NAME_THRESHOLD:
        return first
    return min(first, _best(b, a))


def joined_keys(name: str) -> set[str]:
    """``joined_key`` with and without titles (حاجی in حاجی‌زاده is a name, not Haj)."""
    return {k for k in (joined_key(name), joined_key(name, keep_titles=True)) if k}


def joined_key(name: str, *, keep_titles: bool = False) -> str:
    """The keys of a name's tokens run together, titles left out, so that a name split
    differently in two scripts meets: ذبیح‌الله سهرابی (three tokens in Persian) and
    Zabihollah Sohrabi (two), حسین‌پور and Hosseinpour. A token's initial-vowel mark
    is dropped after the first, as it is when the joined word is keyed (-ollah, -allah)."""
    titles = names.title_keys()
    keys = [names.token_key(script, tok) for script, tok in names.tokens(name)]
    keys = [k for k in keys if k and (keep_titles or k not in titles)]
    if not keys:
        return ""
    return keys[0] + "".join(k[1:] if k.startswith("a") and len(k) > 1 else k for k in keys[1:])


def father_agreement(a: Candidate, b: Candidate) -> str | None:
    """ "same", "close" or "different"; None when either is unknown."""
    if not a.father_keys or not b.father_keys:
        return None
    if set(a.father_keys.split()) & set(b.father_keys.split()):
        return "same"
    closeness = max(
        names.score(a.father_name, b.father_keys), names.score(b.father_name, a.father_keys)
    )
    # Only a name written out in part ("Ali" for "Ali-Asghar") is close: a different
    # long vowel is another name (Hassan/Hossein, Mohammad/Mahmoud).
    if closeness >= FATHER_CLOSE:
        return "close"
    if closeness >= NAME_THRESHOLD and _is_persian(a.father_name) != _is_persian(b.father_name):
        # Across scripts a long vowel is often written one way and read another (Yusuf,
        # یوسف): no veto, and no credit either.
        return "uncertain"
    return "different"


def _is_persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


_PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


def death_date_agreement(a: Candidate, b: Candidate) -> str | None:
    """ "same day", "same month", "same year", "different"; None when either is unknown.

    Dates are compared at the coarser of the two precisions: "August 1988" and
    "1988-08-27" agree (to the month)."""
    if not a.death_date or not b.death_date:
        return None
    rank = min(
        _PRECISION_RANK.get(a.death_date_precision, 3),
        _PRECISION_RANK.get(b.death_date_precision, 3),
    )
    da, db = a.death_date, b.death_date
    if da.year != db.year:
        return "different"
    if rank == 1:
        return "same year"
    if da.month != db.month:
        return "different"
    if rank == 2:
        return "same month"
    return "same day" if da.day == db.day else "different"


def compare(a: Candidate, b: Candidate, *, freq: Frequencies | None = None) -> Match | None:
    """The pair with its score and reasons, or None when the two are not one person.
    ``freq`` (of the whole list) weighs the agreement by how common it is."""
    if a.gender and b.gender and a.gender != b.gender:
        return None
    if a.event and b.event and a.event != b.event:
        return None  # a person dies once: 1988 and 2019 are two people
    if a.birth_year and b.birth_year and abs(a.birth_year - b.birth_year) > 2:
        return None  # too far apart for a misread or a calendar slip
    father = father_agreement(a, b)
    if father == "different":
        return None  # namesakes: the father's name is what tells them apart
    sim = name_similarity(a, b)
    if sim < NAME_THRESHOLD:
        return None
    reasons: list[str] = []
    if names.is_exact_score(sim):
        same_text = {n.casefold() for n in a.names} & {n.casefold() for n in b.names}
        reasons.append("same name" if same_text else "same name in another spelling")
    else:
        reasons.append("similar name")
    # An exact name is worth 0.55; every step down costs more than its size, so a
    # one-edit name needs more agreeing facts than an exact one.
    total = 0.55 - 1.5 * (1.0 - sim)

    if father == "same":
        total += 0.2
        reasons.append("same father's name")
    elif father == "close":
        total += 0.15
        reasons.append("father's name in a close spelling")
    elif father == "uncertain":
        reasons.append("father's name perhaps the same, in another script")

    if a.birth_year and b.birth_year:
        gap = abs(a.birth_year - b.birth_year)
        if gap == 0:
            total += 0.12
            reasons.append("same birth year")
        elif gap == 1:
            total += 0.09
            reasons.append("birth year 1 apart")
        elif gap == 2:
            total -= 0.05
            reasons.append("birth year 2 apart")

    if a.prison and b.prison:
        if a.prison == b.prison:
            total += 0.06
            reasons.append("same prison")
        else:
            # Prisoners were moved, so a different prison is no veto; but lists usually
            # name the prison where the person was killed, so it weighs.
            total -= 0.15
            reasons.append("different prison")

    death = death_date_agreement(a, b)
    if death == "different":
        total -= 0.15
        reasons.append("different date of death")
    elif death:
        total += {"same day": 0.08, "same month": 0.05, "same year": 0.02}[death]
        reasons.append(f"died {death}" if death != "same day" else "same date of death")

    if a.death_place and b.death_place:
        if a.death_place == b.death_place:
            total += 0.04
            reasons.append("same place of death")
        else:
            total -= 0.06
            reasons.append("different place of death")

    if freq is not None:
        chance = freq.chance(a, b)
        total -= RARITY_WEIGHT * math.log10(max(chance / NEUTRAL_CHANCE, 1e-3))
        if chance >= 10 * NEUTRAL_CHANCE:
            reasons.append(
                f"a common name ({freq.name_count(a, b):,} people): strangers agree this "
                "well by chance"
            )
        elif chance <= NEUTRAL_CHANCE / 10:
            reasons.append("a rare name")
    total = max(0.0, min(1.0, total))
    if total < PROPOSE_THRESHOLD:
        return None
    return Match(a, b, round(total, 3), reasons)


def find_duplicates(
    people: Iterable[Candidate], *, exclude: set[frozenset[str]] | None = None
) -> list[Match]:
    """Likely pairs, best first. ``exclude`` holds pairs of refs already judged different."""
    people = list(people)
    exclude = exclude or set()
    freq = Frequencies.of(people)
    matches = []
    for i, j in candidate_pairs(people):
        a, b = people[i], people[j]
        if a.ref > b.ref:
            a, b = b, a
        if frozenset((a.ref, b.ref)) in exclude:
            continue
        match = compare(a, b, freq=freq)
        if match:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.a.ref, m.b.ref))
    return matches


def load_candidates(queryset) -> list[Candidate]:
    """Candidates for every victim in ``queryset`` (withdrawn merged records excluded)."""
    fields = [
        "pk", "ref", "name_latin", "name_fa", "aliases", "name_keys", "father_name", "gender",
        "birth_year", "prison_id", "death_date", "death_date_precision", "death_place_id",
        "event_id",
    ]  # fmt: skip
    out = []
    for row in queryset.values_list(*fields).iterator(chunk_size=5000):
        (pk, ref, latin, fa, aliases, keys, father, gender, birth, prison, death,
         precision, place, event) = row  # fmt: skip
        out.append(
            Candidate(
                ref=ref,
                pk=pk,
                name_latin=latin,
                name_fa=fa,
                aliases=tuple(x.strip() for x in (aliases or "").splitlines() if x.strip()),
                name_keys=keys,
                father_name=father,
                gender=gender,
                birth_year=birth,
                prison=prison,
                death_date=death,
                death_date_precision=precision or "",
                death_place=place,
                event=event,
            )
        )
    return out


# --- The database side --------------------------------------------------------------------


def victim_matches(queryset=None) -> list[Match]:
    """Likely pairs among victims not already merged into another record, skipping pairs a
    researcher has marked "different people"."""
    from victims.models import DuplicatePair, Victim

    if queryset is None:
        queryset = Victim.objects.all()
    queryset = queryset.filter(merged_into__isnull=True)
    judged = DuplicatePair.objects.filter(status=DuplicatePair.Status.DIFFERENT).values_list(
        "victim_a__ref", "victim_b__ref"
    )
    return find_duplicates(load_candidates(queryset), exclude={frozenset(p) for p in judged})


def store_matches(matches: list[Match]) -> int:
    """Save the matches in the review queue; a pair already there (proposed or decided)
    keeps its decision, a proposed one gets the new score and reasons. Returns how many
    pairs are new."""
    from django.db import transaction

    from victims.models import DuplicatePair

    new = 0
    with transaction.atomic():
        existing = {
            (a, b): (pk, status)
            for pk, a, b, status in DuplicatePair.objects.values_list(
                "pk", "victim_a_id", "victim_b_id", "status"
            )
        }
        to_create = []
        for m in matches:
            a, b = sorted((m.a.pk, m.b.pk))
            reasons = "; ".join(m.reasons)
            if (a, b) in existing:
                pk, status = existing[(a, b)]
                if status == DuplicatePair.Status.PROPOSED:
                    DuplicatePair.objects.filter(pk=pk).update(score=m.score, reasons=reasons)
                continue
            to_create.append(
                DuplicatePair(victim_a_id=a, victim_b_id=b, score=m.score, reasons=reasons)
            )
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(to_create, DuplicatePair, batch_size=1000)
        new = len(to_create)
    return new
