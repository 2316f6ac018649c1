"""A generator of clearly synthetic person rows, for load tests and search evaluation.

Every row is fictional: names are drawn from ``archive.core.names.lexicon`` and recombined at
random, refs are "SYN-0000001" and up, and nothing is taken from a real record. The
shape of the data follows the real lists, because a search tuned on a uniform corpus
would be tuned on the wrong problem:

* name frequency is skewed (Mohammad, Ali, Hosseini, Ahmadi ... are far commoner than
  the tail), so many people share a name and the search must tell namesakes apart;
* about 30% of people are known in Persian script only and about 10% in Latin only;
  the Latin spelling is drawn from the spellings seen in NGO/UN lists, commonest first;
* 1988 victims were mostly born 1950-1970 and executed from late July to September
  1988; the November 2019 protest victims were mostly born 1980-2005 and killed in the
  street around 15-19 November 2019.

``death_date`` is an ISO date; when ``death_date_precision`` is "month" or "year" the
date is the first day of that month or year (the rest is not known).

Everything is deterministic for a given seed. Pure Python, no Django.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterable, Iterator, Sequence

from archive.core.names.lexicon import FAMILY_NAMES, GIVEN_NAMES, PRISONS, TITLES, Entry, parse_name

EVENT_1988 = "1988-massacre"
EVENT_2019 = "november-2019-protests"
FATES = ("executed", "died_in_custody", "killed_protesting", "disappeared", "unknown")
REF_FORMAT = "SYN-%07d"

_TITLE = {e.latin[0]: e for e in TITLES}
_PRISON_NAMES = [latin for latin, _ in PRISONS]
# Where the 1988 victims were held: most in Evin and Gohardasht, the rest spread.
_PRISON_WEIGHTS_1988 = [30, 30, 4, 6, 5, 5, 3, 3, 3, 2, 2, 0, 1, 2, 2, 1, 1, 1, 0]
# Where 2019 detainees died: Fashafouyeh, Evin, Qezel Hesar, Sepidar ...
_PRISON_WEIGHTS_2019 = [8, 1, 5, 2, 1, 2, 1, 2, 2, 1, 2, 4, 0, 1, 2, 1, 1, 1, 10]


class _Picker:
    """Weighted choice with a Zipf-like skew over entries already ordered by frequency."""

    def __init__(self, entries: Sequence[Entry], exponent: float = 0.9):
        self.entries = list(entries)
        weights = [1.0 / (i + 1) ** exponent for i in range(len(self.entries))]
        self.cumulative = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random) -> Entry:
        x = rng.random() * self.cumulative[-1]
        return self.entries[bisect.bisect_right(self.cumulative, x)]


_MALE = _Picker([e for e in GIVEN_NAMES if e.gender == "m"])
_FEMALE = _Picker([e for e in GIVEN_NAMES if e.gender == "f"])
_FAMILY = _Picker(FAMILY_NAMES, exponent=0.8)


def spelling(entry: Entry, rng: random.Random, avoid: str = "") -> str:
    """A Latin spelling of ``entry``, the commonest most often, never ``avoid`` if possible."""
    variants = [v for v in entry.latin if v != avoid] or list(entry.latin)
    weights = [1.0 / (i + 1) ** 2 for i in range(len(variants))]
    return rng.choices(variants, weights)[0]


def render_latin(entries: Sequence[Entry], rng: random.Random) -> str:
    return " ".join(spelling(e, rng) for e in entries)


def render_fa(entries: Sequence[Entry]) -> str:
    return " ".join(e.fa for e in entries)


def _name_entries(rng: random.Random, gender: str, event: str, family_of=_FAMILY) -> list[Entry]:
    given = (_MALE if gender == "male" else _FEMALE)(rng)
    family = family_of(rng)
    r = rng.random()
    if gender == "male":
        if r < 0.07:
            return [_TITLE["Seyed"], given, family]
        if r < 0.09 and event == EVENT_1988:
            return [_TITLE["Haj"], given, family]
    elif r < 0.05:
        return [given, _TITLE["Sadat"], family]
    return [given, family]


def _birth_year(rng: random.Random, event: str) -> int:
    if event == EVENT_1988:
        if rng.random() < 0.08:
            return rng.randint(1930, 1949)
        return max(1945, min(1972, round(rng.gauss(1961, 5))))
    if rng.random() < 0.1:
        return rng.randint(1970, 1984)
    return max(1975, min(2005, round(rng.gauss(1994, 6))))


def _fate(rng: random.Random, event: str) -> str:
    if event == EVENT_1988:
        return rng.choices(FATES, [85, 5, 0, 5, 5])[0]
    return rng.choices(FATES, [0, 8, 85, 3, 4])[0]


def _death(rng: random.Random, event: str, fate: str) -> tuple[str, str]:
    if fate in ("disappeared", "unknown") and rng.random() < 0.7:
        return "", ""
    if event == EVENT_1988:
        day = dt.date(1988, 7, 28) + dt.timedelta(days=rng.randint(0, 64))
        precision = rng.choices(("day", "month", "year"), [40, 35, 25])[0]
    else:
        offset = rng.choice((0, 1, 1, 1, 2, 2, 3, 4)) if fate != "died_in_custody" else 0
        offset = offset or rng.randint(0, 30)
        day = dt.date(2019, 11, 15) + dt.timedelta(days=offset)
        precision = rng.choices(("day", "month"), [80, 20])[0]
    if precision == "month":
        day = day.replace(day=1)
    elif precision == "year":
        day = day.replace(month=1, day=1)
    return day.isoformat(), precision


def _prison(rng: random.Random, event: str, fate: str) -> str:
    if fate == "killed_protesting":
        return ""  # shot in the street
    weights = _PRISON_WEIGHTS_1988 if event == EVENT_1988 else _PRISON_WEIGHTS_2019
    return rng.choices(_PRISON_NAMES, weights)[0]


def _person(rng: random.Random, number: int, family_of=_FAMILY) -> dict:
    event = EVENT_1988 if rng.random() < 0.7 else EVENT_2019
    gender = "male" if rng.random() < (0.85 if event == EVENT_1988 else 0.88) else "female"
    entries = _name_entries(rng, gender, event, family_of)
    script = rng.random()
    has_fa = script >= 0.1  # ~10% Latin only
    has_latin = script < 0.1 or script >= 0.4  # ~30% Persian only
    name_latin = render_latin(entries, rng) if has_latin else ""
    aliases = []
    if has_latin and rng.random() < 0.2:
        alias = _other_spelling(entries, name_latin, rng)
        if alias != name_latin:
            aliases.append(alias)
    father = _MALE(rng)
    father_name = spelling(father, rng) if has_latin and rng.random() < 0.8 else father.fa
    fate = _fate(rng, event)
    death_date, precision = _death(rng, event, fate)
    made = {} if family_of is _FAMILY else {"_entries": entries}
    return made | {
        "ref": REF_FORMAT % number,
        "name_latin": name_latin,
        "name_fa": render_fa(entries) if has_fa else "",
        "aliases": aliases,
        "father_name": father_name,
        "gender": gender,
        "birth_year": _birth_year(rng, event),
        "fate": fate,
        "death_date": death_date,
        "death_date_precision": precision,
        "prison": _prison(rng, event, fate),
        "event": event,
        "publication_status": "published" if rng.random() < 0.95 else "draft",
    }


# The makes of list: "lexicon" (names from the lexicon alone, no person's facts: the
# earlier benchmarks') and "realistic" (bench/synthetic_realistic.py: family names built
# from the lexicon's parts, and the person's facts real lists give).
MAKES = ("lexicon", "realistic")


def _realistic_person(rng: random.Random, number: int) -> dict:
    from bench import synthetic_realistic as real

    row = _person(rng, number, real.family_name)
    facts = real.person_facts(rng, row["event"], row["fate"])
    # Every fact true of the person: a second record of them is drawn from these
    # (``duplicate_pairs``).
    row["_facts"] = facts
    row.update(real.shown(facts, rng, row["event"], row["fate"], death=row["death_date"]))
    return row


def synthetic_people(
    n: int, seed: int = 0, start: int = 1, make: str = "lexicon"
) -> Iterator[dict]:
    """``n`` synthetic person rows numbered from ``start``; the same seed gives the same rows.
    ``make``: one of ``MAKES``."""
    rng = random.Random(f"people:{seed}")
    person = _realistic_person if make == "realistic" else _person
    for i in range(n):
        yield person(rng, start + i)


def name_entries(row: dict) -> list[Entry]:
    """The lexicon entries a row's name is made of, read from whichever script it has (a
    realistic row's built family names the lexicon cannot read: the row keeps them)."""
    if row.get("_entries"):
        return row["_entries"]
    for name in (row.get("name_latin"), row.get("name_fa"), *row.get("aliases", ())):
        if name and (entries := parse_name(name)):
            return entries
    return []


