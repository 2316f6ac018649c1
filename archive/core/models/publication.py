"""The publication workflow every public record goes through (``Publishable``): its
statuses and their moves, who may make each, the publication gate, and who may change a
published record (``locked_for``)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.core import provenance
from archive.core.caching import forget_previous
from archive.core.models.partial_dates import PartialDatesMixin


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PublishableQuerySet(models.QuerySet):
    """Every public read (pages, API, exports, sitemaps) goes through ``published()``."""

    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    def delete(self):
        if self.filter(publication_status=PublicationStatus.PUBLISHED).exists():
            raise ProtectedError(
                _("A published record cannot be deleted; withdraw it instead."), set(self)
            )
        return super().delete()


class WorkflowError(ValidationError):
    """A publication step that the record's current status does not allow."""


# The history of the records an import writes in bulk (a victim per row, a citation per
# filled cell). Who made a change is set by the archive's code (the signed-in user, an
# import's --as) and emptied by Django when an account is deleted (SET_NULL), so the
# database does not check the link once more for every history row: at 30,000 rows
# that was 0.1 ms of the server's time a row (docs/benchmarks.md, imports' sixth pass).
IMPORTED_HISTORY = {"user_db_constraint": False}


class Publishable(PartialDatesMixin, models.Model):
    """A record that reaches the public only once a reviewer publishes it.

    Researchers (who hold the model's change permission) write drafts and send them for
    review; reviewers (who hold ``publish_<model>``) publish and withdraw. A published
    record cannot be deleted, only withdrawn, because people have cited it.
    """

    publication_status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        # Not indexed alone: the lists' indexes begin with it (``victim_pub_*``,
        # ``name_order_indexes``, ``source_pub_title``), and a plain index of it (with
        # PostgreSQL's pattern copy for LIKE, which nothing asks) was two more entries
        # written for every imported record and read by nothing.
        help_text=_("Only published records are shown to the public."),
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        leaving = (
            getattr(self, "_status_as_read", None) == PublicationStatus.PUBLISHED
            and not self.is_published
        )
        super().save(*args, **kwargs)
        if leaving:
            # Pages and figures kept from while it was public are not served again, not
            # even for the moment another worker takes to compute them anew.
            transaction.on_commit(forget_previous, using=kwargs.get("using") or self._state.db)
        self._status_as_read = self.publication_status

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        # The status as read, so that a save that takes the record out of publication
        # (whichever way it was set) is known (``save``).
        record._status_as_read = record.__dict__.get("publication_status")
        return record

    # Which status may follow which, and whether it needs the reviewer's permission.
    TRANSITIONS = {
        PublicationStatus.IN_REVIEW: (
            {PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN},
            False,
        ),
        PublicationStatus.DRAFT: (
            {PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN},
            False,
        ),
        PublicationStatus.PUBLISHED: (
            {PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN},
            True,
        ),
        PublicationStatus.WITHDRAWN: ({PublicationStatus.PUBLISHED}, True),
    }

    @classmethod
    def publish_permission(cls) -> str:
        return f"{cls._meta.app_label}.publish_{cls._meta.model_name}"

    @classmethod
    def change_permission(cls) -> str:
        return f"{cls._meta.app_label}.change_{cls._meta.model_name}"

    @property
    def is_published(self) -> bool:
        return self.publication_status == PublicationStatus.PUBLISHED

    def was_public(self) -> bool:
        """Whether the public ever saw this record: first published at some time, or, for
        records written before that was kept, a published state in its history."""
        if self.is_published or self.published_at is not None:
            return True
        history = getattr(self, "history", None)
        return (
            history is not None
            and history.filter(publication_status=PublicationStatus.PUBLISHED).exists()
        )

    def may_change(self, user) -> bool:
        """Whether ``user`` may change what this record says. Unpublished, anyone with the
        model's change permission; published, only those who may also publish it, since a
        change to a published record is public at once: a researcher's changes go through
        a reviewer (who may withdraw it, or make the change)."""
        return user.has_perm(self.change_permission()) and not locked_for(user, self)

    @classmethod
    def check_move(cls, user, current: str | None, status: str) -> None:
        """The workflow's one rule, for every change of status (``move_to``, the admin's
        buttons through ``can_move_to``, an import, a merge): raises ``WorkflowError``
        when a record that is ``current`` cannot become ``status`` (``TRANSITIONS``),
        ``PermissionDenied`` when ``user`` may not make the move. ``current`` None is a
        new record arriving with its status (an import of an export): no move, only the
        permission that status needs."""
        allowed_from, needs_reviewer = cls.TRANSITIONS[status]
        if current is not None and current not in allowed_from:
            raise WorkflowError(
                _("A record that is %(current)s cannot become %(new)s.")
                % {
                    "current": PublicationStatus(current).label,
                    "new": PublicationStatus(status).label,
                }
            )
        perm = cls.publish_permission() if needs_reviewer else cls.change_permission()
        if not user.has_perm(perm):
            raise PermissionDenied(
                _("You are not allowed to make this record %(new)s.")
                % {"new": PublicationStatus(status).label}
            )

    def can_move_to(self, user, status: str) -> bool:
        try:
            self.check_move(user, self.publication_status, status)
        except (WorkflowError, PermissionDenied):
            return False
        return True

    def move_to(self, status: str, *, user, reason: str = "") -> None:
        """Change the publication status, checking the user's permission and the
        workflow; the change is kept in the record's history with who and why."""
        self.check_move(user, self.publication_status, status)
        self.check_publication_gate(status)
        self._enter_status(status, user=user, reason=reason or f"status: {status}")
        self.full_clean()
        self.save()

    def retire(self, *, user, reason: str) -> None:
        """Withdraw a record that another now stands for (merged into it), whatever its
        status, so that it leaves every list for good; the caller saves it. A published
        record is withdrawn by the workflow's rule (``check_move``: a reviewer); a record
        never public is not a withdrawal from publication, and retiring it needs the
        permission to change it."""
        if self.is_published:
            self.check_move(user, self.publication_status, PublicationStatus.WITHDRAWN)
        elif not user.has_perm(self.change_permission()):
            raise PermissionDenied(
                _("You are not allowed to make this record %(new)s.")
                % {"new": PublicationStatus.WITHDRAWN.label}
            )
        self._enter_status(PublicationStatus.WITHDRAWN, user=user, reason=reason)

    def _enter_status(self, status: str, *, user, reason: str) -> None:
        """The one place a record's status is set, once the move was checked: who and
        why go to the history with the record's next save."""
        # Leaving publication is seen by ``save``, however the status was set.
        self.publication_status = status
        self.stamp_first_publication()
        self._change_reason = reason
        self._history_user = history_user(user)

    def stamp_first_publication(self) -> None:
        """A published record keeps the moment it was first published (also set for
        records an import publishes in bulk)."""
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()

    # The publication gate (archive.core.provenance): every fact the public page shows
    # has a citation to a published source. A hook of its own, apart from the workflow.

    def publication_gaps(self, **kwargs) -> list:
        return provenance.publication_gaps(self, **kwargs)

    def check_publication_gate(self, status: str) -> None:
        """Refuses to publish a record with an uncited fact, naming every one."""
        if status != PublicationStatus.PUBLISHED:
            return
        # Its own page, and the published pages that would start to show it (a victim's
        # page shows its event only once the event is published).
        gaps = [*self.publication_gaps(), *provenance.linked_gaps(self)]
        if gaps:
            raise WorkflowError(
                _(
                    "Not published: every fact the public page shows needs a citation to a "
                    "published source. %(gaps)s."
                )
                % {"gaps": provenance.gaps_message(gaps)}
            )

    def send_for_review(self, *, user):
        self.move_to(PublicationStatus.IN_REVIEW, user=user)

    def publish(self, *, user):
        self.move_to(PublicationStatus.PUBLISHED, user=user)

    def withdraw(self, *, user, reason: str = ""):
        self.move_to(PublicationStatus.WITHDRAWN, user=user, reason=reason)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise ProtectedError(
                _("A published record cannot be deleted; withdraw it instead."), {self}
            )
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = self.clean_partial_dates()
        if errors:
            raise ValidationError(errors)


