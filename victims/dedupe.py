"""Duplicates among victims: the database side of ``archive.core.linkage`` (the pure
scoring, explained there), re-exported here for the victims' callers."""

from __future__ import annotations

from archive.core.linkage import (  # noqa: F401
    PROPOSE_PROBABILITY,
    Candidate,
    Frequencies,
    Match,
    Matcher,
    compare,
    find_duplicates,
    matches_against,
    score_pair,
    split_aliases,
)


def load_candidates(queryset) -> list[Candidate]:
    """Candidates for every victim in ``queryset`` (withdrawn merged records excluded)."""
    fields = [
        "pk", "ref", "name_latin", "name_fa", "aliases", "name_keys", "father_name", "gender",
        "birth_year", "prison_id", "death_date", "death_date_precision", "death_place_id",
        "event_id", "fate", "birth_place_id", "occupation", "religion", "ethnicity",
        "civil_status", "arrest_date", "arrest_date_precision",
    ]  # fmt: skip
    out = []
    for row in queryset.values_list(*fields).iterator(chunk_size=5000):
        (pk, ref, latin, fa, aliases, keys, father, gender, birth, prison, death,
         precision, place, event, fate, birth_place, occupation, religion, ethnicity,
         civil_status, arrest, arrest_precision) = row  # fmt: skip
        out.append(
            Candidate(
                ref=ref,
                pk=pk,
                name_latin=latin,
                name_fa=fa,
                aliases=split_aliases(aliases),
                name_keys=keys,
                father_name=father,
                gender=gender,
                birth_year=birth,
                prison=prison,
                death_date=death,
                death_date_precision=precision or "",
                death_place=place,
                event=event,
                fate=fate or "",
                birth_place=birth_place,
                occupation=occupation or "",
                religion=religion or "",
                ethnicity=ethnicity or "",
                civil_status=civil_status or "",
                arrest_date=arrest,
                arrest_date_precision=arrest_precision or "",
            )
        )
    return out


# --- The database side --------------------------------------------------------------------


def victim_matches(queryset=None) -> list[Match]:
    """Likely pairs among victims not already merged into another record, skipping pairs a
    researcher has marked "different people"."""
    from victims.models import DuplicatePair, Victim

    if queryset is None:
        queryset = Victim.objects.all()
    queryset = queryset.filter(merged_into__isnull=True)
    judged = DuplicatePair.objects.filter(status=DuplicatePair.Status.DIFFERENT).values_list(
        "victim_a__ref", "victim_b__ref"
    )
    return find_duplicates(load_candidates(queryset), exclude={frozenset(p) for p in judged})


def store_matches(matches: list[Match]) -> int:
    """Save the matches in the review queue; a pair already there (proposed or decided)
    keeps its decision, a proposed one gets the new score and reasons. Returns how many
    pairs are new."""
    from django.db import transaction

    from victims.models import DuplicatePair

    new = 0
    with transaction.atomic():
        existing = {
            (a, b): (pk, status)
            for pk, a, b, status in DuplicatePair.objects.values_list(
                "pk", "victim_a_id", "victim_b_id", "status"
            )
        }
        to_create = []
        for m in matches:
            a, b = sorted((m.a.pk, m.b.pk))
            reasons = "; ".join(m.reasons)
            if (a, b) in existing:
                pk, status = existing[(a, b)]
                if status == DuplicatePair.Status.PROPOSED:
                    DuplicatePair.objects.filter(pk=pk).update(score=m.score, reasons=reasons)
                continue
            to_create.append(
                DuplicatePair(victim_a_id=a, victim_b_id=b, score=m.score, reasons=reasons)
            )
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(to_create, DuplicatePair, batch_size=1000)
        new = len(to_create)
    return new


# --- Rows and submissions against the archive ----------------------------------------------


def candidate_of(label: str, victim) -> Candidate:
    """A Candidate for a victim not yet saved (an import's row, a submission's draft)."""
    return Candidate(
        ref=label,
        pk=victim.pk or 0,
        name_latin=victim.name_latin or "",
        name_fa=victim.name_fa or "",
        aliases=split_aliases(victim.aliases),
        father_name=victim.father_name or "",
        gender=victim.gender or "",
        birth_year=victim.birth_year,
        prison=victim.prison_id,
        death_date=victim.death_date,
        death_date_precision=victim.death_date_precision or "",
        death_place=victim.death_place_id,
        event=victim.event_id,
        fate=victim.fate or "",
        birth_place=victim.birth_place_id,
        occupation=victim.occupation or "",
        religion=victim.religion or "",
        ethnicity=victim.ethnicity or "",
        civil_status=victim.civil_status or "",
        arrest_date=victim.arrest_date,
        arrest_date_precision=victim.arrest_date_precision or "",
    )