def _other_spelling(entries: list[Entry], current: str, rng: random.Random) -> str:
    words = current.split()
    if len(words) != len(entries):  # a compound written with a space: respell freely
        return render_latin(entries, rng)
    return " ".join(spelling(e, rng, avoid=w) for e, w in zip(entries, words, strict=True))


def duplicate_pairs(
    rows: Iterable[dict], rate: float = 0.05, seed: int = 0
) -> tuple[list[dict], list[tuple[str, str]]]:
    """Second rows for some people, as a merged list from two sources would have them.

    About ``rate`` of the people get a duplicate with the same father's name (possibly in
    the other script), the same prison, event and fate, the birth year the same or one
    off, and the name in another spelling or script: respelt in Latin, given only in
    Persian, or only in Latin. Returns the new rows (refs numbered after the highest
    existing one) and the truth pairs (original ref, duplicate ref).
    """
    rows = list(rows)
    rng = random.Random(f"duplicates:{seed}")
    next_number = 1 + max((int(r["ref"].rsplit("-", 1)[-1]) for r in rows), default=0)
    new_rows: list[dict] = []
    pairs: list[tuple[str, str]] = []
    for row in rows:
        if rng.random() >= rate:
            continue
        entries = name_entries(row)
        if not entries:
            continue
        dup = dict(row, aliases=[], ref=REF_FORMAT % next_number)
        mode = rng.random()
        if row["name_latin"] and mode < 0.4:
            dup["name_latin"] = _other_spelling(entries, row["name_latin"], rng)
            dup["name_fa"] = row["name_fa"] if rng.random() < 0.5 else ""
        elif row["name_latin"] and row["name_fa"] and mode < 0.7:
            dup["name_latin"] = ""
        elif row["name_fa"]:
            dup["name_latin"] = render_latin(entries, rng)
            dup["name_fa"] = ""
        else:
            dup["name_fa"] = render_fa(entries)
            dup["name_latin"] = ""
        father = parse_name(row["father_name"], kinds=("given",))
        if father and rng.random() < 0.5:
            is_fa = row["father_name"] == father[0].fa
            dup["father_name"] = spelling(father[0], rng) if is_fa else father[0].fa
        slip = rng.choice((0, 0, 0, -1, 1))
        dup["birth_year"] = row["birth_year"] + slip if row["birth_year"] else None
        if row["death_date_precision"] == "day" and rng.random() < 0.3:
            dup["death_date"] = row["death_date"][:8] + "01"
            dup["death_date_precision"] = "month"
        if "_facts" in row:  # the realistic make: the second list gives its own facts
            from bench.synthetic_realistic import shown

            dup.update(
                shown(row["_facts"], rng, row["event"], row["fate"], second=True,
                      death=dup["death_date"])
            )  # fmt: skip
        new_rows.append(dup)
        pairs.append((row["ref"], dup["ref"]))
        next_number += 1
    return new_rows, pairs


