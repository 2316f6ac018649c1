"""What a people search makes of its probes' answers: each candidate scored as it comes
(``Progress``), the probing stopped as soon as later probes cannot change the first page
(``candidates``), and the ranking of people, or of names and then their bearers
(``Bearers``), best first.
"""

from __future__ import annotations

import time

from archive.core import names
from archive.core.search.probes import (
    EXACT_LIMIT,
    SUBSTRINGS,
    TRIGRAMS,
    clean_query,
    plan_stages,
)
from archive.core.search.statements import Prober

MIN_SCORE = 0.5  # below this a "match" shares little more than a letter or two
MAX_RESULTS = 100  # ranked results shown; a reader refines the query rather than page on
ENOUGH_SAME = 10  # rows with the very name asked for (score 1.0) that end the probing
CLOSE_ENOUGH = 0.9  # a best score that guesses two letters off or more rank below
TRIGRAM_MS = 15  # the most a search's guesses through the trigram index may take (PG)
STRONG = 0.95  # above any one-letter guess: (1 + 1 + 0.85) / 3 for three names


class Progress:
    """The candidates found so far, scored as they come, for ``candidates`` to tell
    when further probes cannot change the top of the ranking. A candidate is a person
    (weight 1) or, on PostgreSQL, a name and its bearers (``search_names``: weight the
    number of people bearing it)."""

    def __init__(self, q: str):
        self.q = q
        self.scores: dict[int, float] = {}  # a candidate's row -> its score
        self._by_keys: dict[str, float] = {}
        self.by_name = False  # candidates are names (set by ``candidates``)
        # Whether a name's bearers are the queryset's (set by ``candidates``): a filter
        # beyond publication (a list's "executed") leaves some out, and then bearers end
        # no probing (the counts would stop it on people the page does not show).
        self.counted = True
        self.people: dict[str, int] = {}  # a name's bearers (names only)
        self.first: dict[str, int] = {}  # a name's first row (names only)
        self.initial_done = False
        self.trigram_ms = 0.0  # spent on guesses through the trigram index
        self.same = 0  # people with the very name asked for (score 1.0)
        self.close = 0  # people scoring CLOSE_ENOUGH or more
        self.strong = 0  # people scoring above what a one-letter guess can reach
        self.best = 0.0

    def add(self, rows) -> None:
        """``rows``: (row, name_keys, people) of the candidates found by a step."""
        scores, by_keys, people, by_name = self.scores, self._by_keys, self.people, self.by_name
        counted = self.counted
        for row, keys, weight in rows:
            if row not in scores:
                # Namesakes with the same father's name share their keys: scored once.
                score = by_keys.get(keys)
                if score is None:
                    score = by_keys[keys] = names.score(self.q, keys)
                scores[row] = score
                if by_name:  # a name's rows (one per writer that held it) add up
                    people[keys] = people.get(keys, 0) + weight
                    self.first[keys] = min(row, self.first.get(keys, row))
                if not counted:
                    continue
                self.same += weight * names.is_exact_score(score)
                self.strong += weight * (score >= STRONG)
                self.close += weight * (score >= CLOSE_ENOUGH)
                self.best = max(self.best, score)

    def ranked_names(self) -> list[tuple[str, float]]:
        """(name_keys, score) of the names found that someone bears, scoring MIN_SCORE or
        more, best first; of equal scores, the name written first first (the names'
        rows are numbered as their first bearers were written: ``_bearers`` reads the
        people of as many names as the ranking needs, and the ranking orders equal
        scores by the people's pk)."""
        people, first = self.people, self.first
        found = [
            (keys, score)
            for keys, score in self._by_keys.items()
            if score >= MIN_SCORE and people.get(keys, 0) > 0
        ]
        found.sort(key=lambda item: (-item[1], first.get(item[0], 0), item[0]))
        return found


