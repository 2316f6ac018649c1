"""The "realistic" make of ``bench.synthetic``: family names as diverse as Iranian ones are,
and the facts about a person that real lists give (place of birth, occupation, ethnicity,
religion, civil status, date of arrest), each record giving some of them.

Why (docs/dedupe.md, "The two generators"): the lexicon make draws 100,000 people from 248
given x 249 family names with a Zipf skew, and fathers from the same given names, so
namesakes who agree on everything grow with the square of the list, and its rows carry no
fact beyond the name, the father, the year of birth and the death. Real lists of this size
have far more family names (compounds and names made from a place or a given name:
Hosseini Tabrizi, Hosseinpour, Alizadeh, Kermani) and carry the person's facts.

Everything is still fictional: family names are built from the lexicon's parts (its family
names, its given names, its affixes) and the adjectives of real Iranian towns, recombined at
random; nothing is taken from a real record. The places are real towns (places, not people).
The rates below (how often a list gives a fact, how often two lists disagree on it) are
assumptions, written down here and in docs/dedupe.md, not measurements.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import cache

from archive.core.names.lexicon import AFFIXES, FAMILY_NAMES, GIVEN_NAMES, Entry

# Towns of birth: (Latin spellings, Persian, adjective's Latin spellings, adjective in
# Persian, weight, main ethnicity). Weights roughly follow where the victims of both events
# came from: Tehran most, then the large provincial cities, then a long tail.
TOWNS = (
    (("Tehran", "Teheran"), "تهران", ("Tehrani", "Teherani"), "تهرانی", 22, "persian"),
    (("Tabriz",), "تبریز", ("Tabrizi",), "تبریزی", 6, "azerbaijani"),
    (("Mashhad", "Meshed"), "مشهد", ("Mashhadi",), "مشهدی", 5, "persian"),
    (("Isfahan", "Esfahan"), "اصفهان", ("Esfahani", "Isfahani"), "اصفهانی", 5, "persian"),
    (("Shiraz",), "شیراز", ("Shirazi",), "شیرازی", 4, "persian"),
    (("Ahvaz", "Ahwaz"), "اهواز", ("Ahvazi",), "اهوازی", 4, "arab"),
    (("Rasht",), "رشت", ("Rashti",), "رشتی", 4, "gilak"),
    (("Kermanshah",), "کرمانشاه", ("Kermanshahi",), "کرمانشاهی", 3, "kurdish"),
    (("Sanandaj",), "سنندج", ("Sanandaji",), "سنندجی", 3, "kurdish"),
    (("Urmia", "Orumieh"), "ارومیه", ("Urmavi", "Orumiehi"), "ارومیه‌ای", 2, "azerbaijani"),
    (("Qazvin", "Ghazvin"), "قزوین", ("Qazvini", "Ghazvini"), "قزوینی", 2, "persian"),
    (("Hamedan", "Hamadan"), "همدان", ("Hamedani", "Hamadani"), "همدانی", 2, "persian"),
    (("Kerman",), "کرمان", ("Kermani",), "کرمانی", 2, "persian"),
    (("Yazd",), "یزد", ("Yazdi",), "یزدی", 2, "persian"),
    (("Zanjan",), "زنجان", ("Zanjani",), "زنجانی", 2, "azerbaijani"),
    (("Ardabil",), "اردبیل", ("Ardabili",), "اردبیلی", 2, "azerbaijani"),
    (("Kashan",), "کاشان", ("Kashani",), "کاشانی", 1, "persian"),
    (("Qom", "Ghom"), "قم", ("Qomi", "Ghomi"), "قمی", 1, "persian"),
    (("Arak",), "اراک", ("Araki",), "اراکی", 1, "persian"),
    (("Babol",), "بابل", ("Baboli",), "بابلی", 2, "mazandarani"),
    (("Sari",), "ساری", ("Saravi",), "ساروی", 1, "mazandarani"),
    (("Amol",), "آمل", ("Amoli",), "آملی", 1, "mazandarani"),
    (("Lahijan",), "لاهیجان", ("Lahiji", "Lahijani"), "لاهیجی", 1, "gilak"),
    (("Langarud", "Langroud"), "لنگرود", ("Langarudi", "Langroudi"), "لنگرودی", 1, "gilak"),
    (("Khorramabad",), "خرم‌آباد", ("Khorramabadi",), "خرم‌آبادی", 1, "lur"),
    (("Borujerd", "Boroujerd"), "بروجرد", ("Borujerdi", "Boroujerdi"), "بروجردی", 1, "lur"),
    (("Dezful",), "دزفول", ("Dezfouli", "Dezfuli"), "دزفولی", 1, "persian"),
    (("Shushtar",), "شوشتر", ("Shushtari", "Shoushtari"), "شوشتری", 1, "persian"),
    (("Abadan",), "آبادان", ("Abadani",), "آبادانی", 1, "persian"),
    (("Mahshahr",), "ماهشهر", ("Mahshahri",), "ماهشهری", 1, "arab"),
    (("Bushehr",), "بوشهر", ("Bushehri", "Boushehri"), "بوشهری", 1, "persian"),
    (("Bandar Abbas",), "بندرعباس", ("Bandari",), "بندری", 1, "persian"),
    (("Iranshahr",), "ایرانشهر", ("Iranshahri",), "ایرانشهری", 1, "baluch"),
    (("Mahabad",), "مهاباد", ("Mahabadi",), "مهابادی", 1, "kurdish"),
    (("Saqqez", "Saghez"), "سقز", ("Saqqezi", "Saghezi"), "سقزی", 1, "kurdish"),
    (("Marivan",), "مریوان", ("Marivani",), "مریوانی", 1, "kurdish"),
    (("Javanrud",), "جوانرود", ("Javanrudi",), "جوانرودی", 1, "kurdish"),
    (("Maragheh",), "مراغه", ("Maraghei",), "مراغه‌ای", 1, "azerbaijani"),
    (("Khoy", "Khoi"), "خوی", ("Khoei", "Khoyi"), "خویی", 1, "azerbaijani"),
    (("Sabzevar",), "سبزوار", ("Sabzevari",), "سبزواری", 1, "persian"),
    (("Neyshabur", "Nishapur"), "نیشابور", ("Neyshaburi", "Nishaburi"), "نیشابوری", 1, "persian"),
    (("Gorgan",), "گرگان", ("Gorgani",), "گرگانی", 1, "persian"),
    (("Gonbad",), "گنبد", ("Gonbadi",), "گنبدی", 1, "turkmen"),
    (("Semnan",), "سمنان", ("Semnani",), "سمنانی", 1, "persian"),
    (("Shahriar",), "شهریار", ("Shahriari",), "شهریاری", 1, "persian"),
    (("Eslamshahr",), "اسلامشهر", ("Eslamshahri",), "اسلامشهری", 1, "persian"),
    (("Karaj",), "کرج", ("Karaji",), "کرجی", 2, "persian"),
    (("Ilam",), "ایلام", ("Ilami",), "ایلامی", 1, "kurdish"),
    (("Yasuj",), "یاسوج", ("Yasuji",), "یاسوجی", 1, "lur"),
    (("Shahr-e Kord", "Shahrekord"), "شهرکرد", ("Shahrekordi",), "شهرکردی", 1, "persian"),
)
TOWN_WEIGHTS = [t[4] for t in TOWNS]

# Occupations (``victims.person.Occupation``) by event: 1988's prisoners were mostly
# students, teachers and workers arrested in 1981-83; 2019's dead mostly young workers.
OCCUPATIONS = {
    "1988-massacre": {
        "student": 30, "teacher": 12, "worker": 15, "engineer": 6, "civil_servant": 8,
        "health": 4, "merchant": 5, "writer": 3, "farmer": 3, "military": 3,
        "homemaker": 3, "unemployed": 2, "other": 6,
    },
    "november-2019-protests": {
        "worker": 30, "student": 18, "unemployed": 12, "merchant": 10, "farmer": 5,
        "civil_servant": 4, "engineer": 3, "health": 2, "teacher": 2, "military": 1,
        "homemaker": 2, "writer": 1, "other": 10,
    },
}  # fmt: skip
CIVIL = {
    "1988-massacre": {"single": 55, "married": 41, "divorced": 1, "widowed": 3},
    "november-2019-protests": {"single": 62, "married": 36, "divorced": 1, "widowed": 1},
}

# How often one list gives each fact about a person (each record draws its own), and how
# often a second list gives a different value for it (a town confused with the place of
# residence, an occupation at another time, another of two arrests).
SHOWN = {
    "birth_place": 0.55,
    "occupation": 0.5,
    "ethnicity": 0.35,
    "religion": 0.3,
    "civil_status": 0.35,
    "arrest": 0.4,
}
DIFFERS = {
    "birth_place": 0.04,
    "occupation": 0.12,
    "ethnicity": 0.03,
    "religion": 0.01,
    "civil_status": 0.1,
    "arrest": 0.1,
}

_MALE = [e for e in GIVEN_NAMES if e.gender == "m"]
_AFFIX = {e.latin[0]: e for e in AFFIXES}
# Affixes that make a family name of a given name (Hosseinpour, Alizadeh, Rezanejad,
# Karimifar), and the other endings lists write (Rezaian, Hassanlou, Alivand, Hosseinnia).
_ENDINGS = (
    _AFFIX["Pour"],
    _AFFIX["Zadeh"],
    _AFFIX["Nejad"],
    _AFFIX["Far"],
    Entry("affix:ian", "affix", "", "یان", ("ian", "yan"), 6),
    Entry("affix:lou", "affix", "", "لو", ("lou", "loo", "lu"), 7),
    Entry("affix:vand", "affix", "", "وند", ("vand", "wand"), 8),
    Entry("affix:nia", "affix", "", "نیا", ("nia", "niya"), 9),
)


def _zipf(n: int, exponent: float) -> list[float]:
    return [1.0 / (i + 1) ** exponent for i in range(n)]


_GIVEN_WEIGHTS = _zipf(len(_MALE), 0.9)
_FAMILY_WEIGHTS = _zipf(len(FAMILY_NAMES), 0.8)


def _combine(parts: list[tuple[str, ...]], joiner: str, limit: int = 6) -> tuple[str, ...]:
    """Spellings of a name made of parts, the commonest (earliest parts' spellings) first."""
    out: list[tuple[int, str]] = []
    if len(parts) == 1:
        return parts[0][:limit]
    for i, x in enumerate(parts[0][:3]):
        for j, y in enumerate(parts[1][:3]):
            out.append((i + j, x + joiner + y))
    return tuple(dict.fromkeys(s for _r, s in sorted(out)))[:limit]


@cache
def from_given(given: Entry, ending: Entry) -> Entry:
    """Hosseinpour, حسین‌پور: a given name and an ending, joined (the Persian with a
    zero-width non-joiner, as lists mostly write it)."""
    stems = tuple(v for v in given.latin if " " not in v and "-" not in v)
    latin = _combine([stems, tuple(x.lower() for x in ending.latin)], "")
    latin += (f"{stems[0]}-{ending.latin[0].capitalize()}",)  # Hossein-Pour, seldom
    return Entry(f"family:syn:{given.id}+{ending.id}", "family", "",
                 f"{given.fa}\u200c{ending.fa}", latin, 0)  # fmt: skip


@cache
def from_town(town: int) -> Entry:
    """Tabrizi, تبریزی: a town's adjective."""
    _names, _fa, latin, fa, _w, _e = TOWNS[town]
    return Entry(f"family:syn:town{town}", "family", "", fa, latin, 0)


@cache
def compound(family: Entry, town: int) -> Entry:
    """Hosseini Tabrizi, حسینی تبریزی: a family name and a town's adjective."""
    place = from_town(town)
    latin = _combine([family.latin, place.latin], " ")
    return Entry(f"family:syn:{family.id}+town{town}", "family", "",
                 f"{family.fa} {place.fa}", latin, 0)  # fmt: skip


# A given name ending in a vowel takes only these (Rezapour, Mostafazadeh, Mortezanejad):
# Mortezalou or Mojtabavand are not names.
_AFTER_VOWEL = _ENDINGS[:4]


def _ending(rng: random.Random, given: Entry) -> Entry:
    return rng.choice(_AFTER_VOWEL if given.latin[0][-1] in "aeiou" else _ENDINGS)


def family_name(rng: random.Random) -> Entry:
    """A family name: a quarter the lexicon's (skewed as before), the rest built from its
    parts: a given name and an ending (30 %), a town's adjective (15 %), a lexicon family
    name and a town's adjective (30 %)."""
    r = rng.random()
    if r < 0.25:
        return rng.choices(FAMILY_NAMES, _FAMILY_WEIGHTS)[0]
    if r < 0.55:
        given = rng.choices(_MALE, _GIVEN_WEIGHTS)[0]
        return from_given(given, _ending(rng, given))
    # A family's town is where an ancestor came from, not where the victims were born:
    # every town alike.
    town = rng.randrange(len(TOWNS))
    if r < 0.70:
        return from_town(town)
    return compound(rng.choices(FAMILY_NAMES, _FAMILY_WEIGHTS)[0], town)


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), list(table.values()))[0]