def history_user(user):
    """The account a history entry names: the user, or None for the command line
    without ``--as`` (``archive.core.groups.CommandLine``, no account)."""
    return user if getattr(user, "pk", None) else None


def public_records_of(obj) -> list[Publishable]:
    """The publishable records whose public page shows ``obj``: the record itself, or for a
    record that hangs from others (a citation, a perpetrator's position, a commission seat,
    a statement), the publishable records it points to."""
    if isinstance(obj, Publishable):
        return [obj]
    shown_on = getattr(obj, "SHOWN_ON", None)
    if shown_on is not None:
        # A record that hangs from one that hangs from others (a citation of a hearing:
        # the hearing's victim) reaches the publishable records at the end of the chain.
        found = []
        for target in (getattr(obj, name, None) for name in shown_on):
            if isinstance(target, Publishable):
                found.append(target)
            elif target is not None:
                found.extend(public_records_of(target))
        return found
    found = []
    for field in obj._meta.concrete_fields:
        if field.is_relation and issubclass(field.related_model, Publishable):
            target = getattr(obj, field.name, None)
            if target is not None:
                found.append(target)
    for field in obj._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            target = getattr(obj, field.name, None)
            if isinstance(target, Publishable):
                found.append(target)
    return found


def locked_for(user, obj) -> list[Publishable]:
    """The published records whose public page a change to ``obj`` would change and that
    ``user`` may not publish: empty when ``user`` may make the change. A record that hangs
    from several (a commission seat: a perpetrator and a commission) is public only when
    all of them are, and is locked only then."""
    records = public_records_of(obj)
    if not records or not all(record.is_published for record in records):
        return []
    return [record for record in records if not user.has_perm(record.publish_permission())]


def workflow_permissions(model_name: str, verbose_plural: str) -> list[tuple[str, str]]:
    return [(f"publish_{model_name}", f"Can publish and withdraw {verbose_plural}")]
