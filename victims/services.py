"""Writes that span apps, as keyword-only functions: each validates every record it
makes (``full_clean``) inside one transaction, so nothing is ever half-written."""

from __future__ import annotations

import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.models import PublicationStatus
from sources.models import GENERAL, Citation, Source
from victims import receipts
from victims.models import Fate, Submission, Victim

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

        received = timezone.localdate(submission.received_at)
        source = Source(
            kind=Source.Kind.TESTIMONY,
            title=_("Testimony sent through the form (submission #%(id)d)") % {"id": submission.pk},
            is_private=True,
            received_date=received,
            language=(submission.language or "")[:8],
            publication_status=PublicationStatus.DRAFT,
            notes=testimony_notes(submission),
        )
        source._history_user = user
        source.full_clean()
        source.save()

        if submission.victim_id:
            victim = submission.victim
            claims = [GENERAL]
        else:
            victim = Victim(
                ref=neutral_ref(),
                publication_status=PublicationStatus.DRAFT,
                **{f: getattr(submission, f) for f in COPIED_FIELDS},
            )
            victim.fate = victim.fate or Fate.UNKNOWN
            victim._history_user = user
            victim._change_reason = f"created from submission #{submission.pk}"
            victim.full_clean()
            victim.save()
            claims = [f for f in COPIED_FIELDS if getattr(submission, f) not in ("", None)]
            claims = claims or [GENERAL]

        content_type = ContentType.objects.get_for_model(Victim)
        for claim in claims:
            citation = Citation(
                content_type=content_type, object_id=victim.pk, source=source, claim=claim
            )
            citation._history_user = user
            citation.full_clean()
            citation.save()

        submission.status = Submission.Status.USED
        submission.created_source = source
        submission.created_victim = None if submission.victim_id else victim
        submission.reviewed_by = user
        submission._history_user = user
        submission._change_reason = "turned into records"
        submission.save(
            update_fields=["status", "created_source", "created_victim", "reviewed_by",
                           "updated_at"]
        )  # fmt: skip
    return victim


def neutral_ref() -> str:
    """A new victim's ref that says nothing of where the record came from: a published
    ``SUB-123`` would tell anyone watching that a family wrote to us about this person."""
    while True:
        ref = "V-" + "".join(secrets.choice(receipts.ALPHABET) for _ in range(8))
        if not Victim.objects.filter(ref=ref).exists():
            return ref


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
