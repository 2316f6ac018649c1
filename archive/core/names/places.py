"""Family names made of a town's adjective (a nisba: Tabrizi, تبریزی, "of Tabriz"), and the
forms of one adjective lists write that the keys cannot join.

Most Iranian nisbas are the town and a final ی, and the keys already read every spelling of
them alike: Tabrizi, Tabrizy, Tabrizee and تبریزی, Qazvini and Ghazvini, Esfahani and
Isfahani, Dezfouli and Dezfuli. Some towns have two adjectives, or a Latin spelling of the
town the keys read as another word, and lists use either for one family:

- the Arabic form beside the Persian one: ارموی (Urmavi) beside ارومیه‌ای (Orumiehi), همذانی
  (Hamadhani) beside همدانی, جیلانی (Jilani) beside گیلانی, ساوجی (Savoji) beside ساوه‌ای,
  تستری (Tustari) beside شوشتری, اصبهانی (Isbahani) beside اصفهانی, نیسابوری beside
  نیشابوری, مروزی (Marvazi) beside مروی;
- the adjective of the town's short name beside the full one: لاهیجی (Lahiji) beside
  لاهیجانی (Lahijani), کاشی (Kashi) beside کاشانی, کرمانشاهی beside کرمانشاهانی, مراغی
  beside مراغه‌ای;
- Latin spellings of the town that differ in what the keys keep: Mashad for Mashhad (the h
  of -shh- dropped), Nishapur for Neyshabur (p for ب), Dizful for Dezful and Burujird for
  Borujerd (an i for the short e), Khonsar for Khansar (the silent و of خوا).

``PLACES`` lists the towns (real places, not people) with such forms, and the regular ones
beside them; ``adjective_place`` reads a family-name word as the town it names, so that the
linkage can file the forms of one adjective together (``archive.core.linkage_keys``). Only
the towns whose forms key apart are read at all: for the rest the keys are enough.

A form whose key is also the key of a lexicon name, or is as short as Kashi's (kwe), is read
only as written, never through its key: another word keyed alike is not taken for the town.
Pure Python, no Django.
"""

from __future__ import annotations

from functools import lru_cache

from archive.core.names.keys import latin_key, persian_key
from archive.core.names.lexicon import FAMILY_NAMES, GIVEN_NAMES
from archive.core.names.text import normalize_latin, normalize_persian

# Persian town names | their Latin spellings | the adjective's Persian forms | its Latin
# forms other than the regular ones (town + i, made below). Commas separate spellings;
# ZWNJ inside a Persian form as lists write it.
_PLACES = """
ارومیه|Urmia,Orumieh,Oroumieh,Urumieh,Orumiyeh,Urmiyeh,Oroumiyeh|ارومیه‌ای,ارومیه‌یی,ارموی|Urmavi,Urmawi,Urmiai
لاهیجان|Lahijan,Lahidjan|لاهیجانی,لاهیجی|Lahiji,Lahidji
کاشان|Kashan|کاشانی,کاشی|Kashi
مراغه|Maragheh,Maragha|مراغه‌ای,مراغی|Maraghi
ساوه|Saveh,Sava|ساوه‌ای,ساوجی|Savoji,Saveji,Savaji
همدان|Hamedan,Hamadan|همدانی,همذانی|Hamadhani
گیلان|Gilan,Guilan|گیلانی,جیلانی|Jilani,Djilani
شوشتر|Shushtar,Shoushtar|شوشتری,تستری|Tustari,Tostari
اصفهان|Isfahan,Esfahan,Ispahan,Espahan|اصفهانی,اصبهانی|Isbahani,Esbahani,Asbahani
نیشابور|Neyshabur,Nishapur,Nishabur,Neyshapur,Neishabour|نیشابوری,نیسابوری|Nisaburi
مرو|Marv,Merv|مروی,مروزی|Marvazi,Mervazi
کرمانشاه|Kermanshah,Kermanshahan|کرمانشاهی,کرمانشاهانی|
مشهد|Mashhad,Mashad,Meshed|مشهدی|
دزفول|Dezful,Dezfoul,Dizful|دزفولی|
بروجرد|Borujerd,Boroujerd,Burujird|بروجردی|
خوانسار|Khansar,Khonsar,Khwansar,Khvansar|خوانساری|
خوی|Khoy,Khoi,Khuy|خویی,خوئی|Khoei,Khoee,Khoui
قوچان|Quchan,Ghouchan,Ghuchan,Qouchan|قوچانی|
نایین|Nain,Naein|نایینی,نائینی|Naini,Naeini
تهران|Tehran,Teheran|تهرانی,طهرانی|
تبریز|Tabriz|تبریزی|
شیراز|Shiraz|شیرازی|
قزوین|Qazvin,Ghazvin,Qazwin|قزوینی|
قم|Qom,Ghom,Qum|قمی|
کرمان|Kerman|کرمانی|
یزد|Yazd|یزدی|
رشت|Rasht|رشتی|
زنجان|Zanjan|زنجانی|
اردبیل|Ardabil,Ardebil|اردبیلی|
سبزوار|Sabzevar,Sabzavar,Sabzewar|سبزواری|
سمنان|Semnan|سمنانی|
دامغان|Damghan|دامغانی|
آمل|Amol,Amul|آملی|
بابل|Babol|بابلی|
ساری|Sari|ساروی|Saravi
لنگرود|Langarud,Langroud,Langerud|لنگرودی|
خرم‌آباد|Khorramabad|خرم‌آبادی|
اهواز|Ahvaz,Ahwaz|اهوازی|
بوشهر|Bushehr,Boushehr|بوشهری|
سنندج|Sanandaj|سنندجی|
گرگان|Gorgan|گرگانی|
طوس|Tus,Toos|طوسی|
رفسنجان|Rafsanjan|رفسنجانی|
گلپایگان|Golpayegan|گلپایگانی|
بهبهان|Behbahan|بهبهانی|
"""
# (Rezaiyeh, Shahreza's old Qomsheh, Gorgan's Astarabad: a town's other name makes another
# family name, not a spelling of this one; they are not listed.)


