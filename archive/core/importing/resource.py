"""The archive's resource: what every import and export of a record type does (keys,
checks, permissions, history), and the registry of record types by name."""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields as ie_fields
from import_export import resources, widgets
from import_export.results import Error

from archive.core import reasons
from archive.core.digits import ascii_digits
from archive.core.display import localized_number
from archive.core.importing.citing import RowCiting
from archive.core.importing.columns import Column
from archive.core.importing.permissions import PermissionRules
from archive.core.importing.preview import ReaderDiff, headers
from archive.core.importing.readers import RECORD, ROW, cell_text, normalise_header, shown_where
from archive.core.importing.report import FileProblem, PossibleMatch, messages_of
from archive.core.importing.widgets import NamedRecordWidget
from archive.core.linkage_store import KeysBehind
from archive.core.models import Publishable, history_user

_UNREAD = object()

# How long the admin's preview may spend bringing the check's linkage keys up to date
# (gunicorn stops a request at 30 s; the import and the check itself take the rest).
PREVIEW_KEYS_SECONDS = 10
# The admin's screen must answer before gunicorn stops it (30 s). Its preview writes a
# file row by row (4.4 ms a row into a small archive on SQLite), then checks the new rows
# for records already in the archive: at a million people on PostgreSQL, 100 rows of a
# list of common names took 6.8 s, 500 took 19.3 s, 1,000 took 36.2 s (stopped: a 500).
# So the screen takes files of up to SCREEN_ROWS rows, and checks their new rows
# SCREEN_CHECK_ROWS at a time until PREVIEW_SECONDS have passed since the preview began;
# the rows it had no time for are named as not checked. Larger files: the command. The
# rest of the 30 s is for writing and rolling back the rows and rendering the preview:
# with 1,000 rows and 20 s, on a server busy with other work, the answer took 28.1 s.
SCREEN_ROWS = 500
SCREEN_CHECK_ROWS = 100
PREVIEW_SECONDS = 15

# --- Resources ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _import_reason(file_name: str | None) -> str:
    """The history's reason for a row of ``file_name``: asked for every row
    (``prepare_instance``), made once per file."""
    return reasons.IMPORT_FROM(file=Path(file_name).name) if file_name else reasons.IMPORT()


