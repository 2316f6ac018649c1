"""Writes that span apps, as keyword-only functions: each validates every record it
makes (``full_clean``) inside one transaction, so nothing is ever half-written."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.core import reasons
from archive.core.models import PublicationStatus, history_user
from sources import merging
from sources.merging import KEEP, OTHER
from sources.models import GENERAL, Citation, Source
from sources.services import refresh_name_keys
from victims.hearings import Hearing
from victims.models import Fate, Submission, Victim
from victims.relations import FamilyRelation

# Submission fields copied onto a new draft victim (same names on both models).
COPIED_FIELDS = ["name_latin", "name_fa", "father_name", "gender", "birth_year", "fate"]
REQUIRED_PERMISSIONS = ["victims.add_victim", "sources.add_source", "sources.add_citation",
                        "victims.change_submission"]  # fmt: skip


def create_victim_draft_from_submission(*, submission: Submission, user) -> Victim:
    """Turn a submission into records a researcher can check and complete:

    - a DRAFT victim made from what the family gave (or, when the submission was sent from
      a victim's page, that victim, left unchanged);
    - a private Source of kind testimony, received on the submission's date, kept in
      DRAFT: it reaches the public (as "private testimony, received <date>", never its
      content) only once a reviewer has checked and published it;
    - citations from the victim's fields it filled (or ``general``) to that source;
    - the submission marked used.

    Running it again on the same submission changes nothing and returns the same victim.
    """
    missing = [perm for perm in REQUIRED_PERMISSIONS if not user.has_perm(perm)]
    if missing:
        raise PermissionDenied(
            _("You need these permissions to do this: %(perms)s") % {"perms": ", ".join(missing)}
        )
    with transaction.atomic():
        # Locked, so that two researchers pressing the button at once make one record.
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.created_source_id and (submission.created_victim_id or submission.victim_id):
            return submission.created_victim or submission.victim

        source = testimony_source(submission, user)

        if submission.victim_id:
            victim = submission.victim
            claims = [GENERAL]
        else:
            victim = Victim(
                ref=Victim.new_ref(),
                publication_status=PublicationStatus.DRAFT,
                **{f: getattr(submission, f) for f in COPIED_FIELDS},
            )
            victim.fate = victim.fate or Fate.UNKNOWN
            victim._history_user = history_user(user)
            victim._change_reason = reasons.CREATED_FROM_SUBMISSION(number=submission.pk)
            victim.full_clean()
            victim.save()
            claims = [f for f in COPIED_FIELDS if getattr(submission, f) not in ("", None)]
            claims = claims or [GENERAL]

        content_type = ContentType.objects.get_for_model(Victim)
        for claim in claims:
            citation = Citation(
                content_type=content_type, object_id=victim.pk, source=source, claim=claim
            )
            citation._history_user = history_user(user)
            citation.full_clean()
            citation.save()

        submission.status = Submission.Status.USED
        submission.created_source = source
        submission.created_victim = None if submission.victim_id else victim
        submission.reviewed_by = user
        submission._history_user = history_user(user)
        submission._change_reason = reasons.TURNED_INTO_RECORDS()
        submission.save(
            update_fields=["status", "created_source", "created_victim", "reviewed_by",
                           "updated_at"]
        )  # fmt: skip
    return victim


def testimony_source(submission: Submission, user) -> Source:
    """The private source a submission becomes: a testimony received on the submission's
    date, kept in DRAFT (public only once a reviewer publishes it, and then only as
    "private testimony, received <date>")."""
    source = Source(
        kind=Source.Kind.TESTIMONY,
        title=_("Testimony sent through the form (submission #%(id)d)") % {"id": submission.pk},
        is_private=True,
        received_date=timezone.localdate(submission.received_at),
        language=(submission.language or "")[:8],
        publication_status=PublicationStatus.DRAFT,
        notes=testimony_notes(submission),
    )
    source._history_user = history_user(user)
    source.full_clean()
    source.save()
    return source


def add_submission_to_victim(*, submission: Submission, victim: Victim, user) -> list[str]:
    """Add what a family sent to a record already in the archive, in one step: the
    testimony becomes a private source (``testimony_source``), every fact the record lacks
    is filled from the submission, and each fact the submission gives is cited to the
    testimony: the facts it adds, those it confirms, and, where it says otherwise, its
    value as the testimony's version (the record keeps its own). A new spelling of the name
    becomes an alias. The submission is linked to the record and marked used.

    Returns the fields it filled. A submission already turned into records is refused.
    """
    missing = [perm for perm in REQUIRED_PERMISSIONS if not user.has_perm(perm)]
    if missing:
        raise PermissionDenied(
            _("You need these permissions to do this: %(perms)s") % {"perms": ", ".join(missing)}
        )
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        victim = Victim.objects.select_for_update().get(pk=victim.pk)
        if submission.created_source_id:
            raise ValidationError(
                _("Submission #%(id)d was already turned into records.") % {"id": submission.pk}
            )
        if not victim.may_change(user):
            raise PermissionDenied(
                _("%(ref)s is published: adding to it changes its public page, which only a "
                  "reviewer may do.") % {"ref": victim.ref}
            )  # fmt: skip
        source = testimony_source(submission, user)
        filled: list[str] = []
        claims: list[tuple[str, str]] = []
        have = {n.casefold() for n in victim.all_names()}
        aliases = victim.alias_list()
        for field in ("name_latin", "name_fa"):
            given = (getattr(submission, field) or "").strip()
            if not given:
                continue
            if not getattr(victim, field):
                setattr(victim, field, given)
                filled.append(field)
                claims.append((field, ""))
            elif given.casefold() in have:
                claims.append((field, "") if getattr(victim, field) == given else ("aliases", ""))
            else:
                aliases.append(given)
                filled.append("aliases")
                claims.append(("aliases", ""))
            have.add(given.casefold())
        victim.aliases = "\n".join(aliases)
        for field in COPIED_FIELDS[2:]:
            given = getattr(submission, field)
            if given in ("", None) or (field == "fate" and given == Fate.UNKNOWN):
                continue
            current = getattr(victim, field)
            if current in ("", None) or (field == "fate" and current == Fate.UNKNOWN):
                setattr(victim, field, given)
                filled.append(field)
                claims.append((field, ""))
            elif (field == "father_name" and merging.same_name(current, given)) or current == given:
                claims.append((field, ""))
            else:
                claims.append((field, str(given)))  # the testimony's version
        _full_clean(victim, _("record"))
        victim._change_reason = reasons.ADDED_FROM_SUBMISSION(number=submission.pk)
        victim._history_user = history_user(user)
        victim.save()

        content_type = ContentType.objects.get_for_model(Victim)
        for claim, value in dict.fromkeys(claims or [(GENERAL, "")]):
            citation = Citation(content_type=content_type, object_id=victim.pk, source=source,
                                claim=claim, value=value)  # fmt: skip
            citation._history_user = history_user(user)
            citation.full_clean()
            citation.save()

        submission.status = Submission.Status.USED
        submission.victim = victim
        submission.created_source = source
        submission.reviewed_by = user
        submission._history_user = history_user(user)
        submission._change_reason = reasons.ADDED_TO(ref=victim.ref)
        submission.save(
            update_fields=["status", "victim", "created_source", "reviewed_by", "updated_at"]
        )
    return filled


def testimony_notes(submission: Submission) -> str:
    """The testimony as staff read it in the source's notes (never public): what the
    family gave, field by field. Contact details are not copied."""
    rows = [
        (_("Relation to the person"), submission.relation),
        (_("Year of birth as given"), submission.birth_year_as_given),
        (_("Arrest"), submission.arrest),
        (_("Prison"), submission.prison),
        (_("Fate"), submission.get_fate_display() if submission.fate else ""),
        (_("Death"), submission.death),
        (_("Burial"), submission.burial),
    ]
    lines = [_("Sent through the form, submission #%(id)d.") % {"id": submission.pk}]
    lines += [f"{label}: {value}" for label, value in rows if value]
    if submission.account:
        lines += ["", submission.account]
    return "\n".join(lines)


# --- Merging two records of one person ----------------------------------------------------

# Facts a merge carries over, as (field, its precision field or None). A blank value on
# the kept record is filled from the other; two different values are a conflict.
MERGED_FIELDS = [
    ("father_name", None), ("gender", None), ("birth_year", None), ("affiliation", None),
    ("arrest_date", "arrest_date_precision"), ("prison", None), ("fate", None),
    ("death_date", "death_date_precision"), ("death_place", None), ("burial_place", None),
    ("event", None), ("commission", None), ("biography", None), ("photo", None),
]  # fmt: skip
EMPTY = {"fate": (Fate.UNKNOWN,)}  # a value that says nothing


class MergeError(ValueError):
    """A merge (or its undoing) that cannot be done, with the reason in words."""


def merge_conflicts(keep: Victim, other: Victim) -> list[dict]:
    """The facts on which the two records disagree: field, label, and both values as text."""
    return merging.conflicts(keep, other, MERGED_FIELDS, empty=EMPTY)


def merge_refusal(user, keep: Victim, other: Victim) -> str | None:
    """Why ``user`` may not merge ``other`` into ``keep`` (or undo it); None when they may.

    A merge changes the kept record (names, facts, biography, citations) and withdraws the
    other one: when either is published, that is a change to a public page, which only a
    reviewer (who may publish victims) may make, as for any edit of a published record
    (``Publishable.may_change``). Two unpublished records any researcher may merge."""
    if not user.has_perm(Victim.change_permission()):
        return _("You are not allowed to merge records.")
    if not keep.may_change(user):
        return _(
            "%(ref)s is published: merging into it changes what its public page shows, "
            "which only a reviewer may do."
        ) % {"ref": keep.ref}
    if not other.may_change(user):
        return _("%(ref)s is published: merging it withdraws it, which only a reviewer may do.") % {
            "ref": other.ref
        }
    return None


def _check_may_merge(user, keep: Victim, other: Victim) -> None:
    refusal = merge_refusal(user, keep, other)
    if refusal:
        raise PermissionDenied(refusal)


def _full_clean(record: Victim, role: str) -> None:
    """``full_clean``, with every error naming the record and the field it is about."""
    try:
        record.full_clean()
    except ValidationError as exc:
        raise MergeError("; ".join(error_lines(exc, f"{role} {record.ref}"))) from None


def error_lines(exc: ValidationError, where: str = "") -> list[str]:
    """A ValidationError as lines that each name their field (``sources.merging``)."""
    return merging.error_lines(exc, Victim, where)


@transaction.atomic
def merge_victims(*, keep: Victim, other: Victim, user, choices: dict | None = None):
    """Merge ``other`` into ``keep``: the same person entered twice.

    ``keep`` takes the other's spellings as aliases, every citation, submission and
    review-queue pair, and every fact it lacks. Where both have a value and they differ,
    ``keep``'s stays unless ``choices`` maps the field to "other"; the value not chosen is
    recorded in the history's change reason and the MergeRecord, and the citations of
    both stay on the kept record. ``other`` is withdrawn with ``merged_into = keep``, never
    deleted: its address redirects to the kept record. Returns the MergeRecord, which
    ``unmerge_victims`` uses to undo it.
    """
    from victims.models import DuplicatePair, MergeRecord

    choices = dict(choices or {})
    keep = Victim.objects.select_for_update().get(pk=keep.pk)
    other = Victim.objects.select_for_update().get(pk=other.pk)
    if keep.pk == other.pk:
        raise MergeError(_("A record cannot be merged into itself."))
    if other.merged_into_id:
        raise MergeError(_("%(ref)s was already merged into another record.") % {"ref": other.ref})
    if keep.merged_into_id:
        raise MergeError(
            _("%(ref)s was merged into another record; merge into that one instead.")
            % {"ref": keep.ref}
        )
    known = {f for f, _p in MERGED_FIELDS}
    bad = {f: c for f, c in choices.items() if f not in known or c not in (KEEP, OTHER)}
    if bad:
        raise MergeError(
            _("Unknown choices: %(bad)s. Give a field name and 'keep' or 'other'.")
            % {"bad": ", ".join(f"{f}={c}" for f, c in bad.items())}
        )
    _check_may_merge(user, keep, other)

    keep_history_id = merging.snapshot(keep, user)
    other_history_id = merging.snapshot(other, user)
    alias_claims = merging.alias_claims(
        other=other, fields=merging.names_becoming_aliases(keep, other)
    )
    changed_fields = merging.take_names(keep, other)
    conflicts: dict[str, dict] = {}
    for conflict in merge_conflicts(keep, other):
        field = conflict["field"]
        conflict["chosen"] = choices.get(field, KEEP)
        conflicts[field] = conflict
    citation_values, versions, uncited = merging.keep_lost_values(
        keep=keep, other=other, settled=conflicts, user=user
    )
    chosen = {field: c["chosen"] for field, c in conflicts.items()}
    changed_fields += merging.take_facts(keep, other, MERGED_FIELDS, chosen, empty=EMPTY)

    # Links: citations, submissions, pairs in the review queue.
    citation_ids = merging.move_citations(
        keep=keep, other=other, versions=versions, user=user, as_aliases=alias_claims
    )
    submission_ids = list(Submission.objects.filter(victim=other).values_list("pk", flat=True))
    Submission.objects.filter(pk__in=submission_ids).update(victim=keep)
    created_ids = list(Submission.objects.filter(created_victim=other).values_list("pk", flat=True))
    Submission.objects.filter(pk__in=created_ids).update(created_victim=keep)
    hearing_ids = _move_hearings(
        Hearing.objects.filter(victim=other), to=keep, user=user,
        reason=reasons.MOVED_BY_MERGE(other=other.ref, keep=keep.ref),
    )  # fmt: skip
    relations_moved = _move_relations(other=other, keep=keep, user=user)
    pairs_moved = {}
    pair_statuses = {}
    for pair in DuplicatePair.objects.involving(other):
        third = pair.victim_b if pair.victim_a_id == other.pk else pair.victim_a
        if third.pk == keep.pk:
            pair_statuses[pair.pk] = pair.status
            pair.decide(DuplicatePair.Status.SAME, user=user)
            continue
        a, b = DuplicatePair.ordered(keep, third)
        if DuplicatePair.objects.filter(victim_a=a, victim_b=b).exists():
            continue
        pairs_moved[pair.pk] = [pair.victim_a_id, pair.victim_b_id]
        DuplicatePair.objects.filter(pk=pair.pk).update(victim_a=a, victim_b=b)

    # The history's reason holds 100 characters; the full account is the MergeRecord's.
    # Values no citation supports first: the history's reason is their only other home.
    notes = ", ".join(
        [f"{field}={value}" for field, value in uncited.items()]
        + [
            f"{c['field']}={c[OTHER if c['chosen'] == KEEP else KEEP]}"
            for c in conflicts.values()
            if c["field"] not in uncited
        ]
    )
    _full_clean(keep, _("kept record"))
    keep._change_reason = (
        reasons.MERGED_NOT_KEPT(other=other.ref, values=notes)
        if notes
        else reasons.MERGED(other=other.ref)
    )
    keep._history_user = history_user(user)
    keep.save()

    other.merged_into = keep
    other.retire(user=user, reason=reasons.MERGED_INTO(keep=keep.ref))
    _full_clean(other, _("merged record"))
    other.save()

    record = MergeRecord(
        keep=keep,
        other=other,
        merged_by=history_user(user),
        keep_history_id=keep_history_id,
        other_history_id=other_history_id,
        moved={
            "citations": citation_ids,
            "submissions": submission_ids,
            "created_submissions": created_ids,
            "hearings": hearing_ids,
            "relations": relations_moved,
            "pairs": {str(k): v for k, v in pairs_moved.items()},
            "pair_statuses": {str(k): v for k, v in pair_statuses.items()},
            "keep_fields": sorted(set(changed_fields)),
            # Citations that became versions: their value before (restored on undo).
            "citation_values": {str(k): v for k, v in citation_values.items()},
            # Citations of a spelling that became an alias: their claim before.
            "citation_claims": {str(k): v for k, v in alias_claims.items()},
            # Values not kept that no citation supported.
            "uncited_versions": uncited,
        },
        conflicts=conflicts,
    )
    # Both JSON fields are written here: an empty ``conflicts`` (two records that do not
    # contradict each other) is what most merges have, not a missing value.
    record.full_clean(exclude=["moved", "conflicts"])
    record.save()
    return record


def _move_hearings(hearings, *, to, user, reason) -> list[int]:
    """Hearings moved to another victim record (a merge, its undoing), with history."""
    ids = []
    for hearing in hearings:
        hearing.victim = to
        hearing._change_reason = reason
        hearing._history_user = history_user(user)
        hearing.save()
        ids.append(hearing.pk)
    return ids


def _move_relations(*, other, keep, user) -> dict[str, str]:
    """The family relations of ``other`` moved to ``keep`` (with history), as
    ``{relation id: the side moved}`` for the undo. Two kinds stay on the retired record,
    in its history and the change log: a relation between the two records merged (one
    person cannot be their own sibling), and one to a person ``keep`` already has a
    relation with (one relation per pair of people; the kept record's stands)."""
    related_to_keep = {r.other(keep).pk for r in FamilyRelation.objects.of(keep)}
    moved = {}
    for relation in FamilyRelation.objects.of(other):
        third = relation.other(other)
        if third.pk == keep.pk or third.pk in related_to_keep:
            continue
        side = "from_victim" if relation.from_victim_id == other.pk else "to_victim"
        setattr(relation, side, keep)
        relation._change_reason = reasons.MOVED_BY_MERGE(other=other.ref, keep=keep.ref)
        relation._history_user = history_user(user)
        relation.save()
        related_to_keep.add(third.pk)
        moved[str(relation.pk)] = side
    return moved


def _move_relations_back(moved: dict[str, str], *, keep, other, user) -> None:
    for pk, side in moved.items():
        relation = FamilyRelation.objects.filter(pk=int(pk), **{side: keep}).first()
        if relation is None:  # changed by hand since the merge: left as it is
            continue
        setattr(relation, side, other)
        relation._change_reason = reasons.MOVED_BACK(other=other.ref)
        relation._history_user = history_user(user)
        relation.save()


@transaction.atomic
def unmerge_victims(*, keep: Victim, other: Victim, user):
    """Undo the last merge of ``other`` into ``keep``: ``other`` gets back its status and
    facts from its history row before the merge, the citations, submissions and pairs
    that moved go back, and the kept record's fields the merge changed return to what
    they were (later edits to other fields stay). Returns the MergeRecord, marked undone."""
    from victims.models import DuplicatePair, MergeRecord

    record = (
        MergeRecord.objects.select_for_update()
        .filter(keep=keep, other=other, undone_at__isnull=True)
        .order_by("-merged_at", "-pk")
        .first()
    )
    if record is None:
        raise MergeError(
            _("%(other)s was not merged into %(keep)s (or the merge was already undone).")
            % {"other": other.ref, "keep": keep.ref}
        )
    keep = Victim.objects.select_for_update().get(pk=keep.pk)
    other = Victim.objects.select_for_update().get(pk=other.pk)
    _check_may_merge(user, keep, other)

    before_other = other.history.get(history_id=record.other_history_id).instance
    before_other.pk = other.pk
    before_other._state.adding = False  # the same row, updated in place
    before_other.merged_into = None
    if before_other.publication_status != other.publication_status:
        # Its status comes back with the rest of the row: a move by the workflow's rule.
        try:
            Victim.check_move(user, other.publication_status, before_other.publication_status)
        except PermissionDenied:
            if not before_other.is_published:
                raise
            raise PermissionDenied(
                _("Undoing this merge publishes %(ref)s again, which only a reviewer may do.")
                % {"ref": other.ref}
            ) from None
        except ValidationError as exc:
            where = f"{_('merged record')} {other.ref}"
            raise MergeError("; ".join(error_lines(exc, where))) from None
    _full_clean(before_other, _("merged record"))
    before_other._change_reason = reasons.MERGE_INTO_UNDONE(keep=keep.ref)
    before_other._history_user = history_user(user)
    before_other.save()

    before_keep = keep.history.get(history_id=record.keep_history_id).instance
    for field in record.moved.get("keep_fields", []):
        concrete = Victim._meta.get_field(field)
        setattr(keep, concrete.attname, getattr(before_keep, concrete.attname))
    _full_clean(keep, _("kept record"))
    keep._change_reason = reasons.MERGE_OF_UNDONE(other=other.ref)
    keep._history_user = history_user(user)
    keep.save()

    merging.move_citations_back(
        keep=keep,
        other=other,
        moved=record.moved.get("citations", []),
        values=record.moved.get("citation_values", {}),
        claims=record.moved.get("citation_claims", {}),
        user=user,
    )
    Submission.objects.filter(pk__in=record.moved.get("submissions", []), victim=keep).update(
        victim=other
    )
    Submission.objects.filter(
        pk__in=record.moved.get("created_submissions", []), created_victim=keep
    ).update(created_victim=other)
    _move_hearings(
        Hearing.objects.filter(pk__in=record.moved.get("hearings", []), victim=keep),
        to=other, user=user, reason=reasons.MOVED_BACK(other=other.ref),
    )  # fmt: skip
    _move_relations_back(record.moved.get("relations", {}), keep=keep, other=other, user=user)
    for pk, (a, b) in record.moved.get("pairs", {}).items():
        DuplicatePair.objects.filter(pk=int(pk)).update(victim_a_id=a, victim_b_id=b)
    for pk, status in record.moved.get("pair_statuses", {}).items():
        pair = DuplicatePair.objects.filter(pk=int(pk)).first()
        if pair:
            pair.decide(status, user=user)

    # The names the moved citations give search for the record they are back on.
    refresh_name_keys([keep, other])
    record.undone_at = timezone.now()
    record.undone_by = history_user(user)
    record.save()
    return record
