"""Name normalisation and matching keys for finding people whatever the spelling or script.

The same victim appears as "Mohammad Hosseini", "Muhammad Husseini", "محمد حسینی" and
"محمد حسيني" (typed on an Arabic keyboard) in different lists. This module maps every
one of those to the same *key space*: a short ASCII transliteration skeleton per name
token, designed so that the Latin and the Persian spellings of a name meet.

The key space
=============
Persian script writes consonants and long vowels but not short vowels; Latin spellings
write all vowels, inconsistently (Mohammad/Muhammad, Hosseini/Hoseini/Hossaini). So a key
keeps only what both scripts agree on:

* consonants, one ASCII letter per Persian sound, whatever the letter used for it:
  ت ط -> t; س ص ث -> s; ز ذ ض ظ -> z; ح ه -> h; ق غ (q, gh) -> q; خ (kh, x) -> x;
  ش (sh) -> w; چ (ch) -> c; ج ژ (j, zh, dj) -> j; و as a consonant (v, w) -> v;
  doubled letters and shadda collapse (Hassan = Hasan -> "hsn");
* long vowels inside the word: ی (i, ee, ei, ey, y, ai) -> i; و (ou, oo, u) -> u.
  They are kept because Hassan/Hossein (حسن/حسین) and Mohammad/Mahmoud (محمد/محمود)
  differ only there. Latin a, e, o (Persian short vowels, and the long ā which Latin
  cannot tell from the short a) are dropped; so are ع and hamza, which Latin writes as
  a vowel, an apostrophe or nothing;
* a word-initial vowel (ا آ ع, Latin a e i o u) -> "a", so Ali, Omid, Ebrahim, Iraj
  keep their onset and keys stay at least three letters long;
* a word-final vowel (ا ی ه و, Latin a e i o u y, -eh, -ei, -aei ...) -> "e": one mark
  for all, because -eh/-a/-i endings vary across lists (Fatemeh/Fatima, Khadijeh/Khadija).

So "Hosseini", "Husseini", "Hoseyni" and "حسینی" are all "hsine"; "Mohammad"/"محمد" are
"mhmd"; "Rezaei"/"Rezai"/"رضایی" are "rzie"; "Ghasem"/"Qasem"/"قاسم" are "qsm".

Why keys, and how they are used
===============================
The Django side stores ``name_keys(latin, persian, *aliases)`` on each person, indexes
it with pg_trgm (GIN, the ``%>`` / ``<%`` word-similarity operators) or SQLite FTS5
trigram, fetches a few hundred candidates for ``query_key(q)``, and re-ranks them in
Python with ``score(q, keys)``. Trigram search only works if two spellings of a name
share trigrams; after keying they are usually identical, so trigram recall is no longer
limited by spelling. ``query_key`` therefore yields tokens of three characters or more
whenever the name has them (FTS5 trigram cannot match shorter strings); one-letter tokens
are initials.

Joined compounds (محمدرضا / محمد رضا / Mohammadreza / Mohammad-Reza, Pour-Mohammadi)
are matched by storing, besides each token's key, the key of every adjacent pair joined
(both as the concatenation of the two keys and as the key of the joined spelling), and
for a joined token that splits into lexicon names, the concatenation of the parts' keys.
Queries join adjacent tokens when scoring. ZWNJ is turned into a space by
``normalize_persian``, so ``علی‌رضا`` behaves like ``علی رضا``.

Known limits, by design: ع/ا/short vowels are invisible, so a few distinct names share
a key (سید Seyed and سعید Saeed/Said are both "sid"; the Latin "Said" is used for both
anyway). Arabic-style long/short u (Yusuf vs یوسف) and final ح vs ه (Saleh, صالح) differ
by one key letter; ``score`` treats such near misses as close (0.85-0.9), not as misses.

Everything here is pure Python and imports nothing from Django.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "is_exact",
    "latin_key",
    "name_keys",
    "normalize_latin",
    "normalize_persian",
    "persian_key",
    "query_key",
    "score",
]

# --------------------------------------------------------------------------- Persian text

_PERSIAN_MAP = {
    "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
    "\u0649": "\u06cc",  # alef maksura
    "\u0626": "\u06cc",  # yeh with hamza: رئیس is also written رییس
    "\u06d2": "\u06cc",
    "\u06cd": "\u06cc",
    "\u06d0": "\u06cc",
    "\u06ce": "\u06cc",  # Kurdish yeh with small v
    "\u0643": "\u06a9",  # Arabic kaf -> keheh
    "\u06aa": "\u06a9",
    "\u0629": "\u0647",  # teh marbuta: فاطمة -> فاطمه
    "\u06c0": "\u0647",  # heh with yeh above (ezafe)
    "\u06c1": "\u0647",
    "\u06be": "\u0647",
    "\u06d5": "\u0647",  # Kurdish ae
    "\u0623": "\u0627",  # alef with hamza above/below, wasla -> alef
    "\u0625": "\u0627",
    "\u0671": "\u0627",
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    "\u0624": "\u0648",  # waw with hamza: مؤمن -> مومن
    "\u06c6": "\u0648",  # Kurdish/Uyghur waw forms
    "\u06c7": "\u0648",
    "\u06c8": "\u0648",
    "\u06cb": "\u0648",
    "\u06a4": "\u0648",  # Kurdish ve is a v sound, which Persian writes و
    "\u0695": "\u0631",  # Kurdish reh with v
    "\u06b5": "\u0644",  # Kurdish lam with v
    "\u0621": "",  # lone hamza carries no letter in Persian spelling
    "\u0640": "",  # tatweel is decoration
    "\u200c": " ",  # ZWNJ: one convention, a space, so علی‌رضا behaves like علی رضا
    "\u060c": ",",
    "\u061b": ";",
    "\u061f": "?",
    "\u066b": ".",
    "\u066c": ",",
}
for _i in range(10):
    _PERSIAN_MAP[chr(0x06F0 + _i)] = str(_i)  # Persian digits
    _PERSIAN_MAP[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
_PERSIAN_TABLE = str.maketrans(_PERSIAN_MAP)

# Harakat, shadda, tanwin, superscript alef, Quranic marks: Persian names are written
# without them, and a vowelled copy must compare equal to a plain one.
_ARABIC_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d3-\u08ff]"
)
_SPACE = re.compile(r"\s+")


def _drop_invisible(text: str) -> str:
    # Format characters (ZWJ, bidi marks, BOM, soft hyphen) vanish; control characters
    # (NUL, tabs pasted from spreadsheets) separate words.
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue
        out.append(" " if cat in ("Cc", "Zl", "Zp") else ch)
    return "".join(out)


def _fixpoint(step, text: str) -> str:
    # Unicode normalisation and mark removal can expose new composable pairs; a second
    # pass settles them, so the public functions are idempotent.
    for _ in range(4):
        new = step(text)
        if new == text:
            return new
        text = new
    return text


def _normalize_persian_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_PERSIAN_TABLE)
    text = _ARABIC_MARKS.sub("", text)
    text = _drop_invisible(text)
    return _SPACE.sub(" ", text).strip()


def normalize_persian(text: str) -> str:
    """Persian-script text in one canonical spelling, for storage and comparison.

    Arabic letter forms (ي ى ك ة), hamza seats (أ إ ٱ -> ا, ؤ -> و, ئ -> ی, lone ء
    dropped) and Kurdish variants become Persian letters; harakat, shadda, tanwin and
    tatweel are removed; Persian and Arabic-Indic digits become ASCII; ZWNJ becomes a
    space and other format characters are removed (one convention: a compound written
    with ZWNJ, a space, or nothing differs only by spaces, which the keys bridge);
    whitespace is collapsed. آ is kept: it is a letter, not a decoration. Latin text
    passes through apart from whitespace and invisible characters.
    """
    return _fixpoint(_normalize_persian_once, str(text))


# ----------------------------------------------------------------------------- Latin text

_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u02bb\u02be\u02bf`\u00b4\u2032]")
_LATIN_EXTRA = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)
_NON_WORD = re.compile(r"[\W_]+")


def _is_arabic_script(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff"


def _strip_accents(text: str) -> str:
    # Marks on Latin letters go (Mohammád -> mohammad); a mark on an Arabic-script
    # letter stays so that آ survives and recomposes.
    out = []
    base_arabic = False
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch):
            if base_arabic:
                out.append(ch)
            continue
        base_arabic = _is_arabic_script(ch)
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _normalize_latin_once(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    text = _strip_accents(text).translate(_LATIN_EXTRA)
    text = _drop_invisible(text)
    text = _APOSTROPHES.sub("", text)  # Ja'far = Jafar, Mas'oud = Masoud
    text = _NON_WORD.sub(" ", text)  # hyphens, dots, commas separate words
    return _SPACE.sub(" ", text).strip()


def normalize_latin(text: str) -> str:
    """Latin-script text folded for comparison: lower case, no accents or apostrophes.

    Hyphens, dots and other punctuation become spaces, so "Pour-Mohammadi" reads as
    "pour mohammadi" and "M.Hosseini" as "m hosseini"; the keys then make
    Pour-Mohammadi, Pour Mohammadi and Pourmohammadi equal (see ``latin_key`` and
    ``name_keys``). Letters of other scripts are kept as they are.
    """
    return _fixpoint(_normalize_latin_once, str(text))


# ------------------------------------------------------------------------------ Latin key

_VOWELS = frozenset("aeiouy")
_DIGRAPHS = {"kh": "x", "gh": "q", "sh": "w", "ch": "c", "zh": "j"}
_SINGLE = {"q": "q", "x": "x", "w": "v", "c": "k", "j": "j"}
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")
# Arabic-style spellings write the short vowel of these openings as u (Muhammad,
# Husain); elsewhere a u before a single consonant is long (Mahmud, Yaqub, Ruhollah).
_SHORT_U_OPENINGS = ("muh", "husa", "husei", "husey")
_SIMPLE_FINAL = frozenset({"ou", "oo", "uu", "ee", "aa", "ii", "ow"})


def _ascii_letters(text: str) -> str:
    return "".join(ch for ch in text if "a" <= ch <= "z")


def _latin_units(s: str) -> list[tuple[bool, str]]:
    """Split a folded Latin word into (is_vowel_run, text) units."""
    units: list[tuple[bool, str]] = []
    i, n = 0, len(s)
    if s[0] == "y" and n > 1 and s[1] in _VOWELS:
        units.append((False, "i"))  # Yousef, Yahya: a consonant y, keyed like ی
        i = 1
    while i < n:
        ch = s[i]
        if ch in _VOWELS:
            j = i
            while j < n and s[j] in _VOWELS:
                j += 1
            units.append((True, s[i:j]))
            i = j
            continue
        pair = s[i : i + 2]
        if pair in _DIGRAPHS:
            units.append((False, _DIGRAPHS[pair]))
            i += 2
            continue
        units.append((False, _SINGLE.get(ch, ch)))
        i += 1
    return units


def _run_classes(run: str) -> list[str]:
    # Which long vowels a Latin vowel run spells, in order: ou/oo -> و, i/y/ee/ae -> ی.
    found = []
    for marks, key in (
        (("ou", "oo", "uu", "iu", "yu"), "u"),  # Dariush, Kiumars: u after i is long
        (("i", "y", "ee", "ae"), "i"),
    ):
        positions = [run.find(m) for m in marks if m in run]
        if positions:
            found.append((min(positions), key))
    return [key for _, key in sorted(found)]


@lru_cache(maxsize=1 << 17)
def _latin_word_key(s: str) -> str:
    if not s:
        return ""
    if s.startswith("dj"):  # French-era Djafar, Djavad
        s = s[1:]
    s = s.replace("ck", "k")
    if len(s) > 2 and s.endswith("eh"):  # Fatemeh = Fateme: the h marks the final e
        s = s[:-1]
    s = re.sub(r"ow(?=[^aeiouy]|$)", "ou", s)  # Khosrow, Mowlavi, Nowruz: ow is a vowel
    s = re.sub(r"oy(?=[aeiou])", "ouy", s)  # Roya, Poya: the o before y is long
    if not s:
        return ""
    units = _latin_units(s)
    out: list[str] = []
    last = len(units) - 1
    for idx, (is_vowel, text) in enumerate(units):
        if not is_vowel:
            out.append(text)
            continue
        if idx == 0:
            out.append("a")  # Ali, Omid, Ebrahim, Iraj: any initial vowel
            continue
        if idx == last:
            if len(text) == 1 or text in _SIMPLE_FINAL:
                out.append("e")
            else:  # Rezaei, Daria, Pouya: a long vowel before the final one
                out.extend(_run_classes(text))
                out.append("e")
            continue
        if text == "u":
            following = 0
            for is_v, _ in units[idx + 1 :]:
                if is_v:
                    break
                following += 1
            short = following >= 2 or (idx == 1 and s.startswith(_SHORT_U_OPENINGS))
            if not short:
                out.append("u")
            continue
        out.extend(_run_classes(text))
    return _collapse(out)


def _collapse(parts: list[str]) -> str:
    out = []
    for p in parts:
        if p and (not out or out[-1] != p):
            out.append(p)
    return "".join(out)


def latin_key(token: str) -> str:
    """Key of a Latin-script name token (spaces and hyphens inside are joined).

    Mohammad/Mohammed/Muhammad/Mohamad -> "mhmd"; Hosseini/Hoseini/Husseini -> "hsine";
    Ghasem/Qasem -> "qsm"; Khosrow/Khosro -> "xsre". See the module docstring.
    """
    return _latin_word_key(_ascii_letters(normalize_latin(token)))


# ---------------------------------------------------------------------------- Persian key

_FA_CONSONANTS = {
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ط": "t",
    "ث": "s",
    "س": "s",
    "ص": "s",
    "ج": "j",
    "ژ": "j",
    "چ": "c",
    "ح": "h",
    "خ": "x",
    "د": "d",
    "ذ": "z",
    "ز": "z",
    "ض": "z",
    "ظ": "z",
    "ر": "r",
    "ش": "w",
    "غ": "q",
    "ق": "q",
    "ف": "f",
    "ک": "k",
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
}
_FA_LETTERS = frozenset(_FA_CONSONANTS) | frozenset("اآعیوه")
_ALEF = frozenset("اآ")
_INITIAL_VOWEL = frozenset("اآع")
# Stems where و between consonants is a v (Tavakoli, Lajevardi, Monavar); elsewhere
# a و between consonants is the vowel u (Mahmoud, Mansour, Pour-).
_CONSONANT_VAV_STEMS = ("توکل", "لاجورد", "منور")


def _vav(s: str, i: int, forced: set[int], out: list[str]) -> str:
    n = len(s)
    prev = s[i - 1] if i else ""
    nxt = s[i + 1] if i + 1 < n else ""
    if i == 0 or i in forced:
        return "v"
    if i == 1 and s[0] in _INITIAL_VOWEL and nxt not in _ALEF:
        return ""  # اورنگ Ourang: ا + و spell one initial vowel
    if prev == "خ" and (nxt in _ALEF or nxt in "شدر"):
        return ""  # silent و of خوا (Khajeh, Dadkhah); short o of خوش, خود, خور
    if nxt in _ALEF or prev in _ALEF or nxt == "و":
        return "v"  # Javad, Davood, Pahlavan
    if nxt == "ی":
        if i + 1 == n - 1:
            return "v"  # -avi: Mousavi, Razavi
        if i + 2 == n - 1 and s[i + 2] in _ALEF:
            return "u"  # Pouya, Roya
        return "v"  # Navid, Parviz
    if i == n - 1:
        return "e"  # Khosrow
    if s[i + 1 : i + 3] == "ند" and s[i + 3 :] in ("", "ی"):
        return "v"  # -vand: Biranvand, Sepahvand
    return "u"


@lru_cache(maxsize=1 << 17)
def _persian_word_key(s: str) -> str:
    if not s:
        return ""
    if s.startswith("ابوال"):  # Abolfazl: the و of ابو is swallowed by the article
        s = "اب" + s[3:]
    n = len(s)
    forced: set[int] = set()
    for stem in _CONSONANT_VAV_STEMS:
        at = s.find(stem)
        if at >= 0:
            forced.add(at + stem.index("و"))
    out: list[str] = []
    for i, ch in enumerate(s):
        prev = s[i - 1] if i else ""
        last = i == n - 1
        if ch in _ALEF:
            if i == 0:
                out.append("a")
            elif last:
                out.append("e")
        elif ch == "ع":
            if i == 0:
                out.append("a")
            elif i + 1 == n - 1 and s[i + 1] == "ی":
                out.append("i")  # شجاعی, زارعی: written Shojaei, Zarei
        elif ch == "ی":
            if i == 0:
                out.append("i")
            elif i == 1 and s[0] in _INITIAL_VOWEL:
                pass  # ایرج Iraj, عیسی Isa: ا + ی spell one initial vowel
            elif last:
                if prev in _ALEF and i >= 2:
                    out.append("i")  # طباطبای: -ai
                out.append("e")
            else:
                out.append("i")
        elif ch == "و":
            out.append(_vav(s, i, forced, out))
        elif ch == "ه":
            if last and i > 0:
                consonant_h = (
                    prev in _ALEF or (prev == "و" and out and out[-1] == "u") or s.endswith("لله")
                )
                out.append("h" if consonant_h else "e")  # Shah, Shokouh, -ollah vs Fatemeh
            else:
                out.append("h")
        else:
            out.append(_FA_CONSONANTS.get(ch, ""))
    return _collapse(out)


def _persian_letters(text: str) -> str:
    return "".join(ch for ch in text if ch in _FA_LETTERS)


def persian_key(token: str) -> str:
    """Key of a Persian-script name token, in the same space as ``latin_key``.

    محمد -> "mhmd" (= Mohammad), حسینی -> "hsine" (= Hosseini), رضا -> "rze" (= Reza),
    قاسم -> "qsm" (= Ghasem). Arabic-keyboard forms are normalised first; spaces and
    ZWNJ inside the token are joined.
    """
    return _persian_word_key(_persian_letters(normalize_persian(token)))


# ------------------------------------------------------------------------------ tokenising

_TOKEN = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+|[a-z]+")
_SLASH_RELATION = re.compile(r"\b[sdw]\s*/\s*o\b", re.IGNORECASE)  # s/o, d/o, w/o

# Words that say how a person is related or addressed, not what they are called.
_NOISE_LATIN = frozenset(
    [
        "son",
        "of",
        "daughter",
        "wife",
        "bin",
        "ibn",
        "bint",
        "binti",
        "pesar",
        "pesare",
        "pesareh",
        "dokhtar",
        "dokhtare",
        "farzand",
        "farzande",
        "valad",
        "walad",
        "aka",
        "alias",
        "known",
        "as",
        "nee",
        "mr",
        "mrs",
        "ms",
        "miss",
        "martyr",
        "late",
        "and",
        "the",
    ]
)
_NOISE_PERSIAN = frozenset(
    normalize_persian(w)
    for w in [
        "فرزند",
        "پسر",
        "دختر",
        "همسر",
        "بن",
        "ابن",
        "بنت",
        "ولد",
        "آقای",
        "خانم",
        "شهید",
        "مرحوم",
        "معروف",
        "به",
        "و",
    ]
)
_TITLE_KEYS_CACHE: list[frozenset[str]] = []


def _tokens(text: str) -> list[tuple[str, str]]:
    """(script, normalised token) pairs, script being "fa" or "la"."""
    text = _SLASH_RELATION.sub(" ", normalize_persian(text))
    text = normalize_latin(text)
    out = []
    for tok in _TOKEN.findall(text):
        out.append(("la" if tok[0] <= "z" else "fa", tok))
    return out


def _key(script: str, tok: str) -> str:
    return _latin_word_key(tok) if script == "la" else _persian_word_key(_persian_letters(tok))


def _title_keys() -> frozenset[str]:
    if not _TITLE_KEYS_CACHE:
        from archive.lexicon import TITLES

        keys = set()
        for entry in TITLES:
            keys.add(persian_key(entry.fa))
            keys.update(latin_key(v) for v in entry.latin)
        _TITLE_KEYS_CACHE.append(frozenset(keys))
    return _TITLE_KEYS_CACHE[0]


@lru_cache(maxsize=8192)
def _split_compound(script: str, tok: str) -> tuple[str, ...]:
    """Split a joined token into known lexicon parts ("mohammadreza" -> mohammad, reza)."""
    from archive.lexicon import compound_parts

    latin, persian = compound_parts()
    parts = latin if script == "la" else persian

    def split(t: str, depth: int) -> tuple[str, ...] | None:
        for i in range(len(t) - 2, 1, -1):
            head, tail = t[:i], t[i:]
            if head not in parts:
                continue
            if tail in parts:
                return (head, tail)
            if depth and (rest := split(tail, depth - 1)):
                return (head, *rest)
        return None

    return split(tok, 1) or ()


def _add(out: dict[str, None], key: str) -> None:
    if key:
        out[key] = None


_MAX_SPAN = 4  # names longer than this are rare; longer spans would only bloat the index


def _span_keys(toks: list[tuple[str, str]], keys: list[str], out: dict[str, None]) -> None:
    # Every run of 2..4 adjacent tokens, joined: as the concatenated keys (so a query
    # pair "Mohammad Reza" meets a stored "Mohammadreza") and as the key of the joined
    # spelling (so "Fatemehzahra" meets "فاطمه زهرا"). ``score`` also reads these runs
    # to tell a contiguous name ("Ali Karimi") from a subset ("Ali [Mohammad] Karimi").
    for i in range(len(toks)):
        for j in range(i + 2, min(len(toks), i + _MAX_SPAN) + 1):
            _add(out, "".join(keys[i:j]))
            scripts = {script for script, _ in toks[i:j]}
            if len(scripts) == 1:
                _add(out, _key(scripts.pop(), "".join(tok for _, tok in toks[i:j])))


def name_keys(*names: str) -> str:
    """The key text stored on a person row, built from all of its names.

    Every token of every name (Latin, Persian, aliases; empty ones skipped) is keyed.
    Every run of two to four adjacent tokens adds its joined key, both as the keys
    concatenated and as the key of the joined spelling, with and without titles such as
    Seyed/Sadat; a joined token that splits into lexicon names adds the concatenation
    of their keys. So Mohammadreza, Mohammad Reza, Mohammad-Reza, محمدرضا and محمد رضا
    all share a token. Keys are deduplicated and keep first-seen order (single tokens
    of the first name first).
    """
    out: dict[str, None] = {}
    titles = _title_keys()
    for name in names:
        if not name:
            continue
        pairs = [(t, k) for t in _tokens(name) if (k := _key(*t))]
        toks = [t for t, _ in pairs]
        keys = [k for _, k in pairs]
        for (script, tok), key in pairs:
            _add(out, key)
            parts = _split_compound(script, tok)
            if parts:
                _add(out, "".join(_key(script, p) for p in parts))
        _span_keys(toks, keys, out)
        plain = [(t, k) for t, k in pairs if k not in titles]
        if len(plain) < len(pairs):
            _span_keys([t for t, _ in plain], [k for _, k in plain], out)
    return " ".join(out)


# ------------------------------------------------------------------------------ queries

_LATIN_INITIAL = {"e": "a", "i": "a", "o": "a", "u": "a", "y": "i", "w": "v", "c": "c"}


def _initial(script: str, tok: str) -> str | None:
    """The key letter of an initial ("M." -> "m", "Sh." -> "w"), or None if not one."""
    if script == "la":
        if len(tok) == 1:
            return _LATIN_INITIAL.get(tok, tok)
        if tok in _DIGRAPHS:
            return _DIGRAPHS[tok]
        return None
    if len(tok) == 1:
        if tok in _INITIAL_VOWEL:
            return "a"
        return {"ی": "i", "و": "v", "ه": "h"}.get(tok) or _FA_CONSONANTS.get(tok)
    return None


@lru_cache(maxsize=4096)
def _parse_query(q: str) -> tuple[tuple[str, ...], tuple[bool, ...], tuple[frozenset[str], ...]]:
    keys: list[str] = []
    initials: list[bool] = []
    prev_noise = False
    for script, tok in _tokens(q):
        noise = tok in (_NOISE_LATIN if script == "la" else _NOISE_PERSIAN)
        if noise or (prev_noise and script == "la" and tok == "e"):  # pesar-e, ezafe
            prev_noise = True
            continue
        prev_noise = False
        ini = _initial(script, tok)
        key = ini or _key(script, tok)
        if not key:
            continue
        # Repeats are kept: "Ali Ali-zadeh", or "Hossein Hosseini son of Hossein".
        keys.append(key)
        initials.append(bool(ini))
    # Each adjacent pair joined, for matching a compound stored in one piece. Only the
    # concatenated keys: keying the joined spelling too would let a pair match an
    # unrelated stored join (Fatemeh+Ahmadi and Fateme+Mohammadi both spell ftmhmde).
    joins = []
    for i in range(len(keys) - 1):
        pair = not initials[i] and not initials[i + 1]
        joins.append(frozenset({keys[i] + keys[i + 1]}) if pair else frozenset())
    return tuple(keys), tuple(initials), tuple(joins)


def query_key(q: str) -> str:
    """The key text of a search query, in either script or both.

    Relation words and titles of address are dropped (son of, bin, ibn, pesar-e, s/o,
    فرزند, پسر, آقای ...); punctuation and commas separate tokens; an initial ("M.",
    "Sh.", "م.") is kept as a one-letter token. Every other token is keyed as in
    ``name_keys``, so the result can be matched against stored keys by trigram search.
    """
    keys, _, _ = _parse_query(q)
    return " ".join(keys)


# ------------------------------------------------------------------------------ scoring

_CONTEXT_MARK = "|"
# An initial may stand for any spelling of the first letter: "S." for Shahram,
# "K." for Khosrow, "G." for Gholamreza, "Z." for Zhaleh.
_INITIAL_MATCHES = {
    "s": "sw",
    "k": "kx",
    "g": "gq",
    "q": "qg",
    "z": "zj",
    "j": "jz",
    "c": "ck",
}


def initial_letters(initial: str) -> str:
    """The letters a key may start with when the name it stands for has this initial
    (``_INITIAL_MATCHES``: "k" for "k" and "x", as "K." may be Khosrow's)."""
    return _INITIAL_MATCHES.get(initial, initial)


EXACT = 1.0
SAME_SKELETON = 0.9  # differs only in long vowels: Yusuf/یوسف, Mosavi/Mousavi
ONE_EDIT = 0.85  # one letter inserted, dropped, changed or two swapped
ONE_EDIT_SHORT = 0.7  # ... in a key of three letters or fewer, where that means more
NEAR_SKELETON = 0.75  # one edit apart once long vowels are ignored
PREFIX = 0.6  # a truncated name
SHARED_BIGRAMS = 0.5  # a long key with most letter pairs in common (two typos)
INITIAL = 0.8
INITIAL_WEIGHT = 0.5
UNMATCHED_WEIGHT = 0.35  # an unmatched query token (often a father's name) costs a little
CONTEXT_LAST = 0.9  # query token found among context keys (father), at the end
CONTEXT_ELSEWHERE = 0.8  # ... elsewhere in the query
GAP = 0.97  # two query tokens that are not next to each other in any stored name
UNCOVERED = 0.98  # the query leaves out a part of the stored name: Hossein for Amirhossein


@lru_cache(maxsize=1 << 17)
def _deletions(key: str) -> frozenset[str]:
    return frozenset(key[:i] + key[i + 1 :] for i in range(len(key)))


@lru_cache(maxsize=1 << 17)
def _skeleton(key: str) -> str:
    return key[:1] + key[1:].replace("i", "").replace("u", "")


@lru_cache(maxsize=1 << 17)
def _bigrams(key: str) -> frozenset[str]:
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def _swap_or_change(a: str, b: str) -> bool:
    # Same length: one letter changed, or two neighbours swapped (Hosseini/Hossieni).
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    if len(diff) == 2:
        i, j = diff
        return j == i + 1 and a[i] == b[j] and a[j] == b[i]
    return False


def _one_edit(a: str, b: str) -> bool:
    la, lb = len(a), len(b)
    if la == lb:
        return _swap_or_change(a, b)
    if la == lb + 1:
        return b in _deletions(a)
    if lb == la + 1:
        return a in _deletions(b)
    return False


def _fuzzy(q: str, keys: tuple[tuple[str, str, int], ...]) -> float:
    # Hot path: run for every candidate a query token does not match exactly, so the
    # cheap tests come first. One edit (or a swap) leaves the first or the last letter
    # of a key of three or more letters in place; keys that keep neither are skipped.
    best = 0.0
    sq = _skeleton(q)
    lq, lsq = len(q), len(sq)
    first, last = q[0], q[-1]
    dq = _deletions(q)
    for k, sk, lk in keys:
        d = lk - lq
        if d > 3 or d < -3:
            continue
        if sk == sq and lsq > 1:
            return SAME_SKELETON
        if k[0] != first and k[-1] != last:
            continue
        one_edit = (
            best < ONE_EDIT
            and -2 < d < 2
            and (_swap_or_change(q, k) if d == 0 else (q in _deletions(k) if d == 1 else k in dq))
        )
        if one_edit:
            best = ONE_EDIT if min(lq, lk) > 3 else ONE_EDIT_SHORT
            continue
        if best < NEAR_SKELETON and lsq > 2 and -2 < len(sk) - lsq < 2 and _one_edit(sq, sk):
            best = NEAR_SKELETON
        elif best < PREFIX and lq > 3 and (k.startswith(q) or q.startswith(k)):
            best = PREFIX
        elif not best and lq > 4 and -3 < d < 3:
            bq, bk = _bigrams(q), _bigrams(k)
            if 2 * len(bq & bk) >= 0.6 * (len(bq) + len(bk)):  # Dice >= 0.6: two typos
                best = SHARED_BIGRAMS
    return best


@lru_cache(maxsize=1 << 17)
def _parse_keys(keys: str):
    own_text, _, context_text = keys.partition(_CONTEXT_MARK)
    own = tuple(dict.fromkeys(own_text.split()))
    context = tuple(dict.fromkeys(context_text.split()))
    titles = _title_keys()
    own_set = frozenset(own)
    # Name parts proper: keys that are not a joined run of other stored keys. A join of
    # the spelling may change the letters at the seam ("ale"+"ahmde" spelt together is
    # "alihmde"), so a key that begins or ends like another key, less one letter, is
    # a join too.
    bases = tuple(
        k
        for k in own
        if k not in titles
        and not any(
            o != k
            and (
                o in k
                or (len(o) > 2 and len(k) > len(o) and (k.endswith(o[1:]) or k.startswith(o[:-1])))
            )
            for o in own_set
        )
    )
    return (
        own_set,
        tuple((k, _skeleton(k), len(k)) for k in own),
        frozenset(context),
        tuple((k, _skeleton(k), len(k)) for k in context),
        tuple(k for k in own if k not in titles),
        bases,
    )


def _contiguous(a: str, b: str, own: tuple[tuple[str, str, int], ...]) -> bool:
    ab, ba = a + b, b + a
    return any(ab in k or ba in k for k, _, _ in own)


def score(q: str, keys: str) -> float:
    """How close the query ``q`` (raw text, either script) is to a person's stored keys.

    1.0 only when every query token equals a stored key token (a query pair that joins
    into a stored compound counts as equal), in any order, and the query's tokens stand
    next to each other in a stored name. Otherwise below 1.0: query tokens that are a
    subset of a longer name ("Ali Karimi" against "Ali Mohammad Karimi") 0.97 per gap,
    or leave out a stored name part ("Hossein" against "Amir Hossein") 0.98;
    same consonants with different long vowels 0.9; one edit 0.85; an initial 0.8 (at
    half weight), matched against a name token the other query tokens did not use. A
    query token found nowhere counts at about a third of its weight, so a father's name
    added to a query lowers the score only a little.

    ``keys`` is ``name_keys(...)`` of the person, optionally followed by `` | `` and
    context keys (e.g. ``name_keys(father_name)``). A query token that matches only a
    context key earns 0.9 if it is the query's last token (Persian and English lists
    put the patronymic after the name: "Ali Karimi son of Hassan") and 0.8 elsewhere,
    so context helps pick the right namesake but never makes an exact match.
    """
    qkeys, initials, joins = _parse_query(q)
    if not qkeys:
        return 0.0
    own_set, own, ctx_set, ctx, own_names, bases = _parse_keys(keys)
    n = len(qkeys)
    credit = [0.0] * n
    used: set[str] = set()
    for i, k in enumerate(qkeys):
        if not initials[i] and k in own_set and k not in used:
            credit[i] = EXACT
            used.add(k)  # a repeated query token must find a second match
    for i, forms in enumerate(joins):
        if credit[i + 1] < EXACT and forms & own_set:
            credit[i] = credit[i + 1] = EXACT
            used.update(forms & own_set)
    for i, k in enumerate(qkeys):
        if credit[i]:
            continue
        if initials[i]:
            allowed = initial_letters(k)
            if any(o[0] in allowed and o not in used for o in own_names):
                credit[i] = INITIAL
            continue
        if k in ctx_set:
            credit[i] = CONTEXT_LAST if i == n - 1 else CONTEXT_ELSEWHERE
            continue
        if k in used:  # a repeat already matched once: only the context may take it
            continue
        credit[i] = _fuzzy(k, own)
        if credit[i] < ONE_EDIT and ctx and i == n - 1 and n > 2:  # a misspelt father
            credit[i] = max(credit[i], 0.9 * _fuzzy(k, ctx))
    total = 0.0
    weights = 0.0
    for i in range(n):
        w = INITIAL_WEIGHT if initials[i] else 1.0
        if not credit[i]:
            w *= UNMATCHED_WEIGHT
        total += w * credit[i]
        weights += w
    result = total / weights
    for i in range(n - 1):
        if (
            credit[i] == EXACT
            and credit[i + 1] == EXACT
            and not joins[i] & own_set
            and not _contiguous(qkeys[i], qkeys[i + 1], own)
        ):
            result *= GAP
    if result == EXACT and any(not any(b in u for u in used) for b in bases):
        result *= UNCOVERED
    return result


def is_exact(q: str, keys: str) -> bool:
    """True when ``q`` matches ``keys`` as the same name, spelling aside (score 1.0)."""
    return score(q, keys) == EXACT
