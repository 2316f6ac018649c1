"""Matching keys of names (see the package's docstring for the key space): each token's
key in either script, the keys stored for a person, and the key of a query. Pure Python."""

from __future__ import annotations

import re
from functools import lru_cache

from archive.core.names.lexicon import TITLES, compound_parts, spelling_index
from archive.core.names.text import normalize_latin, normalize_persian

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


@lru_cache(maxsize=1024)
def _run_classes(run: str) -> tuple[str, ...]:
    # Kept: a Latin name's vowel runs are a few dozen strings ("a", "ou", "ei"), met in
    # every word keyed.
    # Which long vowels a Latin vowel run spells, in order: ou/oo -> و, i/y/ee/ae -> ی.
    found = []
    for marks, key in (
        (("ou", "oo", "uu", "iu", "yu"), "u"),  # Dariush, Kiumars: u after i is long
        (("i", "y", "ee", "ae"), "i"),
    ):
        positions = [run.find(m) for m in marks if m in run]
        if positions:
            found.append((min(positions), key))
    return tuple(key for _, key in sorted(found))


_OW = re.compile(r"ow(?=[^aeiouy]|$)")
_OY = re.compile(r"oy(?=[aeiou])")


@lru_cache(maxsize=1 << 17)
def _latin_word_key(s: str) -> str:
    if not s:
        return ""
    if s.startswith("dj"):  # French-era Djafar, Djavad
        s = s[1:]
    s = s.replace("ck", "k")
    if len(s) > 2 and s.endswith("eh"):  # Fatemeh = Fateme: the h marks the final e
        s = s[:-1]
    s = _OW.sub("ou", s)  # Khosrow, Mowlavi, Nowruz: ow is a vowel
    s = _OY.sub("ouy", s)  # Roya, Poya: the o before y is long
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


def tokens(text: str) -> list[tuple[str, str]]:
    """(script, normalised token) pairs, script being "fa" or "la"."""
    return list(_tokens(text) if isinstance(text, str) else _tokenise(text))


@lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> tuple[tuple[str, str], ...]:
    # Kept for the names seen last: an import keys each name (``name_keys``) and then
    # blocks the same names for its duplicate check (``archive.core.linkage``).
    return tuple(_tokenise(text))


def _tokenise(text) -> list[tuple[str, str]]:
    text = _SLASH_RELATION.sub(" ", normalize_persian(text))
    text = normalize_latin(text)
    out = []
    for tok in _TOKEN.findall(text):
        out.append(("la" if tok[0] <= "z" else "fa", tok))
    return out


@lru_cache(maxsize=1 << 17)
def token_key(script: str, tok: str) -> str:
    return _latin_word_key(tok) if script == "la" else _persian_word_key(_persian_letters(tok))


def title_keys() -> frozenset[str]:
    if not _TITLE_KEYS_CACHE:
        keys = set()
        for entry in TITLES:
            keys.add(persian_key(entry.fa))
            keys.update(latin_key(v) for v in entry.latin)
        _TITLE_KEYS_CACHE.append(frozenset(keys))
    return _TITLE_KEYS_CACHE[0]


@lru_cache(maxsize=8192)
def _split_compound(script: str, tok: str) -> tuple[str, ...]:
    """Split a joined token into known lexicon parts ("mohammadreza" -> mohammad, reza)."""

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


@lru_cache(maxsize=1 << 16)
def lexicon_persian(tok: str) -> str | None:
    """The Persian the lexicon writes for a Latin word (a normalised token) it knows, whole
    or as a compound of its names and affixes, where that Persian is one: Kazim, کاظم;
    Yusuf, یوسف; Kazimnezhad, کاظمنژاد (parts joined without a space). None otherwise.

    The keys read some of the lexicon's own Latin spellings apart from their Persian (an
    Arabic-style i or u for the Persian short vowel: Kazim ``kzim``, کاظم ``kzm``); the
    lexicon knows they are one name, in a family name built on them too."""

    def persian(part: str) -> str | None:
        found = {e.fa for e in spelling_index().get(part, ()) if e.kind != "title"}
        return found.pop() if len(found) == 1 else None

    if whole := persian(tok):
        return whole
    parts = [persian(p) for p in _split_compound("la", tok)]
    return "".join(parts) if parts and all(parts) else None


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
                _add(out, token_key(scripts.pop(), "".join(tok for _, tok in toks[i:j])))


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
    for name in names:
        if name:
            out.update(dict.fromkeys(_keys_of_name(name)))
    return " ".join(out)


@lru_cache(maxsize=1 << 16)
def _keys_of_name(name: str) -> tuple[str, ...]:
    """The keys one name adds, in order (``name_keys`` joins those of all names). Kept
    for the names seen last: an import of a list meets the same names, fathers' names
    above all, again and again."""
    out: dict[str, None] = {}
    titles = title_keys()
    pairs = [(t, k) for t in tokens(name) if (k := token_key(*t))]
    toks = [t for t, _ in pairs]
    keys = [k for _, k in pairs]
    for (script, tok), key in pairs:
        _add(out, key)
        parts = _split_compound(script, tok)
        if parts:
            _add(out, "".join(token_key(script, p) for p in parts))
    _span_keys(toks, keys, out)
    plain = [(t, k) for t, k in pairs if k not in titles]
    if len(plain) < len(pairs):
        _span_keys([t for t, _ in plain], [k for _, k in plain], out)
    return tuple(out)


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
    for script, tok in tokens(q):
        noise = tok in (_NOISE_LATIN if script == "la" else _NOISE_PERSIAN)
        if noise or (prev_noise and script == "la" and tok == "e"):  # pesar-e, ezafe
            prev_noise = True
            continue
        prev_noise = False
        ini = _initial(script, tok)
        key = ini or token_key(script, tok)
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