class ArchiveResource(RowCiting, PermissionRules, resources.ModelResource):
    """Shared behaviour of the archive's resources; see the module docstring."""

    # Columns that must be present in a file (names, or tuples of alternatives).
    required_columns: tuple = ()
    # The column that identifies a record (``ref``); ``id`` for records without one.
    key_column = "ref"
    # Short words for the report ("victims").
    noun = "records"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = kwargs.get("user")
        self.file_name = kwargs.get("file_name") or ""
        # The source every filled cell is cited to (archive.core.importing.citing).
        self.source = kwargs.get("source")
        self.prefer_source = bool(kwargs.get("prefer_source"))
        self.new_references: list[str] = []
        # The admin's import: the rows that create a record, ``(row number, instance)``.
        self.new_rows: list[tuple[int, models.Model]] = []
        # How many people's linkage keys its preview could not make in time (``import_data``).
        self.keys_behind = 0
        self.moment = timezone.now()
        for column in self.fields.values():
            widget = column.widget
            if isinstance(widget, NamedRecordWidget):
                widget.on_create = self._on_reference_created

    def import_data(self, dataset, dry_run=False, *args, **kwargs):
        """The admin's import. Its preview checks its new rows for records already in the
        archive (``before_save_instance``): what that check reads is brought up to date
        first (``prepare_possible_matches``), before the import's transaction opens, as
        the command does, so that it is kept whatever becomes of the preview. A screen
        must answer: if that is not done within ``PREVIEW_KEYS_SECONDS`` (the keys of
        the people a large import wrote, made at the next check), the preview says it
        could not check, and the next one goes on from there."""
        self.keys_behind = 0
        self.began = time.monotonic()
        if len(dataset) > SCREEN_ROWS:
            return self._too_long(len(dataset))
        if dry_run:
            try:
                self.prepare_possible_matches(until=self.began + PREVIEW_KEYS_SECONDS)
            except KeysBehind as behind:
                self.keys_behind = behind.remaining
        return super().import_data(dataset, dry_run, *args, **kwargs)

    def _too_long(self, rows: int):
        """The screen's answer to a file longer than ``SCREEN_ROWS``: nothing imported
        or checked, the file's length and the ways to import it said."""
        result = self.get_result_class()()
        message = _(
            "This file has %(rows)s rows; the import screen takes at most %(limit)s at a "
            "time. Split it into smaller files, or have it imported with the "
            "import_records command."
        ) % {"rows": localized_number(rows), "limit": localized_number(SCREEN_ROWS)}
        result.append_base_error(Error(FileProblem(message)))
        return result

    # The library passes the user and the file name to import_data (admin screens);
    # the command passes them to the constructor.
    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user") or self.user
        self.file_name = kwargs.get("file_name") or self.file_name
        self.moment = timezone.now()
        self.new_rows = []
        missing = self.missing_columns([normalise_header(h) for h in dataset.headers or []])
        if missing:
            raise ValidationError(self.missing_message(missing))
        # The admin's file may say "Name Latin": map headers as the command does.
        if dataset.headers:
            dataset.headers = [normalise_header(h) for h in dataset.headers]

    def after_import(self, dataset, result, **kwargs):
        """The admin's import screen numbers rows as the command does: in a spreadsheet the
        header is row 1, so the library's first data row (its number 1) is row 2; a JSON
        file's records are counted from 1. Each error is written out as the command
        writes it ("row 5, birth_year: 'x' is not a year")."""
        super().after_import(dataset, result, **kwargs)
        records = Path(self.file_name).suffix.lower() in {".json", ".jsonl", ".yaml", ".yml"}
        shift, label = (0, RECORD) if records else (1, ROW)
        for row in [*result.invalid_rows, *result.error_rows]:
            row.number += shift
        result.problems = [
            problem
            for row in result.invalid_rows
            # The row's number in the reader's digits; the cells' values as the file has them.
            for problem in messages_of(row.error, self, shown_where(f"{label} {row.number}"))
        ]
        result.row_label = _("record") if records else _("row")
        # The rows that may be records already in the archive, as the command reports
        # them; the import goes on (the researcher decides, and may merge afterwards).
        checked = self.new_rows and not result.has_errors() and not result.has_validation_errors()
        result.possible_matches, unchecked = self._matches_in_time(
            [(shown_where(f"{label} {number + shift}"), obj) for number, obj in self.new_rows]
            if checked
            else []
        )
        result.unchecked = (unchecked[0][0], len(unchecked)) if unchecked else None
        result.keys_behind = self.keys_behind
        # The preview's headings in the reader's language (archive.core.importing.preview).
        result.preview_headers = headers(self)

    def _matches_in_time(self, rows: list) -> tuple[list[PossibleMatch], list]:
        """The preview's new rows checked ``SCREEN_CHECK_ROWS`` at a time while the
        screen has time (``_has_time``): the possible matches found, and the rows there
        was no time for. Each chunk as a whole file (``read`` 1): a preview never reads
        everyone at once for rows it may not reach, which at a million people would take
        longer than the screen may."""
        found = []
        for start in range(0, len(rows), SCREEN_CHECK_ROWS):
            if not self._has_time():
                return found, rows[start:]
            found.extend(self.possible_matches(rows[start : start + SCREEN_CHECK_ROWS]))
        return found, []

    def _has_time(self) -> bool:
        """Whether the preview may begin another chunk of its check: not once
        ``PREVIEW_SECONDS`` have passed since it began (a chunk of 100 rows at a million
        people takes 2-3 s, the first 4-5 s more: the archive's frequencies)."""
        return time.monotonic() < self.began + PREVIEW_SECONDS

    def get_diff_class(self):
        """The preview's values as the reader reads them (Persian digits and labels)."""
        return ReaderDiff

    def _on_reference_created(self, obj):
        self.mark(obj)
        self.new_references.append(f"{obj._meta.verbose_name} '{obj}'")

    def mark(self, obj) -> None:
        """What the history keeps of a write of this import: why, by whom, and when. One
        moment for the whole import, as the command's bulk writes have: the change log
        counts an import as one line a kind of record, not one a row."""
        obj._change_reason = self.change_reason()
        if history_user(self.user) is not None:
            obj._history_user = self.user
        obj._history_date = self.moment

    def change_reason(self) -> str:
        return _import_reason(self.file_name)

    @classmethod
    def columns(cls) -> list[Column]:
        return [f for f in cls().get_import_fields() if isinstance(f, ie_fields.Field)]

    @classmethod
    def column_names(cls) -> list[str]:
        return [f.column_name for f in cls.columns()]

    def missing_columns(self, present: list[str]) -> list:
        missing = []
        for required in self.required_columns:
            options = required if isinstance(required, tuple) else (required,)
            if not any(o in present for o in options):
                missing.append(options)
        return missing

    def missing_message(self, missing) -> str:
        names = "; ".join(" or ".join(f"'{o}'" for o in options) for options in missing)
        return (
            f"the file has no column {names}. Its first row must name the columns; expected "
            f"columns: {', '.join(self.column_names())} (see docs/data-dictionary.md)."
        )

    def column_for(self, attribute: str) -> str:
        for column in self.fields.values():
            if column.attribute == attribute or f"{column.attribute}_precision" == attribute:
                return column.column_name
        return attribute

    # Model checks, the same for the admin and the command: each field's own checks
    # (length, choices) without the per-row queries of foreign keys (the widgets resolved
    # them already), then the model's clean().
    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            self._clean_fields(instance, errors)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as exc:
            # A cell already refused leaves its field unset: say only what is new. A check
            # across fields may have read values the record kept: say so.
            note = self.kept_note(instance)
            for key, value in exc.update_error_dict({}).items():
                if note:  # one problem still: its message says why
                    *others, last = [m for error in value for m in ValidationError(error).messages]
                    value = [*others, f"{last} {note}"]
                errors.setdefault(key, value)
        self.check_permission(instance, errors)
        self.check_gate(instance, errors)
        if errors:
            raise ValidationError(errors)

    def init_instance(self, row=None):
        """A new record: a copy of the field defaults of one made once per import (a
        model's ``__init__`` sets each field one by one, a cost per row). Models with
        callable defaults or init signals are made as usual."""
        model = self._meta.model
        blank = getattr(self, "_blank_record", None)
        if blank is None:
            plain = not (
                signals.pre_init.has_listeners(model)
                or signals.post_init.has_listeners(model)
                or any(f.has_default() and callable(f.default) for f in model._meta.fields)
            )
            blank = self._blank_record = (
                {k: v for k, v in vars(model()).items() if k != "_state"} if plain else False
            )
        if blank is False:
            return model()
        instance = model.__new__(model)
        instance.__dict__.update(blank)
        instance._state = ModelState()
        return instance

    # Distinct field values whose reading ``_clean_fields`` keeps.
    KEPT_READINGS = 8192

    def _checked_fields(self, model) -> list[tuple[models.Field, bool]]:
        """The fields ``_clean_fields`` checks, each with whether its readings are kept:
        not the links (the widgets resolved them), the fields no one edits, the id and
        the ref; readings kept for every field but free text, whose values (names,
        places of a list) rarely repeat and would only push the others out."""
        plans = self.__dict__.setdefault("_field_plans", {})
        plan = plans.get(model)
        if plan is None:
            plan = plans[model] = [
                (f, bool(f.choices) or not isinstance(f, (models.CharField, models.TextField)))
                for f in model._meta.fields
                if not (f.is_relation or not f.editable or f.name in {"id", "ref"})
                and not f.generated
            ]
        return plan

    def _clean_fields(self, instance, refused) -> None:
        """``Model.clean_fields`` of the fields ``_checked_fields`` names, but those
        already ``refused`` by a cell, with each field's reading of a value it accepted
        kept for the import: a field's checks (length, choices, range) depend on the
        value alone, and a list repeats its years, dates and choices thousands of times.
        A refused value is checked again on every row, for that row's message."""
        kept = self.__dict__.setdefault("_readings", {})
        errors = {}
        for f, keep in self._checked_fields(type(instance)):
            raw = getattr(instance, f.attname)
            if (f.blank and raw in f.empty_values) or isinstance(raw, DatabaseDefault):
                continue
            if refused and f.name in refused:
                continue
            key = None
            if keep:
                try:
                    key = (f.attname, type(raw), raw)
                    value = kept.get(key, _UNREAD)
                except TypeError:  # a value that cannot be a key
                    key, value = None, _UNREAD
                if value is not _UNREAD:
                    setattr(instance, f.attname, value)
                    continue
            try:
                value = f.clean(raw, instance)
            except ValidationError as exc:
                errors[f.name] = exc.error_list
                continue
            setattr(instance, f.attname, value)
            if key is not None:
                if len(kept) >= self.KEPT_READINGS:
                    kept.clear()
                kept[key] = value
        if errors:
            raise ValidationError(errors)

    def after_init_instance(self, instance, new, row, **kwargs):
        self.remember_before_import(instance, new, row)

    def _row_label(self, number) -> str:
        """The admin's row as the report names it (``after_import``)."""
        records = Path(self.file_name).suffix.lower() in {".json", ".jsonl", ".yaml", ".yml"}
        return f"{RECORD} {number}" if records else f"{ROW} {number + 1}"

    def import_instance(self, instance, row, where: str | None = None, **kwargs):
        """Each cell through its column's widget; the errors of all cells at once; then
        the row's citations (``cite_cells``)."""
        if not hasattr(instance, "_import_new"):
            self.after_init_instance(instance, instance.pk is None, row)
        before = self.before_cells(instance, instance._import_new)
        if where is None:
            where = self._row_label(kwargs.get("row_number") or 0)
        present = frozenset(row)
        if getattr(self, "_present", None) != present:
            # Rows of one file have the same columns: look the fields up once per file.
            self._present = present
            self._fields_present = [
                f
                for f in self.get_import_fields()
                if f.attribute
                and f.column_name in present
                and not isinstance(f.widget, widgets.ManyToManyWidget)
            ]
        errors = {}
        for column in self._fields_present:
            try:
                column.save(instance, row, **kwargs)
            except ValueError as exc:
                errors[column.attribute] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)
        self.cite_cells(instance, row, where, before)

    def prepare_instance(self, instance) -> None:
        """What a save through the admin would do, for bulk writes that send no signals."""
        if hasattr(instance, "refresh_name_keys"):
            instance.refresh_name_keys()
        if isinstance(instance, Publishable):
            instance.stamp_first_publication()
        self.mark(instance)

    def before_save_instance(self, instance, row, **kwargs):
        """The admin's import, row by row (the command writes in bulk). In its preview (a
        dry run) the new rows are checked for records already in the archive once all are
        written (``after_import``), against the archive as it was before the first of
        them: ``open_possible_matches`` reads it then, so that no row is found to be
        itself. The confirmation, which shows no preview, does not check again."""
        self.prepare_instance(instance)
        checking = kwargs.get("dry_run") and not self.keys_behind
        if instance.pk is None and checking and kwargs.get("row_number"):
            if not self.new_rows:
                self.open_possible_matches()
            self.new_rows.append((kwargs["row_number"], instance))

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row whose values the record already has (or keeps: the source's differing
        value becomes its version) still brings the source's citations: it is not
        skipped while it has some to write, or the admin would drop them unseen."""
        brings = self.source is not None and instance.pk is not None
        if brings and self.citations_to_write([instance])[0]:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        """The admin's import: the row's citations, saved one by one (with history)."""
        new, demoted = self.citations_to_write([instance])
        for citation in [*(row.as_model() for row in new), *demoted]:
            self.mark(citation)
            citation.save()

    # Export: what the user may see (``PermissionRules.filter_export``), in the key's order.
    def export_queryset(self):
        qs = self.filter_export(self._meta.model._default_manager.all())
        related = [
            f.name
            for f in self._meta.model._meta.concrete_fields
            if f.is_relation and any(c.attribute == f.name for c in self.fields.values())
        ]
        return qs.select_related(*related).order_by(
            self.key_column if self.key_column != "id" else "pk"
        )

    def get_queryset(self):
        return self._meta.model._default_manager.all()

    def existing(self, keys: list[str]) -> dict[str, models.Model]:
        """The records a batch of rows names, in one query."""
        field_name = self.key_attribute()
        lookup = {f"{field_name}__in": keys}
        related = [
            f.name
            for f in self._meta.model._meta.concrete_fields
            if f.is_relation and any(c.attribute == f.name for c in self.fields.values())
        ]
        return {
            str(getattr(obj, field_name)): obj
            for obj in self._meta.model._default_manager.filter(**lookup).select_related(*related)
        }

    def key_attribute(self) -> str:
        for column in self.fields.values():
            if column.column_name == self.key_column:
                return column.attribute
        return self.key_column

    def row_key(self, row: dict) -> str:
        return cell_text(row.get(self.key_column, ""))

    def after_bulk_write(self, created: list, updated: list) -> None:
        """Hook for records that need more than their own row (memberships, ids)."""

    def prepare_possible_matches(self, *, until: float | None = None) -> None:
        """Hook, called before the import's transaction opens, and by the command after
        it commits: work for ``possible_matches`` worth keeping whatever becomes of the
        import (the victims' stored linkage keys brought up to date). ``until``: a
        ``time.monotonic()`` deadline, past which the work stops (``KeysBehind``).
        Nothing by default."""

    def open_possible_matches(self) -> None:
        """Called within the admin's import before it writes its first new record: what
        ``possible_matches`` compares rows with, read as the archive is now. A resource's
        ``possible_matches`` reads it at its first call and keeps it for the import (once
        an import, not once a batch), so a call with no rows is enough."""
        self.possible_matches([])

    def possible_matches(
        self, rows: list[tuple[str, models.Model]], *, read: float = 1.0
    ) -> list[PossibleMatch]:
        """Hook: of the checked rows about to create records, ``(where, instance)``, those
        that are probably records already in the archive (the victims' resource asks
        ``victims.dedupe``). None by default. ``read``: how far through its file the
        import is with these rows (the command's batches; the admin's preview checks
        each chunk as a whole file)."""
        return []


REGISTRY: dict[str, type[ArchiveResource]] = {}


def register(name: str, resource_class: type[ArchiveResource]) -> None:
    """Called from each app's ``AppConfig.ready()``."""
    REGISTRY[name] = resource_class


def get_resource_class(name: str) -> type[ArchiveResource]:
    try:
        return REGISTRY[name]
    except KeyError:
        raise FileProblem(
            f"unknown kind of record '{name}'; choose one of: {', '.join(sorted(REGISTRY))}"
        ) from None


class IdKeyedResource(ArchiveResource):
    """For records without a ref (sources, positions): the ``id`` column is the key. A
    known id updates, a blank id creates a record, and an id this database does not hold
    creates the record under that id (so that an export imports into an empty database
    unchanged)."""

    key_column = "id"

    def existing(self, keys):
        ids = [int(k) for k in keys if k.isdigit()]
        if not ids:
            return {}
        return super().existing([str(i) for i in ids])


class IdWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = ascii_digits(cell_text(value))
        if not text:
            return None
        if not text.isdigit() or int(text) == 0:
            raise ValueError(
                _("'%(v)s' is not an id (a whole number); leave it blank for a new record")
                % {"v": text}
            )
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)