def archive_people() -> list[Candidate]:
    from victims.models import Victim

    return load_candidates(Victim.objects.filter(merged_into__isnull=True))


def _connection():
    from django.db import connections, router

    from victims.models import Victim

    return connections[router.db_for_write(Victim)]


def archive_matcher(*, fresh: bool = False):
    """What an import's rows are checked against: the victims' stored keys
    (``StoredMatcher``; ``fresh``: brought up to date just before, by
    ``refresh_stored_keys``): on PostgreSQL a batch's candidates read through the store's
    indexes, on SQLite every victim read with their keys as stored."""
    from archive.core.linkage_store import StoredMatcher
    from victims.models import Victim

    connection = _connection()

    def load(ids: list[int]) -> list[Candidate]:
        # (``ids`` in order.) A dense run, as when everyone is read, is asked as a range:
        # Django spelt out an IN list of 10,000 ids in 0.1 s, 10 of the 80 s that reading
        # a million took.
        if ids and ids[-1] - ids[0] < 2 * len(ids):
            wanted = set(ids)
            run = Victim.objects.filter(pk__range=(ids[0], ids[-1]))
            return [person for person in load_candidates(run) if person.pk in wanted]
        return load_candidates(Victim.objects.filter(pk__in=ids))

    everyone = connection.vendor != "postgresql"
    return StoredMatcher(connection, Victim, load=load, fresh=fresh, everyone=everyone)


def refresh_stored_keys(*, until: float | None = None) -> None:
    """The victims' stored linkage keys brought up to date, before an import opens its
    transaction (``archive.core.linkage_store.refresh``), so that the keys made are kept
    whatever becomes of the import. ``until``: a deadline, past which it stops
    (``KeysBehind``)."""
    from archive.core.linkage_store import refresh
    from victims.models import Victim

    refresh(_connection(), Victim, until=until)


def import_matches(rows, *, matcher=None, fresh: bool = False, read: float = 1.0):
    """For an import: of the new rows ``(where, victim)``, those that are probably victims
    already in the archive (``archive.core.dedupe.import_matches``), and the matcher to
    pass back in for the next batch. ``fresh``: the stored keys were brought up to date
    before the import began (``refresh_stored_keys``); ``read``: how far through its file
    the import is."""
    from archive.core.dedupe import import_matches as matches

    return matches(
        rows,
        matcher=matcher,
        make_matcher=lambda: archive_matcher(fresh=fresh),
        candidate_of=candidate_of,
        read=read,
    )


SUBMISSION_CANDIDATES = 5  # records shown with a submission
SUBMISSION_THRESHOLD = 0.02  # a family gives little: show what is at all likely
SEARCHED = 50  # people the search hands over for each of the submission's names


def submission_matches(submission) -> list[Match]:
    """The records a family's submission may be about, best first, with scores and
    reasons: the victim it was sent from (if any) first, then the people search's
    candidates for its names, weighed by the linkage."""
    from archive.core.match_reasons import SENT_FROM_THE_RECORD
    from victims.models import Victim

    row = Candidate(
        ref=f"submission #{submission.pk}",
        name_latin=submission.name_latin or "",
        name_fa=submission.name_fa or "",
        father_name=submission.father_name or "",
        gender=submission.gender or "",
        birth_year=submission.birth_year,
        fate=submission.fate or "",
    )
    out: list[Match] = []
    if submission.victim_id:
        linked = load_candidates(Victim.objects.filter(pk=submission.victim_id))
        if linked:
            out.append(Match(row, linked[0], 1.0, [SENT_FROM_THE_RECORD]))
    pks: dict[int, None] = {}
    for name in row.names:
        for victim in Victim.objects.filter(merged_into__isnull=True).search(name)[:SEARCHED]:
            pks[victim.pk] = None
    pks.pop(submission.victim_id, None)
    people = load_candidates(Victim.objects.filter(pk__in=list(pks)))
    found = matches_against([row], people, threshold=SUBMISSION_THRESHOLD).get(row.ref, [])
    return (out + found)[:SUBMISSION_CANDIDATES]