def list_with_gaps(
    n: int,
    *,
    rate: float = 0.05,
    seed: int = 0,
    no_birth: float = 1 / 3,
    one_script: float = 0.2,
    make: str = "lexicon",
) -> tuple[list[dict], set[frozenset[str]], dict[frozenset[str], dict]]:
    """A list as the issue's held-out check describes it: ``n`` people plus about
    ``n * rate`` second entries, where ``no_birth`` of the people (so of the pairs too)
    have no year of birth and ``one_script`` of the pairs give each record's name in one
    script only (the first in Latin, the second in Persian, or the other way round); the
    other pairs give both records both scripts, the second respelt.

    ``make``: "lexicon" or "realistic" (``MAKES``).

    Returns the rows, the truth pairs and, per pair, what kind it is
    (``{"birth": bool, "one_script": bool}``), for figures by kind."""
    rng = random.Random(f"gaps:{seed}")
    rows = list(synthetic_people(n, seed=seed, make=make))
    for row in rows:
        if rng.random() < no_birth:
            row["birth_year"] = None
    extra, pairs = duplicate_pairs(rows, rate=rate, seed=seed)
    by_ref = {r["ref"]: r for r in rows}
    kinds: dict[frozenset[str], dict] = {}
    for dup, (ref, dup_ref) in zip(extra, pairs, strict=True):
        original = by_ref[ref]
        if original["birth_year"] is None:
            dup["birth_year"] = None
        entries = name_entries(original)
        single = rng.random() < one_script
        if single:
            if rng.random() < 0.5:
                original["name_latin"], original["name_fa"] = render_latin(entries, rng), ""
                dup["name_latin"], dup["name_fa"] = "", render_fa(entries)
            else:
                original["name_latin"], original["name_fa"] = "", render_fa(entries)
                dup["name_latin"], dup["name_fa"] = render_latin(entries, rng), ""
            original["aliases"] = []
        else:
            original["name_latin"] = original["name_latin"] or render_latin(entries, rng)
            original["name_fa"] = original["name_fa"] or render_fa(entries)
            dup["name_fa"] = render_fa(entries)
            dup["name_latin"] = _other_spelling(entries, original["name_latin"], rng)
        kinds[frozenset((ref, dup_ref))] = {
            "birth": original["birth_year"] is not None,
            "one_script": single,
        }
    return rows + extra, {frozenset(p) for p in pairs}, kinds