def _stop(kind: str, mode: str | None, progress: Progress, exact_hits: int) -> bool:
    """Whether the probes from this one on can no longer change the first page."""
    weaker = kind in ("partial", "fuzzy") or mode == SUBSTRINGS
    return (
        progress.same >= ENOUGH_SAME  # a page of the very name asked for
        # the names as spelt matched plenty: no need to look further
        or (weaker and exact_hits >= EXACT_LIMIT)
        # a page of close matches: a part of a name or a guess ranks below
        or (weaker and progress.close >= ENOUGH_SAME)
        # a page of names closer than any one-letter guess could be
        or (kind == "fuzzy" and progress.strong >= ENOUGH_SAME)
        # the name as asked, or one letter off: farther guesses rank below
        or (mode == TRIGRAMS and progress.best >= CLOSE_ENOUGH)
        or (mode == TRIGRAMS and progress.trigram_ms >= TRIGRAM_MS)
    )


def _batch(stage, progress: Progress, exact_hits: int) -> tuple[list, bool]:
    """The probes of ``stage`` worth running given what was found so far, and whether
    the stopping rules ended the stage (then no later stage runs either)."""
    batch = []
    for probe, mode in stage:
        kind = probe[0]
        if _stop(kind, mode, progress, exact_hits):
            return batch, True
        if kind == "exact" and progress.initial_done and progress.close >= ENOUGH_SAME:
            continue  # a page of names fitting the initial: the others rank below
        batch.append((probe, mode))
    return batch, False


def _weak(stage) -> bool:
    """Whether ``stage`` is the step of weaker probes (``plan_stages``)."""
    probe, mode = stage[0]
    return mode != TRIGRAMS and (probe[0] in ("partial", "fuzzy") or mode == SUBSTRINGS)


def candidates(queryset, key: str, progress: Progress) -> Prober:
    """Finds the rows of ``queryset`` worth ranking for ``key`` and hands them to
    ``progress``: a few hundred at most, found through the search indexes (no scan of
    every row), in as few statements as the stopping rules allow (``plan_stages``).

    The step of weaker probes is read with the strong step, in the same statement, when
    the strong step finds too few rows for any stopping rule to skip it (fewer than
    ENOUGH_SAME close ones, EXACT_LIMIT exact hits): the same rows, one round trip less
    (PostgreSQL)."""
    exact_hits = 0
    with Prober(queryset) as prober:
        progress.by_name = prober.names is not None
        progress.counted = not progress.by_name or prober.counted
        stages = plan_stages(key, prober.postgres)
        ahead = None  # the rows of the next stage, read with this one
        for n, stage in enumerate(stages):
            batch, stopped = _batch(stage, progress, exact_hits)
            if not batch:
                break
            read, ahead = ahead, None
            if read is not None and len(batch) == len(stage):
                # Read with the step before, every probe of it: no rule could stop it
                # (``rows_ahead``'s bound). The rules are still asked, and decide.
                rows = read
            elif batch[0][1] == TRIGRAMS:
                # A guess at a farther spelling, given what is left of TRIGRAM_MS (all of
                # a search's guesses together): on a common short key the trigram index
                # can take far longer (60 ms at a million people; 2-5 ms at 20,000), and
                # what the guess would add ranks below everything found so far.
                conditions = [prober.condition(probe, mode) for probe, mode in batch]
                started = time.perf_counter()
                rows = prober.found(conditions, timeout_ms=TRIGRAM_MS - progress.trigram_ms)
                progress.trigram_ms += (time.perf_counter() - started) * 1000
            else:
                conditions = [prober.condition(probe, mode) for probe, mode in batch]
                following = stages[n + 1] if n + 1 < len(stages) else None
                if not stopped and following and _weak(following):
                    # Fewer rows than this cannot bring the close matches to ENOUGH_SAME
                    # nor the exact hits to EXACT_LIMIT: the weak step runs regardless.
                    bound = min(ENOUGH_SAME - progress.close, EXACT_LIMIT - exact_hits)
                    after = [prober.condition(probe, mode) for probe, mode in following]
                    rows, ahead = prober.found_ahead(conditions, after, bound)
                else:
                    rows = prober.found(conditions)
            # Rows (people, or names) holding every key asked for: as many as a LIMIT reads.
            exact_hits += sum(batch[i][0][0] != "fuzzy" for i, *_ in rows)
            progress.initial_done |= any(probe[0] == "initial" for probe, _ in batch)
            progress.add((row, keys, people) for _, row, keys, people in rows)
            if stopped:
                break  # later stages are weaker still
    return prober