# A key of three letters (Kashi, کاشی: kwe) says too little to read other words by:
# such forms are read only as written.
_SHORTEST_KEY = 4


def _regular_latin(town: str) -> list[str]:
    t = normalize_latin(town).replace(" ", "")
    if t.endswith("eh"):
        return [t + "i", t[:-1] + "i", t[:-1] + "yi"]  # Orumiehi, Orumiei, Orumieyi
    if t[-1] in "aeiouy":
        return [t + "i", t + "yi", t + "ei"]  # Urmiai, Khoyi
    return [t + "i"]


def _regular_persian(town: str) -> list[str]:
    t = normalize_persian(town).replace(" ", "")
    if t[-1] in "هاو":
        return [t + "ای", t + "یی"]
    return [t + "ی"]


@lru_cache(maxsize=1)
def _name_keys_taken() -> frozenset[str]:
    """The keys of the lexicon's names that are not town adjectives: a form keyed alike is
    read only as written."""
    adjectives = {
        normalize_persian(form).replace(" ", "")
        for _towns, _latin, forms, _other in _rows()
        for form in forms
    }
    out = set()
    for entry in (*GIVEN_NAMES, *FAMILY_NAMES):
        if normalize_persian(entry.fa).replace(" ", "") in adjectives:
            continue
        out.add(persian_key(entry.fa))
        out.update(latin_key(v) for v in entry.latin)
    return frozenset(out)


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[tuple[str, ...], ...], ...]:
    rows = []
    for line in _PLACES.strip().splitlines():
        towns_fa, towns_latin, adjectives_fa, adjectives_latin = line.split("|")
        rows.append(
            tuple(
                tuple(x for x in field.split(",") if x)
                for field in (towns_fa, towns_latin, adjectives_fa, adjectives_latin)
            )
        )
    return tuple(rows)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(key -> town, spelling -> town) for the towns whose adjective's forms key apart."""
    by_key: dict[str, str] = {}
    by_spelling: dict[str, str] = {}
    taken = _name_keys_taken()
    for towns_fa, towns_latin, adjectives_fa, adjectives_latin in _rows():
        town = towns_fa[0]
        latin = [f for t in towns_latin for f in _regular_latin(t)]
        latin += [normalize_latin(f).replace(" ", "") for f in adjectives_latin]
        persian = [normalize_persian(f).replace(" ", "") for f in adjectives_fa]
        persian += [f for t in towns_fa for f in _regular_persian(t)]
        keyed = {latin_key(f): f for f in latin} | {persian_key(f): f for f in persian}
        if len(keyed) < 2:
            continue  # the keys join every form already
        for key, form in keyed.items():
            if key in taken or len(key) < _SHORTEST_KEY:
                by_spelling[form] = town
            else:
                by_key[key] = town
        for form in (*latin, *persian):
            by_spelling.setdefault(form, town)
    return by_key, by_spelling


@lru_cache(maxsize=1 << 14)
def adjective_place(script: str, word: str) -> str | None:
    """The town (its Persian name) whose adjective ``word`` is, in a form the keys do not
    join to the town's other forms; None for any other word. ``word`` is a normalised token
    (``names.tokens``), or a Persian adjective's two tokens run together (ارومیه and ای).
    Kept for the words seen last: the linkage asks it of every word of every name an
    import files, and the words of a list repeat."""
    by_key, by_spelling = _index()
    if town := by_spelling.get(word):
        return town
    key = latin_key(word) if script == "la" else persian_key(word)
    return by_key.get(key)


def place_token(town: str) -> str:
    """One spelling of a town's adjective, the same whatever form a list wrote: what the
    linkage files a family name under when it ends in one of ``adjective_place``'s forms."""
    return f"{town}ی"
