"""Who may import and export what (docs/security.md, "Staff accounts and roles"): the
same rules for the admin's import and export screens and for the ``import_records`` /
``export_records`` commands, which apply them to the account named with ``--as`` (or to
``archive.core.groups.CommandLine`` without one).

- Importing needs the model's add and change permissions; a row that would create or
  change what a published record shows needs the permission to publish that record
  (``archive.core.models.locked_for``), and is refused by its row number otherwise: a file
  cannot put unreviewed words on a public page.
- Exporting needs the view permission. Unpublished records (and records hanging from
  unpublished ones) only for those who work on them (the change permission); some
  columns only for those allowed to read them (a resource's ``may_export_cell``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from archive.core.groups import CommandLine
from archive.core.models import PublicationStatus, Publishable, WorkflowError, locked_for


def _perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class _RememberedPermissions:
    """The acting account, each of its permissions asked once per import: every row
    asks the same two or three (change, publish), and the auth backends' answer costs
    more than the rest of the row's permission check."""

    def __init__(self, user):
        self._user = user
        self._answers: dict[str, bool] = {}

    def has_perm(self, perm, obj=None):
        if obj is not None:
            return self._user.has_perm(perm, obj)
        if perm not in self._answers:
            self._answers[perm] = self._user.has_perm(perm)
        return self._answers[perm]

    def __getattr__(self, name):
        return getattr(self._user, name)


class PermissionRules:
    """Mixed into ``archive.core.importing.ArchiveResource``."""

    user = None

    @property
    def acting_user(self):
        """The account whose permissions apply: the admin's user, the command's ``--as``,
        or, when none was given, the command line (drafts only)."""
        return self.user if self.user is not None else CommandLine()

    @property
    def _checking_user(self):
        """``acting_user`` for the row checks, its answers kept for the import."""
        remembered = getattr(self, "_remembered", None)
        if remembered is None or remembered[0] is not self.user:
            remembered = self._remembered = (self.user, _RememberedPermissions(self.acting_user))
        return remembered[1]

    @classmethod
    def import_refused(cls, user) -> str | None:
        """Why ``user`` may not import this kind at all (None when they may)."""
        model = cls._meta.model
        missing = [p for p in (_perm(model, "add"), _perm(model, "change")) if not user.has_perm(p)]
        if missing:
            return _("%(user)s may not import %(kind)s: it needs the permissions %(perms)s.") % {
                "user": user.get_username() or str(user),
                "kind": model._meta.verbose_name_plural,
                "perms": ", ".join(missing),
            }
        return None

    @classmethod
    def export_refused(cls, user) -> str | None:
        model = cls._meta.model
        if not user.has_perm(_perm(model, "view")):
            return _("%(user)s may not export %(kind)s: it needs the permission %(perm)s.") % {
                "user": user.get_username() or str(user),
                "kind": model._meta.verbose_name_plural,
                "perm": _perm(model, "view"),
            }
        return None

    # --- Import, row by row ------------------------------------------------------------

    def remember_before_import(self, instance, new: bool, row) -> None:
        """Called once a row's record is found (or made), before the row's cells are read
        into it: what the permission check compares with."""
        instance._import_new = new
        instance._status_before_import = (
            None if new else getattr(instance, "publication_status", None)
        )
        instance._import_locked_before = [] if new else locked_for(self._checking_user, instance)
        if instance._import_locked_before:
            columns = [f for f in self.get_import_fields() if f.attribute and f.column_name in row]
            instance._import_snapshot = {f.column_name: (f, f.export(instance)) for f in columns}

    def check_permission(self, instance, errors: dict) -> None:
        """Adds the row's permission errors to ``errors`` (by field, or for the row)."""
        user = self._checking_user
        if isinstance(instance, Publishable):
            status = instance.publication_status
            before = getattr(instance, "_status_before_import", None)
            if status != before:
                # The workflow's own rule (TRANSITIONS and its permissions), as in the
                # admin; a new record arriving with its status needs that status's
                # permission (publishing or restoring a withdrawal: a reviewer).
                try:
                    instance.check_move(user, before, status)
                except WorkflowError as exc:
                    errors.setdefault("publication_status", []).append(exc)
                    return
                except PermissionDenied:
                    errors.setdefault("publication_status", []).append(
                        ValidationError(
                            _(
                                "only a reviewer may publish, withdraw or unpublish a record "
                                "(the status would become '%(s)s'); import the file as one "
                                "(--as) or leave the status as it is"
                            )
                            % {"s": status}
                        )
                    )
                    return
        locked = getattr(instance, "_import_locked_before", [])
        if locked:
            snapshot = instance._import_snapshot
            changed = [c for c, (f, value) in snapshot.items() if f.export(instance) != value]
            if not changed:
                return  # an unchanged row of a published record (a re-imported export)
            action = _("change %(columns)s") % {"columns": ", ".join(changed)}
        else:
            locked = locked_for(user, instance)
            if not locked:
                return
            action = _("add to it")
        errors.setdefault("__all__", []).append(
            ValidationError(
                _(
                    "%(records)s is published, and only a reviewer may change what a "
                    "published record shows; this row would %(action)s. Import the file as "
                    "a reviewer (--as), or leave this row out."
                )
                % {
                    "records": capfirst(", ".join(f"{r._meta.verbose_name} '{r}'" for r in locked)),
                    "action": action,
                }
            )
        )

    # --- Export ------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        """What the user may export: with the model's change permission, everything;
        otherwise published records only (and records that hang only from published
        ones)."""
        user = self.acting_user
        model = queryset.model
        if user.has_perm(_perm(model, "change")):
            return queryset
        if issubclass(model, Publishable):
            return queryset.published()
        for field in model._meta.concrete_fields:
            if field.is_relation and issubclass(field.related_model, Publishable):
                queryset = queryset.filter(
                    **{f"{field.name}__publication_status": PublicationStatus.PUBLISHED}
                )
        return queryset

    def may_export_cell(self, column_name: str, obj) -> bool:
        """Override for columns some users may not read (a source's staff notes)."""
        return True

    def export_field(self, field, instance, **kwargs):
        if not self.may_export_cell(field.column_name, instance):
            return ""
        return super().export_field(field, instance, **kwargs)
