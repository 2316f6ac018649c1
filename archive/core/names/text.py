"""Persian and Latin text normalised for comparing names: letter forms, marks, zero-width
characters, accents and apostrophes. Pure Python, no Django."""

from __future__ import annotations

import re
import unicodedata

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
    if text.isprintable():  # none of them (C* and Z* but the space): most names
        return text
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
    text = str(text)
    if text.isascii() and text.isprintable():
        # What the steps below leave of plain ASCII, in one pass (an import normalises
        # each of its names: most Latin ones are plain ASCII).
        return _SPACE.sub(" ", text).strip()
    return _fixpoint(_normalize_persian_once, text)


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
    text = str(text)
    if text.isascii():
        # What the steps below leave of ASCII, in one pass: no accents, no format
        # characters, control characters are non-word characters.
        text = _APOSTROPHES.sub("", text.lower())
        return _SPACE.sub(" ", _NON_WORD.sub(" ", text)).strip()
    return _fixpoint(_normalize_latin_once, text)