def _religion(rng: random.Random, ethnicity: str) -> str:
    if ethnicity in ("kurdish", "baluch", "turkmen") and rng.random() < 0.6:
        return "sunni"
    r = rng.random()
    if r < 0.02:
        return "bahai"
    if r < 0.03:
        return "christian"
    if r < 0.05:
        return "none"
    return "shia"


def _arrest(rng: random.Random, event: str, fate: str) -> tuple[str, str] | None:
    if event == "1988-massacre":
        year = rng.choices(range(1981, 1989), [35, 25, 12, 8, 7, 6, 4, 3])[0]
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        precision = rng.choices(("day", "month", "year"), [25, 35, 40])[0]
    elif fate == "killed_protesting":
        return None  # shot in the street
    else:
        day = dt.date(2019, 11, 15) + dt.timedelta(days=rng.randint(0, 10))
        precision = "day"
    if precision == "month":
        day = day.replace(day=1)
    elif precision == "year":
        day = day.replace(month=1, day=1)
    return day.isoformat(), precision


def person_facts(rng: random.Random, event: str, fate: str) -> dict:
    """What is true of a person (every fact; a record gives some: ``shown``)."""
    town = rng.choices(range(len(TOWNS)), TOWN_WEIGHTS)[0]
    ethnicity = TOWNS[town][5] if rng.random() < 0.8 else "persian"
    return {
        "birth_place": TOWNS[town][0][0],
        "occupation": _weighted(rng, OCCUPATIONS[event]),
        "ethnicity": ethnicity,
        "religion": _religion(rng, ethnicity),
        "civil_status": _weighted(rng, CIVIL[event]),
        "arrest": _arrest(rng, event, fate),
    }


