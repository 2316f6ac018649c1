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

from archive.core.names.keys import (
    latin_key,
    name_keys,
    persian_key,
    query_key,
    title_keys,
    token_key,
    tokens,
)
from archive.core.names.scoring import (
    EXACT,
    distinct_queries,
    initial_letters,
    is_exact,
    is_exact_score,
    score,
)
from archive.core.names.text import normalize_latin, normalize_persian

__all__ = [
    "EXACT",
    "distinct_queries",
    "initial_letters",
    "is_exact",
    "is_exact_score",
    "latin_key",
    "name_keys",
    "normalize_latin",
    "normalize_persian",
    "persian_key",
    "query_key",
    "score",
    "title_keys",
    "token_key",
    "tokens",
]