def rank(queryset, q: str, *, limit: int = MAX_RESULTS) -> list[tuple[int, float]]:
    """(pk, score) of the best matches for ``q`` in ``queryset``, best first; none below
    ``MIN_SCORE``."""
    ranking, _, bearers = find(queryset, q, limit)
    return bearers.resolve(()) if bearers is not None else ranking


def find(queryset, q: str, limit: int) -> tuple[list | None, Prober | None, Bearers | None]:
    """The ranking (people probed), or the names found and how to read their bearers
    (``Bearers``: names probed)."""
    q = clean_query(q)
    key = names.query_key(q) if q else ""
    if not key:
        return [], None, None
    progress = Progress(q)
    prober = candidates(queryset, key, progress)
    if progress.by_name:
        return None, prober, Bearers(prober, progress, limit)
    scored = [(pk, score) for pk, score in progress.scores.items() if score >= MIN_SCORE]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit], prober, None


class Bearers:
    """The names a search found, read into the people of the queryset bearing them when
    the ranking is first asked for: with the columns of the ``values()`` asked for by then
    (the API's), so that the page is read in the same statement."""

    def __init__(self, prober: Prober, progress: Progress, limit: int):
        self.prober, self.progress, self.limit = prober, progress, limit
        self.ranking: list[tuple[int, float]] | None = None
        self.fields: tuple[str, ...] | None = None
        self.rows: dict | None = None  # pk -> row of ``fields``' columns, then the pk

    def resolve(self, fields: tuple[str, ...]) -> list[tuple[int, float]]:
        if self.ranking is None:
            self.ranking, self.rows = _bearers(self.prober, self.progress, self.limit, fields)
            self.fields = fields
        return self.ranking

    def read(self, fields: tuple[str, ...]) -> dict | None:
        """The rows read with the ranking, if they hold ``fields``."""
        return self.rows if self.rows is not None and fields == self.fields else None


def _bearers(prober: Prober, progress: Progress, limit: int, fields: tuple[str, ...]):
    """(pk, score) of the best ``limit`` people of the queryset bearing the names found
    (``progress.ranked_names``), best first: the people of the best names, as many names
    as their bearers (``progress.people``, counted whatever the queryset's other filters)
    fill the ranking; more names while the filters leave it short. And their rows of
    ``fields`` by pk when read with them (else None)."""
    ranked = progress.ranked_names()
    scores = dict(ranked)
    found: list[tuple[int, float]] = []
    rows: dict | None = {} if fields else None
    start, rounds = 0, 0
    while start < len(ranked) and len(found) < limit:
        # Each round asks for more bearers than are missing, twice as many each time
        # the queryset's filters left too few; the fourth takes every name left.
        wanted = (limit - len(found)) << rounds
        end, bearers = start, 0
        while end < len(ranked) and (bearers < wanted or rounds >= 3):
            bearers += progress.people[ranked[end][0]]
            end += 1
        read, with_fields = prober.people_of([name for name, _ in ranked[start:end]], fields)
        found.extend((row[-2], scores[row[-1]]) for row in read)
        if with_fields and rows is not None:
            rows.update((row[-2], row[:-1]) for row in read)
        else:
            rows = None
        start, rounds = end, rounds + 1
    found.sort(key=lambda item: (-item[1], item[0]))
    return found[:limit], rows
