"""The database side of the duplicate finding that the apps share (the scoring itself is
``archive.core.linkage``, pure): an import's new rows checked against the archive's
records. Each app hands over how to read its records (``victims.dedupe``,
``perpetrators.dedupe``); the kernel imports no app."""

from __future__ import annotations

from collections.abc import Callable

from archive.core.importing import PossibleMatch
from archive.core.linkage import PROPOSE_PROBABILITY, Candidate, Matcher
from archive.core.linkage_store import StoredMatcher
from archive.core.match_reasons import reason_text


def import_matches(
    rows,
    *,
    matcher: Matcher | StoredMatcher | None,
    make_matcher: Callable[[], Matcher | StoredMatcher],
    candidate_of: Callable[[str, object], Candidate],
    threshold: float = PROPOSE_PROBABILITY,
    read: float = 1.0,
) -> tuple[list[PossibleMatch], Matcher | StoredMatcher]:
    """Of an import's new rows ``(where, instance)``, those that are probably records
    already in the archive, as ``PossibleMatch`` (the best match of each, its reasons in
    the reader's language), and the archive's records blocked and counted (a ``Matcher``
    over every record, or on PostgreSQL a ``StoredMatcher`` reading each batch's
    candidates: made once per import by ``make_matcher()``, passed back in for the next
    batch). ``read``: how far through its file the import is with these rows, from
    which a ``StoredMatcher`` projects what the file's check will read."""
    matcher = make_matcher() if matcher is None else matcher
    if matcher.empty:
        return [], matcher
    candidates = [candidate_of(where, instance) for where, instance in rows]
    if isinstance(matcher, StoredMatcher):
        found = matcher.matches(candidates, threshold=threshold, read=read)
    else:  # (every record in memory already)
        found = matcher.matches(candidates, threshold=threshold)
    out = []
    # Each reason translated once a batch: a file that enters its people again has a
    # match on most rows, each with four or five of a dozen reasons, and a translation
    # looked up each time was 3.6 % of a check of 30,000 rows at a million people.
    texts: dict[str, str] = {}

    def text(reason: str) -> str:
        if reason not in texts:
            texts[reason] = reason_text(reason)
        return texts[reason]

    for where, _instance in rows:
        if where in found:
            best = found[where][0]
            reasons = tuple(text(r) for r in best.reasons)
            out.append(PossibleMatch(where, best.b.ref, best.score, reasons, best.b.pk or None))
    return out, matcher
