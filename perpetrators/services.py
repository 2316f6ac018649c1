"""Writes that span records, as keyword-only functions inside one transaction: merging two
records of one perpetrator, and undoing it, with the guarantees of the victims' merge
(``victims.services.merge_victims``; the provenance rules are ``sources.merging``'s):
every citation, commission seat, position and statement kept and moved, the old address
redirecting to the kept record, every conflicting value kept as a version."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.core import reasons
from archive.core.models import history_user
from perpetrators.models import (
    CommissionMembership,
    Perpetrator,
    PerpetratorMerge,
    PerpetratorPair,
    Position,
    Statement,
)
from sources import merging
from sources.merging import KEEP, OTHER
from sources.services import refresh_name_keys

MERGED_FIELDS = [("father_name", None), ("gender", None), ("birth_year", None),
                 ("biography", None)]  # fmt: skip
PARTS = {"memberships": CommissionMembership, "positions": Position, "statements": Statement}


def _parts() -> dict:
    """PARTS and the seats at hearings (``victims.HearingOfficial``, reached through its
    relation: perpetrators import nothing of the victims app)."""
    seats = Perpetrator._meta.get_field("hearing_seats").related_model
    return {**PARTS, "hearing_seats": seats}


class MergeError(ValueError):
    """A merge (or its undoing) that cannot be done, with the reason in words."""


def merge_conflicts(keep: Perpetrator, other: Perpetrator) -> list[dict]:
    return merging.conflicts(keep, other, MERGED_FIELDS)


def merge_refusal(user, keep: Perpetrator, other: Perpetrator) -> str | None:
    """Why ``user`` may not merge ``other`` into ``keep`` (or undo it); None when they may:
    a published record changes only in a reviewer's hands (``Publishable.may_change``)."""
    if not user.has_perm(Perpetrator.change_permission()):
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


def error_lines(exc: ValidationError, where: str = "") -> list[str]:
    return merging.error_lines(exc, Perpetrator, where)


def _full_clean(record, role: str) -> None:
    try:
        record.full_clean()
    except ValidationError as exc:
        raise MergeError("; ".join(error_lines(exc, f"{role} {record.ref}"))) from None


def _check(user, keep, other) -> None:
    refusal = merge_refusal(user, keep, other)
    if refusal:
        raise PermissionDenied(refusal)


def _move_parts(*, keep, other, user) -> dict[str, list[int]]:
    """Seats, posts and statements moved to the kept record. A seat the kept record
    already holds (same commission, same role) stays where it is, on the withdrawn record,
    with its citations: the kept record's seat says the same."""
    moved: dict[str, list[int]] = {}
    for name, model in _parts().items():
        ids = []
        for part in model.objects.filter(perpetrator=other):
            if (
                model is CommissionMembership
                and CommissionMembership.objects.filter(
                    perpetrator=keep, commission_id=part.commission_id, role=part.role
                ).exists()
            ):
                continue
            if (
                name == "hearing_seats"
                and model.objects.filter(
                    perpetrator=keep, hearing_id=part.hearing_id, role=part.role
                ).exists()
            ):
                continue
            part.perpetrator = keep
            part._change_reason = reasons.MOVED_BY_MERGE(other=other.ref, keep=keep.ref)
            part._history_user = history_user(user)
            part.save()
            ids.append(part.pk)
        moved[name] = ids
    return moved