# --- Officials: the lists of the commissions' members ------------------------------------

CLERICAL_TITLES = (("Ayatollah", "آیت‌الله"), ("Hojatoleslam", "حجت‌الاسلام"), ("Sheikh", "شیخ"))
OFFICIAL_REF_FORMAT = "SYN-P-%06d"
_COMPOUND_FIRST = [e for e in GIVEN_NAMES if e.fa in ("محمد", "علی", "حسین", "غلام", "حسن")]


def _compound_given(rng: random.Random) -> tuple[list[str], str]:
    """A given name of two names joined (Hossein-Ali, حسینعلی), as Latin spellings in the
    ways lists write them (joined, hyphenated, spaced) and the Persian, joined or not."""
    # As the real ones are made: Hossein-Ali, Mohammad-Hassan, Ali-Akbar, Gholam-Hossein.
    first, second = rng.choice(_COMPOUND_FIRST), _MALE(rng)
    while second is first or " " in second.latin[1:2] or second.fa.startswith(first.fa):
        second = _MALE(rng)
    a, b = spelling(first, rng), spelling(second, rng)
    latin = [a + b.lower(), f"{a}-{b}", f"{a} {b}"]
    fa = rng.choice(
        (first.fa + second.fa, f"{first.fa}\u200c{second.fa}", f"{first.fa} {second.fa}")
    )
    return latin, fa


def officials(n: int, seed: int = 0) -> tuple[list[dict], set[frozenset[str]]]:
    """``n`` synthetic officials, each named in two to four lists in the lists' own ways:
    Latin spellings drawn from the lexicon's variants (Nayyeri/Nayeri), compound given names
    joined, hyphenated or spaced (Hosseinali, Hossein-Ali), in Persian only in about a
    quarter of the entries, a clerical title given by some lists and not others; a father's
    name or a year of birth seldom. Returns the rows (one per entry) and the truth pairs
    (every two entries of one official)."""
    rng = random.Random(f"officials:{seed}")
    rows: list[dict] = []
    truth: set[frozenset[str]] = set()
    number = 1
    for _ in range(n):
        compound = rng.random() < 0.3
        given = _MALE(rng)
        family = _FAMILY(rng)
        title = rng.choice(CLERICAL_TITLES) if rng.random() < 0.4 else None
        father = _MALE(rng)
        birth = rng.randint(1925, 1960)
        if compound:
            latin_given, fa_given = _compound_given(rng)
        refs = []
        for _entry in range(rng.choice((2, 2, 3, 4))):
            if compound:
                given_latin, given_fa = rng.choice(latin_given), fa_given
            else:
                given_latin, given_fa = spelling(given, rng), given.fa
            script = rng.random()
            with_title = title and rng.random() < 0.5
            latin = f"{given_latin} {spelling(family, rng)}"
            fa = f"{given_fa} {family.fa}"
            if with_title:
                latin, fa = f"{title[0]} {latin}", f"{title[1]} {fa}"
            row = {
                "ref": OFFICIAL_REF_FORMAT % number,
                "name_latin": "" if script < 0.25 else latin,
                "name_fa": fa if script < 0.25 or script > 0.85 else "",
                "father_name": (father.fa if script < 0.25 else spelling(father, rng))
                if rng.random() < 0.15
                else "",
                "birth_year": birth + rng.choice((0, 0, 1, -1)) if rng.random() < 0.1 else None,
                "gender": "male",
            }
            rows.append(row)
            refs.append(row["ref"])
            number += 1
        truth |= {frozenset(p) for p in itertools.combinations(refs, 2)}
    return rows, truth
