"""People search: one function behind the public lists, the API and the admin.

Candidates come from indexes over each person's ``name_keys`` (see ``archive.core.names``;
the father's keys are stored after a ``|``): on PostgreSQL one GIN index of three columns,
the person's own key tokens and their one-letter deletions (whole tokens, and keys one
letter away, each one short posting list), the keys' trigrams (pg_trgm: substrings and
near spellings) and "<initial>.<key>" pairs, so that a probe asking for two of them reads
the second only where the first is (``search_names.NameIndexesInOne``); on SQLite an FTS5
trigram table. Both backends run the same probes (``_plan``), each bounded by a LIMIT and answered
from an index:

1. every adjacent pair of query keys joined, as ``name_keys`` stores contiguous names;
2. an initial with the other keys ("M. Hosseini"), then every query key in any order
   ("Hosseini, Mohammad"), then each set leaving one out (a father's name or a misspelt
   word);
3. per key, a spelling near it: on PostgreSQL the keys one letter away, through the
   stored deletions (``edit_terms``), then (within 15 ms for the whole search) word
   similarity ``<%`` through the trigram index; on SQLite an OR of the trigrams that
   survive a typo.

Probing stops as soon as the later probes cannot change the first page (``candidates``).
The candidates (a few hundred at most) are ranked in Python by ``names.score``, the same
on both databases; below ``MIN_SCORE`` nothing is shown, and only a score of 1.0 (the same
name, spelling and script aside) is labelled "same spelling".

On PostgreSQL the probes read the table of distinct names (``search_names``: one row per
distinct ``name_keys``, with its bearers counted, and the same indexes) instead of the
people: each name is found and scored once however many bear it, and the people of the
best names are then read through a hash index on ``name_keys``, with the page's columns
(``Bearers``). The probes' cost follows the number of distinct names, not of people.

The package's rooms, each importing only those before it: ``probes`` (what is asked,
plain Python), ``statements`` (how it is sent), ``ranking`` (what is made of the answers),
``results`` (the answer the lists, the API and the admin page through).
"""

from archive.core.search.probes import (
    EXACT_LIMIT,
    MAX_QUERY_LENGTH,
    clean_query,
    edit_terms,
    one_edit_variants,
    stored_edits,
)
from archive.core.search.ranking import ENOUGH_SAME, MAX_RESULTS, MIN_SCORE, rank
from archive.core.search.results import Ranked, admin_search_results, in_rank_order, search
from archive.core.search.statements import Prober, has_names

__all__ = [
    "ENOUGH_SAME",
    "EXACT_LIMIT",
    "MAX_QUERY_LENGTH",
    "MAX_RESULTS",
    "MIN_SCORE",
    "Prober",
    "Ranked",
    "admin_search_results",
    "clean_query",
    "edit_terms",
    "has_names",
    "in_rank_order",
    "one_edit_variants",
    "rank",
    "search",
    "stored_edits",
]