@transaction.atomic
def merge_perpetrators(*, keep: Perpetrator, other: Perpetrator, user, choices=None):
    """Merge ``other`` into ``keep``: the same official entered twice. ``keep`` takes the
    other's spellings as aliases, every fact it lacks, every citation, seat, position,
    statement and review-queue pair; a conflicting value not kept becomes a version on its
    citations. ``other`` is withdrawn with ``merged_into = keep``: its address redirects.
    Returns the PerpetratorMerge, which ``unmerge_perpetrators`` undoes."""
    choices = dict(choices or {})
    keep = Perpetrator.objects.select_for_update().get(pk=keep.pk)
    other = Perpetrator.objects.select_for_update().get(pk=other.pk)
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
    _check(user, keep, other)

    keep_history_id = merging.snapshot(keep, user)
    other_history_id = merging.snapshot(other, user)
    alias_claims = merging.alias_claims(
        other=other, fields=merging.names_becoming_aliases(keep, other)
    )
    changed = merging.take_names(keep, other)
    conflicts = {}
    for conflict in merge_conflicts(keep, other):
        conflict["chosen"] = choices.get(conflict["field"], KEEP)
        conflicts[conflict["field"]] = conflict
    citation_values, versions, uncited = merging.keep_lost_values(
        keep=keep, other=other, settled=conflicts, user=user
    )
    chosen = {field: c["chosen"] for field, c in conflicts.items()}
    changed += merging.take_facts(keep, other, MERGED_FIELDS, chosen)
    citation_ids = merging.move_citations(
        keep=keep, other=other, versions=versions, user=user, as_aliases=alias_claims
    )
    parts = _move_parts(keep=keep, other=other, user=user)

    pairs_moved, pair_statuses = {}, {}
    for pair in PerpetratorPair.objects.involving(other):
        third = pair.perpetrator_b if pair.perpetrator_a_id == other.pk else pair.perpetrator_a
        if third.pk == keep.pk:
            pair_statuses[pair.pk] = pair.status
            pair.decide(PerpetratorPair.Status.SAME, user=user)
            continue
        a, b = PerpetratorPair.ordered(keep, third)
        if PerpetratorPair.objects.filter(perpetrator_a=a, perpetrator_b=b).exists():
            continue
        pairs_moved[pair.pk] = [pair.perpetrator_a_id, pair.perpetrator_b_id]
        PerpetratorPair.objects.filter(pk=pair.pk).update(perpetrator_a=a, perpetrator_b=b)

    notes = ", ".join(
        [f"{field}={value}" for field, value in uncited.items()]
        + [
            f"{c['field']}={c[OTHER if c['chosen'] == KEEP else KEEP]}"
            for c in conflicts.values()
            if c["field"] not in uncited
        ]
    )
    _full_clean(keep, _("kept record"))
    reason = (
        reasons.MERGED_NOT_KEPT(other=other.ref, values=notes)
        if notes
        else reasons.MERGED(other=other.ref)
    )
    keep._change_reason = reason
    keep._history_user = history_user(user)
    keep.save()

    other.merged_into = keep
    other.retire(user=user, reason=reasons.MERGED_INTO(keep=keep.ref))
    _full_clean(other, _("merged record"))
    other.save()

    record = PerpetratorMerge(
        keep=keep,
        other=other,
        merged_by=history_user(user),
        keep_history_id=keep_history_id,
        other_history_id=other_history_id,
        moved={
            "citations": citation_ids,
            **parts,
            "pairs": {str(k): v for k, v in pairs_moved.items()},
            "pair_statuses": {str(k): v for k, v in pair_statuses.items()},
            "keep_fields": sorted(set(changed)),
            "citation_values": {str(k): v for k, v in citation_values.items()},
            # Citations of a spelling that became an alias: their claim before.
            "citation_claims": {str(k): v for k, v in alias_claims.items()},
            "uncited_versions": uncited,
        },
        conflicts=conflicts,
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def unmerge_perpetrators(*, keep: Perpetrator, other: Perpetrator, user):
    """Undo the last merge of ``other`` into ``keep``: ``other`` back as it was, with its
    citations, seats, posts, statements and pairs; the kept record's fields the merge
    changed back to what they were."""
    record = (
        PerpetratorMerge.objects.select_for_update()
        .filter(keep=keep, other=other, undone_at__isnull=True)
        .order_by("-merged_at", "-pk")
        .first()
    )
    if record is None:
        raise MergeError(
            _("%(other)s was not merged into %(keep)s (or the merge was already undone).")
            % {"other": other.ref, "keep": keep.ref}
        )
    keep = Perpetrator.objects.select_for_update().get(pk=keep.pk)
    other = Perpetrator.objects.select_for_update().get(pk=other.pk)
    _check(user, keep, other)

    before_other = other.history.get(history_id=record.other_history_id).instance
    before_other.pk = other.pk
    before_other._state.adding = False
    before_other.merged_into = None
    if before_other.publication_status != other.publication_status:
        try:
            Perpetrator.check_move(user, other.publication_status, before_other.publication_status)
        except PermissionDenied:
            if not before_other.is_published:
                raise
            raise PermissionDenied(
                _("Undoing this merge publishes %(ref)s again, which only a reviewer may do.")
                % {"ref": other.ref}
            ) from None
    _full_clean(before_other, _("merged record"))
    before_other._change_reason = reasons.MERGE_INTO_UNDONE(keep=keep.ref)
    before_other._history_user = history_user(user)
    before_other.save()

    before_keep = keep.history.get(history_id=record.keep_history_id).instance
    for field in record.moved.get("keep_fields", []):
        concrete = Perpetrator._meta.get_field(field)
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
    for name, model in _parts().items():
        for part in model.objects.filter(pk__in=record.moved.get(name, []), perpetrator=keep):
            part.perpetrator = other
            part._change_reason = reasons.MOVED_BACK(other=other.ref)
            part._history_user = history_user(user)
            try:
                with transaction.atomic():
                    part.save()
            except IntegrityError:
                raise MergeError(
                    _("%(part)s cannot go back to %(ref)s: it holds that seat again.")
                    % {"part": part, "ref": other.ref}
                ) from None
    for pk, (a, b) in record.moved.get("pairs", {}).items():
        PerpetratorPair.objects.filter(pk=int(pk)).update(perpetrator_a_id=a, perpetrator_b_id=b)
    for pk, status in record.moved.get("pair_statuses", {}).items():
        pair = PerpetratorPair.objects.filter(pk=int(pk)).first()
        if pair:
            pair.decide(status, user=user)

    refresh_name_keys([keep, other])
    record.undone_at = timezone.now()
    record.undone_by = history_user(user)
    record.save()
    return record
