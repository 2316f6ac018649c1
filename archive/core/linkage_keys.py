"""How a name is filed and joined for record linkage (``archive.core.linkage``): the
blocks a name is compared within, and its keys run together so that a name split
differently in two scripts, or written as one word, meets itself. Pure functions of a
name string, remembered: a list of 100,000 people holds a few thousand names."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from archive.core import names
from archive.core.linkage_levels import NAME_THRESHOLD
from archive.core.names.keys import lexicon_persian
from archive.core.names.lexicon import parse_name
from archive.core.names.places import adjective_place, place_token


def _part_keys(tokens: list[str]) -> frozenset[str]:
    return _joined_part_keys(" ".join(tokens))


@lru_cache(maxsize=1 << 16)
def _joined_part_keys(joined: str) -> frozenset[str]:
    # Remembered: a list's names share their given and family names, which an import
    # blocks for every row.
    return frozenset(names.name_keys(joined).split())


@lru_cache(maxsize=1 << 17)
def _tokens(name: str) -> tuple[tuple[str, str], ...]:
    """``names.tokens``, remembered: a list of 100,000 people holds a few thousand names."""
    return tuple(names.tokens(name))


# A single o or u between consonants inside a Latin word: lists write the long vowel و
# that way too (Mosavi and Mousavi, موسوی; Shushtari, شوشتری; Rohollah, روح‌الله; Korosh,
# کوروش), which the key reads as a short vowel and drops.
_SHORT_OU = re.compile(r"(?<=[b-df-hj-np-tv-xz])[ou](?=[b-df-hj-np-tv-xz])")
# A final -ah after a consonant: the h marks the final vowel ه (Fatemah, Zahrah: فاطمه),
# as -eh's does, where the key reads it as a consonant (Panah, پناه); and a final -eh
# the key reads as that vowel may be a consonant h or ح (Saleh, صالح).
_FINAL_AH = re.compile(r"(?<=[b-df-hj-np-tv-xz])ah$")
# An o before the vowel of -ei, -yi, -ee (Khoei, Khoyi: خویی) is the و the Persian writes
# as a consonant, which the Latin vowel run hides.
_O_GLIDE = re.compile(r"(?<=[b-df-hj-np-tv-xz])o(?=[eiy])")
_FINAL_EH = re.compile(r"(?<=[b-df-hj-np-tv-xz])eh$")
# The Arabic -ullah after a vowel (Waliullah, Aliyullah: ولی‌الله), which the key reads as
# the long vowel of Dariush, iu, where -ollah (Valiollah) keeps the ی.
_VOWEL_ULLAH = re.compile(r"(?<=[aeiy])ullah?$")
# The Arabic article written -ul on the first part of a compound a list spaces (Abdul
# Hossein, Zainul Abedin: عبدالحسین), where the key reads the u as long.
_ARTICLE_UL = re.compile(r"^(abd|ab|abo|zein|zain|zeyn|fath)ul$")
# The article before a sun letter, which the Latin writes as the doubled letter and no l
# (Shamsoddin, Abdorrahim, Nasreddin: شمس‌الدین, عبدالرحیم, نصرالدین): in a Persian word
# that begins a part after the first (الدین), after عبد or ابو, or in -الدین.
_SUN_ARTICLE = re.compile(r"(?:^|(?<=^عبد)|(?<=^ابو)|(?=الدین$))ال(?=[تثدذرزسشصضطظن])")
_MAX_READINGS = 8


@lru_cache(maxsize=1 << 17)
def respellings(name: str) -> tuple[str, ...]:
    """The name, and the name respelt where its spelling leaves open what another list
    writes. The keys of the name as written decide nothing there (Mosavi keys ``msve``,
    موسوی ``musve``); reading it both ways lets the two meet, and the other spelling
    decides.

    - A Latin word: an o or u read as the long vowel و (one or two of them a word), a
      final -ah read as -eh and a final -eh as -ah (Fatemah, فاطمه; Saleh, صالح), an o
      before a vowel read as و (Khoei, خویی), an Arabic -ullah after a vowel as -ollah
      (Waliullah, ولی‌الله), the article of a spaced compound written -ul as -ol (Abdul
      Hossein, عبدالحسین).
    - Persian words a list splits with a space or a zero-width non-joiner where a Latin
      spelling joins them (کاوه‌یان, Kavehyan; ابوالفضل‌لو, Abolfazllou), glued; the
      adjective of a word in silent ه read both ways (مراغه‌ای, Maraghei; ارومیه‌ای,
      Orumiehi).
    - The Persian article before a sun letter read without its ل, as the Latin writes it
      (شمس‌الدین, Shamsoddin; عبدالرحیم, Abdorrahim).
    - A town's adjective in the family name written one way, whichever of its forms a
      list wrote (``names.places``: Urmavi, Orumiehi, ارومیه‌ای; Lahiji, لاهیجانی).
    - Latin words the lexicon writes in Persian otherwise than the keys read them, in
      its Persian (Kazim, کاظم; Yusuf, یوسف; Kazimnezhad, کاظم‌نژاد).

    No lexicon name is read as another one this way (``tests/dedupe``): a u is only
    ever added, so Mahmoud and Mohammad stay apart."""
    toks = [tok for _script, tok in _tokens(name)]
    options = [[tok, *(_word_respellings(tok) if script == "la" else ())]
               for script, tok in _tokens(name)]  # fmt: skip
    for option, (script, tok) in zip(options, _tokens(name), strict=True):
        # The lexicon's Persian of a word is one more reading of that word, so that it
        # joins the other words' respellings (Fatima Kouroshvand: فاطمه with Kourou-, as
        # فاطمه کوروش‌وند writes both), besides the whole name read in the lexicon's
        # Persian (``_lexicon_read``).
        if script == "la" and (persian := _lexicon_word(tok)):
            option.append(persian)
    out: dict[str, None] = {name: None}
    if any(len(o) > 1 for o in options):
        combos = itertools.product(*options)
        for chosen in itertools.islice(combos, 1, _MAX_READINGS + 1):
            out[" ".join(chosen)] = None
    scripts = [script for script, _tok in _tokens(name)]
    # Within the family name only (after the first word): a given name glued to the
    # family name would file the person under a block of every "-nia".
    for i in range(1, len(toks) - 1):
        if scripts[i] != "fa" or scripts[i + 1] != "fa":
            continue
        left, right = toks[i], toks[i + 1]
        if left.endswith("ه") and right in ("ای", "یی"):
            glued = [left[:-1] + "یی", left + "ی"]
        else:
            glued = [left + right]
        for word in glued:
            out[" ".join([*toks[:i], word, *toks[i + 2 :]])] = None
    if placed := _placed(toks, scripts):
        out[placed] = None
    if assimilated := _sun_article(toks, scripts):
        out[assimilated] = None
    if read := _lexicon_read(toks, scripts):
        out[read] = None
    return tuple(out)


def _lexicon_word(tok: str) -> str | None:
    """The lexicon's Persian of a Latin word when the keys read the two apart (Kazim,
    کاظم), else None."""
    persian = lexicon_persian(tok)
    if persian and names.token_key("fa", persian) != names.token_key("la", tok):
        return persian
    return None


def _lexicon_read(toks: list[str], scripts: list[str]) -> str | None:
    """The name with each Latin word the lexicon writes in Persian otherwise than its key
    reads (``names.keys.lexicon_persian``: Kazim, کاظم; Kazimnezhad) put in Persian, or
    None when there is none."""
    out, found = [], False
    for script, tok in zip(scripts, toks, strict=True):
        persian = _lexicon_word(tok) if script == "la" else None
        if persian:
            out.append(persian)
            found = True
        else:
            out.append(tok)
    return " ".join(out) if found else None


def _sun_article(toks: list[str], scripts: list[str]) -> str | None:
    """The name with the Arabic article before a sun letter written as the Latin says it,
    without its ل (``_SUN_ARTICLE``), or None when it has none. Not at the very start of a
    name: الناز (Elnaz) is a name, not an article."""
    out = [
        _SUN_ARTICLE.sub("", tok) if script == "fa" and (i or not tok.startswith("ال")) else tok
        for i, (script, tok) in enumerate(zip(scripts, toks, strict=True))
    ]
    return " ".join(out) if out != toks else None


_ADJECTIVE_ENDINGS = ("ای", "یی", "ی")


def _placed(toks: list[str], scripts: list[str]) -> str | None:
    """The name with a town's adjective in the family name (after the first word) written
    one way, whichever of its forms the list wrote (``names.places``: Urmavi, Orumiehi
    and ارومیه‌ای; Lahiji and لاهیجانی), or None when it has none."""
    out, i, found = toks[:1], 1, False
    while i < len(toks):
        pair = (
            i + 1 < len(toks)
            and scripts[i] == scripts[i + 1] == "fa"
            and toks[i + 1] in _ADJECTIVE_ENDINGS
        )
        if pair and (town := adjective_place("fa", toks[i] + toks[i + 1])):
            out.append(place_token(town))
            i, found = i + 2, True
        elif town := adjective_place(scripts[i], toks[i]):
            out.append(place_token(town))
            i, found = i + 1, True
        else:
            out.append(toks[i])
            i += 1
    return " ".join(out) if found else None


@lru_cache(maxsize=1 << 16)
def _word_respellings(tok: str) -> tuple[str, ...]:
    ends = [tok]
    if len(tok) > 3 and _FINAL_AH.search(tok):
        ends.append(_FINAL_AH.sub("eh", tok))
    elif len(tok) > 3 and _FINAL_EH.search(tok):
        ends.append(_FINAL_EH.sub("ah", tok))
    out: dict[str, None] = {}
    for word in ends:
        spots = [m.start() for m in _SHORT_OU.finditer(word)]
        for k in range(0 if word != tok else 1, min(2, len(spots)) + 1):
            for chosen in itertools.combinations(spots, k):
                letters = list(word)
                for at in chosen:
                    letters[at] = "ou"
                out["".join(letters)] = None
    if glide := _O_GLIDE.search(tok):
        out[tok[: glide.end()] + "v" + tok[glide.end() :]] = None
    if _VOWEL_ULLAH.search(tok):
        out[_VOWEL_ULLAH.sub("ollah", tok)] = None
    if _ARTICLE_UL.match(tok):
        out[tok[:-2] + "ol"] = None
    out.pop(tok, None)
    return tuple(out)


@lru_cache(maxsize=1 << 17)
def name_blocks(name: str) -> frozenset[str]:
    """Blocks for one name and its Latin respellings (``respellings``)."""
    out: set[str] = set()
    for spelt in respellings(name):
        out |= _name_blocks(spelt)
    return frozenset(out)


@lru_cache(maxsize=1 << 17)
def _name_blocks(name: str) -> frozenset[str]:
    """Blocks for one name: given-name key x family-name key, and the family-name key.

    The given name is the first token, or the first two joined (Nematollah, نعمت‌الله
    is two tokens in Persian); the family name likewise from the end (Hosseinpour,
    حسین‌پور). Blocks are made with and without titles (Seyed, Haj, Sadat), which lists
    add and drop, and which share keys with names (Seyed and Saeed are both "sid")."""
    out: set[str] = set()
    for toks in _with_and_without_titles(name):
        out |= _blocks_of(toks)
    return frozenset(out)


@lru_cache(maxsize=1 << 17)
def family_parts(name: str) -> frozenset[str]:
    """The family-name keys of ``name_blocks(name)``, with their skeletons: every block of
    the name holds one of them ("1:k" is k; "2:g|f" holds f, or f's skeleton). A list none
    of whose blocks holds any of these shares no block with the name, which an import
    learns here for a fraction of the blocks' cost (``linkage.Matcher``)."""
    out: set[str] = set()
    for spelt in respellings(name):
        for toks in _with_and_without_titles(spelt):
            family = _family_of(toks)
            out |= family | {_skeleton(f) for f in family}
    return frozenset(out)


def _with_and_without_titles(name: str) -> list[list[str]]:
    """The name's tokens (those with a key), and without its titles when it has any."""
    titles = names.title_keys()
    toks = [(tok, key) for script, tok in _tokens(name) if (key := names.token_key(script, tok))]
    plain = [t for t, k in toks if k not in titles]
    everything = [t for t, _k in toks]
    return [everything, plain] if len(plain) < len(toks) else [everything]


def _given_and_family(toks: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The keys a name's given name and family name are blocked by. A one-word name has no
    given name: its word counts as the family name."""
    if len(toks) < 2:
        return frozenset(), _family_of(toks)
    given = _part_keys(toks[:1]) | (_part_keys(toks[:2]) if len(toks) >= 3 else set())
    return given, _family_of(toks)


def _family_of(toks: list[str]) -> frozenset[str]:
    """The family name's keys (``_given_and_family``), alone: an import's first look at a
    row (``family_parts``) needs no given name."""
    if len(toks) < 2:
        return _part_keys(toks) if toks else frozenset()
    family = _part_keys(toks[-1:]) | (_part_keys(toks[-2:]) if len(toks) >= 3 else set())
    if len(toks) >= 4:
        # A family name of three parts in Persian (فتح‌الله‌پور, one word in Latin:
        # Fathollahpour).
        family |= _part_keys(toks[-3:])
    return family


def _blocks_of(toks: list[str]) -> set[str]:
    if not toks:
        return set()
    given, family = _given_and_family(toks)
    out = {"1:" + k for k in _part_keys(toks[-1:])}
    for g in given:
        for f in family:
            if g != f:
                out.add("2:" + "|".join(sorted((g, f))))
                # And on the skeletons (long vowels dropped): a Latin spelling often
                # leaves out the long vowel the Persian writes (Mosavi, موسوی; Qolipour,
                # قلی‌پور), and the two must still meet to be compared.
                out.add("2:" + "|".join(sorted((_skeleton(g), _skeleton(f)))))
    return out


def _skeleton(key: str) -> str:
    return key[:1] + key[1:].replace("i", "").replace("u", "")


@lru_cache(maxsize=1 << 16)
def lexicon_name(name: str) -> tuple[str, ...]:
    return tuple(e.id for e in parse_name(name) if e.kind != "title")


@lru_cache(maxsize=1 << 17)
def joined_keys(name: str) -> frozenset[str]:
    """``joined_key`` with and without titles (حاجی in حاجی‌زاده is a name, not Haj), and
    with a final vowel inside the joined name read as the long vowel the joined spelling
    writes: "Ali Reza" ends its first token in a vowel ("ale") where "Alireza" and
    علیرضا write ی inside the word ("alirze")."""
    out = set()
    for spelt in respellings(name):
        for keep_titles in (False, True):
            out |= _joined_variants(spelt, keep_titles=keep_titles)
    return frozenset(out)


def _joined_variants(name: str, *, keep_titles: bool) -> set[str]:
    keys = _token_keys(name, keep_titles=keep_titles)
    if not keys:
        return set()
    # And the key of the name written as one word, as a list that joins the parts of a
    # compound writes it (Hosseinnima, Alyyaser: the letters met at the joins collapse).
    titles = names.title_keys()
    toks = [
        (sc, t) for sc, t in _tokens(name) if keep_titles or names.token_key(sc, t) not in titles
    ]
    whole = {_whole_key(toks)} if len({sc for sc, _t in toks}) == 1 else set()
    if whole and next(iter(whole)).count("u") < _join(keys).count("u"):
        # Run together, a Latin word's last u is read as a short vowel and dropped
        # (Mahmud Karimi as one word keys as Mohammad Karimi does): a long vowel the
        # words' own keys hold is not lost by joining them.
        whole = set()
    texts = [t for sc, t in toks if names.token_key(sc, t)]
    junctions = [i for i, k in enumerate(keys[:-1]) if k.endswith("e") and len(k) > 1][:3]
    out = set()
    options = []
    for i in junctions:
        # The final vowel read as the long vowel a joined spelling writes inside the word
        # ("Ali Reza", Alireza); and a final ی read as alef (Mousa, موسی) is a short a
        # inside the word a Latin list joins (Mousapour, موسی‌پور; Mostafazadeh,
        # مصطفی‌زاده), which the key drops.
        key = keys[i]
        maqsura = len(texts) == len(keys) and texts[i] in alef_maqsura()
        options.append([key, key[:-1] + "i", *([key[:-1]] if maqsura else [])])
    for chosen in itertools.product(*options):
        variant = list(keys)
        for i, key in zip(junctions, chosen, strict=True):
            variant[i] = key
        out.add(_join(variant))
    return (out | whole) - {""}


@lru_cache(maxsize=1)
def alef_maqsura() -> frozenset[str]:
    """The lexicon's names whose final ی is read as alef (موسی Mousa, مصطفی Mostafa,
    مرتضی Morteza, کبری Kobra): the Persian spellings whose Latin ones end in a."""
    from archive.core.names.lexicon import GIVEN_NAMES

    return frozenset(
        e.fa
        for e in GIVEN_NAMES
        if e.fa.endswith("ی") and any(latin.lower().endswith("a") for latin in e.latin)
    )


def _whole_key(toks: list[tuple[str, str]]) -> str:
    return names.token_key(toks[0][0], "".join(t for _sc, t in toks)) if toks else ""


def _token_keys(name: str, *, keep_titles: bool) -> list[str]:
    titles = names.title_keys()
    keys = [names.token_key(script, tok) for script, tok in _tokens(name)]
    return [k for k in keys if k and (keep_titles or k not in titles)]


def _join(keys: list[str]) -> str:
    out = keys[0]
    for k in keys[1:]:
        k = k[1:] if k.startswith("a") and len(k) > 1 else k
        # A letter doubled at the join is one, as in the key of the word written whole
        # (Mostafafar keys mstfr; مصطفی‌فر joined, the ی read as alef, mstf + fr).
        out += k[1:] if out and k[:1] == out[-1] else k
    return out


def joined_key(name: str, *, keep_titles: bool = False) -> str:
    """The keys of a name's tokens run together, titles left out, so that a name split
    differently in two scripts meets: ذبیح‌الله سهرابی (three tokens in Persian) and
    Zabihollah Sohrabi (two), حسین‌پور and Hosseinpour. A token's initial-vowel mark
    is dropped after the first, as it is when the joined word is keyed (-ollah, -allah)."""
    keys = _token_keys(name, keep_titles=keep_titles)
    return _join(keys) if keys else ""


def part_put_for_another(a, b) -> bool:
    """Whether each of two people's names (``archive.core.linkage.Candidate``) has a
    part the other has nothing like: not a part dropped by one side, but one name part
    put for another ("Hossein Ahmadi Amoli", "Hossein Ahmadi Kashani")."""
    return _lone_part(a, b) and _lone_part(b, a)


def _lone_part(a, b) -> bool:
    """Whether every name of a has a part (of three letters of key or more, not a
    title) that none of b's keys holds, contains, or comes close to."""
    titles = names.title_keys()
    for name in a.names:
        if not any(
            len(key) >= 3 and key not in titles and _alone(key, text, b)
            for script, text in names.tokens(name)
            if (key := names.token_key(script, text))
        ):
            return False
    return bool(a.names)


def _alone(key: str, text: str, b) -> bool:
    if any(key in other for other in b.key_tokens):
        return False  # a part of a compound the other writes joined
    return names.score(text, b.keys) < NAME_THRESHOLD