def _other(rng: random.Random, fact: str, value, event: str, fate: str):
    """A different value a second list may give."""
    fresh = person_facts(rng, event, fate)[fact]
    if fact == "arrest" and value and fresh and fresh[0][:4] == value[0][:4]:
        year = int(value[0][:4]) + rng.choice((-1, 1))
        return f"{year}{value[0][4:]}", value[1]
    return fresh


def shown(
    facts: dict,
    rng: random.Random,
    event: str,
    fate: str,
    *,
    second: bool = False,
    death: str = "",
) -> dict:
    """The facts one record gives: each with its own chance, a second list's sometimes
    different, its date of arrest sometimes only to the month, never after ``death`` (an
    ISO date: a list gives no arrest after the death it records)."""
    out = {f: "" for f in SHOWN if f != "arrest"} | {"arrest_date": "", "arrest_date_precision": ""}
    for fact, chance in SHOWN.items():
        if rng.random() >= chance or not facts[fact]:
            continue
        value = facts[fact]
        if second and rng.random() < DIFFERS[fact]:
            value = _other(rng, fact, value, event, fate) or value
        if fact == "arrest":
            date, precision = value
            if second and precision == "day" and rng.random() < 0.2:
                date, precision = date[:8] + "01", "month"
            if death and date > death:
                continue
            out["arrest_date"], out["arrest_date_precision"] = date, precision
        else:
            out[fact] = value
    return out
