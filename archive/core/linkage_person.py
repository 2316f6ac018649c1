"""A person as the duplicate check reads them (``Candidate``), and what the stored keys of
``archive.core.linkage_store`` are made of: the blocks a person is filed under
(``block_keys``), their joined names and their father's name as counted and split by.

Apart from ``archive.core.linkage`` (the comparison) because the stored keys' version is a
digest of the code that makes them (``linkage_store.keys_version``: this module,
``linkage_keys`` and the names' modules): a change to how pairs are compared or weighed
makes no key again, and a million people's keys took 312 s to make.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from archive.core import names
from archive.core.linkage_keys import joined_keys, lexicon_name, name_blocks
from archive.core.names.lexicon import parse_name


def split_aliases(text: str | None) -> tuple[str, ...]:
    """A record's other names, one a line, as the comparison reads them."""
    return tuple(x.strip() for x in (text or "").splitlines() if x.strip())


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
    fate: str = ""  # "" or "unknown": not known
    # The person's facts, "" or None when not known.
    birth_place: object = None
    occupation: str = ""
    religion: str = ""
    ethnicity: str = ""
    civil_status: str = ""
    arrest_date: dt.date | None = None
    arrest_date_precision: str = ""
    extra: dict = field(default_factory=dict)

    @cached_property
    def names(self) -> list[str]:
        return [n for n in (self.name_latin, self.name_fa, *self.aliases) if n]

    @cached_property
    def queries(self) -> tuple[str, ...]:
        """The names that ``names.score`` reads differently (a name and its Persian
        spelling often read as one query): the best of them against a person's keys is
        asked once each."""
        return names.distinct_queries(self.names)

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
    def lexicon_names(self) -> set[tuple[str, ...]]:
        """Each name read back into the lexicon's names (titles left out), where it reads
        whole: the lexicon knows spellings the keys cannot join (Kasem and قاسم)."""
        return {found for n in self.names if (found := lexicon_name(n))}

    @cached_property
    def father_keys(self) -> str:
        return _father_facts(self.father_name)[0] if self.father_name else ""

    @cached_property
    def father_entry(self) -> str | None:
        """The father's name as the lexicon knows it (its Persian spelling), or None."""
        return _father_facts(self.father_name)[2] if self.father_name else None

    @cached_property
    def father_key(self) -> str:
        return self.father_keys.split()[0] if self.father_keys else ""

    @cached_property
    def father_id(self) -> str:
        """The father's name as counted for its frequency: the lexicon's reading where it
        has one (Kazim and کاظم key apart, ``kzim`` and ``kzm``, and are one name), else
        its first key."""
        return self.father_entry or self.father_key

    @cached_property
    def spelling(self) -> tuple:
        """What ``name_similarity`` reads of the person: the names and their keys."""
        return (tuple(self.names), self.keys)

    @cached_property
    def father_blocks(self) -> frozenset[str]:
        """What a block over its cap is split by: each key of the father's name and the
        lexicon's reading of it, so that a father spelt Kazim in one list and کاظم in
        another still meets among thousands of namesakes."""
        entry = {"=" + self.father_entry} if self.father_entry else set()
        return frozenset(self.father_keys.split()) | entry


def block_keys(person: Candidate) -> set[str]:
    """Every block a person is filed under, from all of its names."""
    out: set[str] = set()
    for name in person.names:
        out |= name_blocks(name)
    return out


@lru_cache(maxsize=1 << 17)
def _father_facts(name: str) -> tuple[str, frozenset[str], str | None]:
    found = parse_name(name, kinds=("given",))
    return names.name_keys(name), joined_keys(name), found[0].fa if found else None
