"""The admin's toolkit for the records every app keeps: the publication workflow (list
actions and buttons on a record's page, only the moves the user may make), published
records read-only to those who may not publish them, dates at their precision in lists,
neutral refs, and imports and exports under the archive's permissions. It registers
nothing: each app's admin builds on it, and ``sources.admin`` adds the citations inline."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_field
from django.contrib.admin.widgets import AdminDateWidget
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.deletion import ProtectedError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from archive.core import provenance
from archive.core.dates import DAY, PartialDate
from archive.core.digits import ascii_digits
from archive.core.display import format_partial, localized_digits, localized_number
from archive.core.models import (
    BilingualNameMixin,
    PublicationStatus,
    Publishable,
    locked_for,
)

# --- Who may change what: a published record only those who may publish it ---------------


def locked_message(records) -> str:
    """Why a change is refused, and who can make it (HTML: each record's name isolated,
    since a Latin name inside a Persian sentence otherwise takes its quotes with it)."""
    names = format_html_join(
        ", ", "{} <bdi>“{}”</bdi>", ((capfirst(r._meta.verbose_name), r) for r in records)
    )
    text = _(
        "%(records)s is published: what it says is public at once, so only a reviewer (who "
        "may publish it) can change it. Ask a reviewer to make the change, or to withdraw "
        "the record so that it can be corrected and reviewed again."
    )
    return mark_safe(conditional_escape(text) % {"records": names})


def publishers_of(record) -> list[str]:
    """The active staff accounts that may publish (and so change) a published ``record``."""
    app_label, codename = record.publish_permission().split(".")
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True) | Q(groups__permissions__in=perm) | Q(user_permissions__in=perm)
        )
        .distinct()
        .order_by("username")
    )
    return [u.get_username() for u in users[:12]]


class GuardedForm(forms.ModelForm):
    """Refuses a change that would reach a published record the user may not publish: a
    citation of a published victim, a position or commission seat of a published
    perpetrator (``archive.core.models.locked_for``)."""

    guard_user = None

    def _post_clean(self):
        super()._post_clean()
        if self.guard_user is None or not self.has_changed():
            return
        locked = locked_for(self.guard_user, self.instance)
        if locked:
            self.add_error(None, locked_message(locked))


class ReadersDateField(forms.DateField):
    """A date as a Persian keyboard types it ("۱۹۸۸-۰۸-۱۵") read as the date it is:
    Django's date field parses ASCII digits only, and refused it as "not a valid date"."""

    def to_python(self, value):
        return super().to_python(ascii_digits(value) if isinstance(value, str) else value)


class ReadersDigitsMixin:
    """A box whose value is written in the reader's digits ("۱۹۶۱" on a Persian page, as
    every other number there): Django writes ASCII digits whatever the language. What
    comes back is read in either script's digits by the form field."""

    def format_value(self, value):
        shown = super().format_value(value)
        return None if shown is None else localized_digits(shown)


class ReadersNumberInput(ReadersDigitsMixin, forms.TextInput):
    pass


class ReadersDateInput(ReadersDigitsMixin, AdminDateWidget):
    """Django's calendar beside the box stays; static/js/admin-digits.js reads the box's
    Persian digits for it (it opens on the month of the date in the box)."""


# The admin's form fields for what a Persian keyboard types, on every admin and inline
# that edits records, and their values written in the reader's digits. Whole numbers (a
# year of birth, a count of children) in a text box: Chromium's number box drops "۱۹۶۱"
# as it is typed (the form field, Python's int(), reads either script's digits). Dates
# through ``ReadersDateField``; a date-and-time field keeps its own (its class comes first
# in the lookup), whose time Django's form field reads in ASCII digits only.
READERS_FORMFIELDS = {
    models.IntegerField: {
        "widget": ReadersNumberInput(attrs={"inputmode": "numeric", "size": 8}),
    },
    models.DateField: {"form_class": ReadersDateField, "widget": ReadersDateInput},
}


def guarded(form_class, user):
    return type(f"Guarded{form_class.__name__}", (GuardedForm, form_class), {"guard_user": user})


class GuardedInlineMixin:
    """Inlines under a record: none added, changed or deleted when the record they hang
    from is published and the user may not publish it; each form checked as well (a seat
    on a published commission, added from a draft perpetrator's page)."""

    formfield_overrides = READERS_FORMFIELDS

    def _locked(self, request, obj) -> bool:
        return obj is not None and bool(locked_for(request.user, obj))

    def has_add_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_delete_permission(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = guarded(kwargs.get("form", self.form), request.user)
        return super().get_formset(request, obj, **kwargs)


class GuardedAdminMixin:
    """For records that hang from publishable ones (citations, positions, seats,
    statements) edited on their own pages: read-only when what they hang from is
    published and the user may not publish it."""

    formfield_overrides = READERS_FORMFIELDS

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or not locked_for(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not locked_for(request.user, obj))

    def get_form(self, request, obj=None, **kwargs):
        return guarded(super().get_form(request, obj, **kwargs), request.user)


def _move(modeladmin, request, queryset, status, verb):
    done, refused = 0, []
    for obj in queryset:
        try:
            obj.move_to(status, user=request.user)
            done += 1
        except (PermissionDenied, ValidationError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            refused.append(f"{obj}: {message}")
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d record %(verb)s.", "%(count)d records %(verb)s.", done)
            % {"count": done, "verb": verb},
            messages.SUCCESS,
        )
    for line in refused:
        modeladmin.message_user(request, line, messages.ERROR)


@admin.action(description=_("Send selected records for review"))
def send_for_review(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, PublicationStatus.IN_REVIEW, _("sent for review"))


@admin.action(description=_("Publish selected records"))
def publish(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, PublicationStatus.PUBLISHED, _("published"))


@admin.action(description=_("Withdraw selected records from publication"))
def withdraw(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, PublicationStatus.WITHDRAWN, _("withdrawn"))


@admin.action(description=_("Return selected records to draft"))
def return_to_draft(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, PublicationStatus.DRAFT, _("returned to draft"))


# Buttons on a record's own page: (status, label), shown when the model's workflow lets
# the user make that move (``Publishable.can_move_to``).
WORKFLOW_BUTTONS = [
    (PublicationStatus.IN_REVIEW, _("Save and send for review")),
    (PublicationStatus.PUBLISHED, _("Save and publish")),
    (PublicationStatus.WITHDRAWN, _("Withdraw from publication")),
    (PublicationStatus.DRAFT, _("Save and return to draft")),
]
# The checklist's button: publish the record with the unpublished sources it cites.
WITH_SOURCES = "published_with_sources"
WORKFLOW_DONE = {
    PublicationStatus.IN_REVIEW: _("“%(record)s” was saved and sent for review."),
    PublicationStatus.PUBLISHED: _("“%(record)s” was saved and published."),
    PublicationStatus.WITHDRAWN: _("“%(record)s” was withdrawn from publication."),
    PublicationStatus.DRAFT: _("“%(record)s” was saved and returned to draft."),
}


def partial_date_column(model, field: str):
    """A list column showing a date at its precision ("August 1988", not "Aug. 1, 1988"),
    sorted by the date; in Persian, in both calendars (as public pages show it)."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def column(obj):
        value = PartialDate.from_parts(
            getattr(obj, field), getattr(obj, f"{field}_precision", "") or DAY
        )
        return format_partial(value) if value else None

    column.__name__ = f"{field}_at_precision"
    return column


def date_in_readers_digits(obj, field: str) -> str | None:
    """A plain date or time of ``obj`` as Django's admin writes it, in the reader's digits:
    the Persian admin read "25 نوامبر 2026، 0:00" (None when there is none)."""
    value = getattr(obj, field)
    if value is None:
        return None
    return localized_digits(display_for_field(value, obj._meta.get_field(field), ""))


def date_column(model, field: str):
    """A list column showing a plain date or time (a record's last change)."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def column(obj):
        return date_in_readers_digits(obj, field)

    column.__name__ = f"{field}_in_readers_digits"
    return column


def readonly_date(field: str):
    """A record's date shown read-only on its page (a ``ModelAdmin`` method), as a list
    column shows it (``date_in_readers_digits``)."""

    @admin.display(description=Publishable._meta.get_field(field).verbose_name)
    def shown(model_admin, obj):
        return date_in_readers_digits(obj, field)

    shown.__name__ = f"{field}_shown"
    return shown


class PartialDatesInListsMixin:
    """Every partial date in ``list_display`` shown at its precision, and every other date
    or time in the reader's digits."""

    def get_list_display(self, request):
        fields = {f.name: f for f in self.model._meta.concrete_fields}
        shown = []
        for item in super().get_list_display(request):
            field = fields.get(item) if isinstance(item, str) else None
            if field is not None and f"{item}_precision" in fields:
                item = partial_date_column(self.model, item)
            elif isinstance(field, models.DateField):  # a DateTimeField is one too
                item = date_column(self.model, item)
            shown.append(item)
        return shown


class BilingualRelatedFilter(admin.RelatedFieldListFilter):
    """A link's choices named in the reader's language (``display_name``): the Persian
    admin listed events and prisons by their English names, which a right-to-left page
    reorders ("1988 massacre of political prisoners" read as "massacre of political 1988
    / prisoners")."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        named = field.related_model._default_manager.in_bulk([pk for pk, _ in choices])
        return [(pk, named[pk].display_name() if pk in named else label) for pk, label in choices]


def _link(model, name):
    """The field ``name`` of ``model`` when it links to one other record, else None."""
    if not isinstance(name, str):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.many_to_one else None


def _bilingual_link(model, name) -> bool:
    """Whether ``name`` is a link of ``model`` to a record named in both scripts."""
    field = _link(model, name)
    return field is not None and issubclass(field.related_model, BilingualNameMixin)


def bilingual_link_column(model, field: str):
    """A list column naming the linked record in the reader's language."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def column(obj):
        linked = getattr(obj, field)
        return linked.display_name() if linked is not None else None

    column.__name__ = f"{field}_in_readers_language"
    return column


class BilingualLinksInListsMixin:
    """Links to places, events, organisations and commissions named in the reader's
    language in the list's columns and filters (their ``__str__`` is the English name,
    which logs and reports keep)."""

    def get_list_display(self, request):
        return [
            bilingual_link_column(self.model, item) if _bilingual_link(self.model, item) else item
            for item in super().get_list_display(request)
        ]

    def get_list_filter(self, request):
        return [
            (item, BilingualRelatedFilter) if _bilingual_link(self.model, item) else item
            for item in super().get_list_filter(request)
        ]

    def get_list_select_related(self, request):
        """The links the list names, read with its rows. Django joins a link itself when
        ``list_display`` names it as a field, not once a column function shows it (one
        query a row)."""
        selected = super().get_list_select_related(request)
        if selected is not False:
            return selected  # every link (True), or the admin's own choice
        shown = super().get_list_display(request)
        links = [item for item in shown if _link(self.model, item) is not None]
        return links or False


class PublishableAdmin(BilingualLinksInListsMixin, PartialDatesInListsMixin, SimpleHistoryAdmin):
    """The publication workflow in the admin:

    - status changes only through the workflow (list actions, and buttons on the record's
      page offering only what the user may do), never by editing or reverting;
    - a published record is read-only to those who may not publish it, with a note saying
      why and who can change it (``Publishable.may_change``);
    - no deletion of a published record (withdraw it instead)."""

    actions = [send_for_review, publish, withdraw, return_to_draft]
    # The workflow's dates are shown read-only through the methods below, in the reader's
    # digits: Django's admin writes a model's date field itself, in Latin digits. None of
    # the three is editable, so no form field takes their place.
    SHOWN = {"published_at": "published_at_shown", "created_at": "created_at_shown",
             "updated_at": "updated_at_shown"}  # fmt: skip
    workflow_readonly = ("publication_status", *SHOWN.values())
    change_form_template = "admin/publishable_change_form.html"
    formfield_overrides = READERS_FORMFIELDS

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.workflow_readonly)

    def get_fieldsets(self, request, obj=None):
        """The admin's own fieldsets, naming the workflow's dates, show them as above."""

        def shown(name):
            if isinstance(name, str):
                return self.SHOWN.get(name, name)
            return tuple(shown(part) for part in name)  # fields on one line

        return [
            (title, {**options, "fields": [shown(name) for name in options["fields"]]})
            for title, options in super().get_fieldsets(request, obj)
        ]

    published_at_shown = readonly_date("published_at")
    created_at_shown = readonly_date("created_at")
    updated_at_shown = readonly_date("updated_at")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(self.model.publish_permission()):
            actions.pop("publish", None)
            actions.pop("withdraw", None)
        return actions

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.may_change(request.user))

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            # A revert from the history (or a crafted form) brings the status it had then:
            # the status changes only through the workflow.
            current = (
                type(obj)
                ._default_manager.filter(pk=obj.pk)
                .values("publication_status", "published_at")
            )
            for field, value in (current[0] if current else {}).items():
                setattr(obj, field, value)
            if not obj.may_change(request.user):
                raise PermissionDenied
        super().save_model(request, obj, form, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a revert for anyone who may view the record.
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # The record's own page: workflow buttons, and the note on a locked record.

    def workflow_buttons(self, request, obj) -> list[tuple[str, str]]:
        record = obj if obj is not None else self.model()
        return [
            (status, label)
            for status, label in WORKFLOW_BUTTONS
            if record.can_move_to(request.user, status)
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        editable = (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        context["workflow_buttons"] = self.workflow_buttons(request, obj) if editable else []
        if obj is not None and provenance.facts_of(type(obj)):
            context["publication_checklist"] = self.publication_checklist(request, obj, editable)
        if obj is not None and locked_for(request.user, obj):
            context["publication_lock"] = {
                "message": locked_message([obj]),
                "reviewers": publishers_of(obj),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def publication_checklist(self, request, obj, editable: bool) -> dict:
        """What the reviewer sees before publishing: each fact the public page shows,
        with its published sources or what is missing; and, when only unpublished sources
        stand in the way and the user may publish them, the offer to publish them with
        the record in one step."""
        rows = provenance.checklist(obj)
        gaps = [row.gap for row in rows if row.gap]
        sources = provenance.draft_sources(gaps)
        offer = (
            editable
            and not obj.is_published
            and bool(sources)
            and all(gap.reason == provenance.Gap.DRAFT_SOURCE for gap in gaps)
            and obj.can_move_to(request.user, PublicationStatus.PUBLISHED)
            and all(s.can_move_to(request.user, PublicationStatus.PUBLISHED) for s in sources)
        )
        return {"rows": rows, "gaps": gaps, "draft_sources": sources, "offer_sources": offer}

    def response_add(self, request, obj, post_url_continue=None):
        if "_workflow" in request.POST:
            return self._workflow_response(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_workflow" in request.POST:
            return self._workflow_response(request, obj)
        return super().response_change(request, obj)

    def _workflow_response(self, request, obj):
        status = request.POST["_workflow"]
        try:
            if status == WITH_SOURCES:
                provenance.publish_with_sources(obj, user=request.user)
                status = PublicationStatus.PUBLISHED
            elif status not in PublicationStatus.values:
                raise ValidationError(_("Unknown publication status: %(s)s") % {"s": status})
            else:
                obj.move_to(status, user=request.user)
        except (PermissionDenied, ValidationError) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(
                request,
                _("“%(record)s” was saved, but its status was not changed: %(why)s")
                % {"record": obj, "why": text},
                messages.ERROR,
            )
        else:
            self.message_user(request, WORKFLOW_DONE[status] % {"record": obj}, messages.SUCCESS)
        opts = obj._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )

    def delete_queryset(self, request, queryset):
        published = queryset.filter(publication_status=PublicationStatus.PUBLISHED)
        if published.exists():
            self.message_user(
                request,
                _("Published records cannot be deleted; withdraw them instead: %(names)s")
                % {"names": ", ".join(str(o) for o in published[:20])},
                messages.ERROR,
            )
        try:
            super().delete_queryset(
                request, queryset.exclude(publication_status=PublicationStatus.PUBLISHED)
            )
        except ProtectedError as exc:
            self.message_user(request, str(exc.args[0]), messages.ERROR)


class RefFilledAdmin:
    """A person's ``ref`` may be left blank: a new neutral one is given on saving
    (``Person.new_ref``, as for records made from a family's submission)."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "ref" in form.base_fields:
            field = form.base_fields["ref"]
            field.required = False
            field.help_text = _(
                "Stable external identifier used in URLs, citations and imports. Leave it "
                "blank for a new record: one is made up that says nothing about the person "
                "or where the record came from."
            )
            model = self.model
            clean = getattr(form, "clean_ref", None)

            def clean_ref(self):
                value = clean(self) if clean else self.cleaned_data.get("ref")
                return value or (self.instance.ref or model.new_ref())

            form.clean_ref = clean_ref
        return form


class ArchiveImportExportMixin:
    """django-import-export under the archive's permissions (docs/security.md, "Staff
    accounts and roles"):

    - importing needs the model's add and change permissions (the library's own
      ``IMPORT_EXPORT_IMPORT_PERMISSION_CODE`` checks one code), and a row that would
      change a published record needs the permission to publish it (checked per row by
      the resource, the same as for the command);
    - exporting needs the view permission; unpublished records and staff notes only for
      those allowed them (``ArchiveResource.filter_export`` and ``export_field``);
    - the import screen numbers rows as the command does (the header is row 1) and writes
      each error out in words."""

    import_template_name = "admin/archive_import.html"

    def has_import_permission(self, request):
        opts = self.opts
        return request.user.has_perms(
            [
                f"{opts.app_label}.add_{opts.model_name}",
                f"{opts.app_label}.change_{opts.model_name}",
            ]
        )

    def has_export_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def _source_fields(self) -> dict:
        """The import's source chooser (archive.core.importing.citing): every filled
        cell is cited to it, "row N" as locator. Only for records that have citations."""
        from archive.core.importing.citing import citation_model

        citations = citation_model(self.model)
        if citations is None:
            return {}
        sources = citations._meta.get_field("source").related_model
        return {
            "source": forms.ModelChoiceField(
                queryset=sources._default_manager.order_by("title"),
                required=False,
                label=_("Source of this file"),
                help_text=_(
                    "Each filled cell is cited to this source, with the row as locator. "
                    "Needed for rows that publish a record; a source still in draft "
                    "cites, but publishes nothing."
                ),
            ),
            "prefer_source": forms.BooleanField(
                required=False,
                label=_("Prefer this source's values"),
                help_text=_(
                    "Where a record exists and the file gives another value, replace the "
                    "record's (kept as the old sources' version). Unticked: the record "
                    "keeps its value and the file's is kept as this source's version."
                ),
            ),
        }

    def get_import_form_class(self, request):
        base = super().get_import_form_class(request)
        fields = self._source_fields()
        return type("ImportFormWithSource", (base,), fields) if fields else base

    def get_confirm_form_class(self, request):
        base = super().get_confirm_form_class(request)
        fields = self._source_fields()
        if not fields:
            return base
        fields["source"].widget = forms.HiddenInput()
        fields["prefer_source"].widget = forms.HiddenInput()
        return type("ConfirmImportFormWithSource", (base,), fields)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None and "source" in import_form.cleaned_data:
            source = import_form.cleaned_data.get("source")
            initial["source"] = source.pk if source else ""
            initial["prefer_source"] = import_form.cleaned_data.get("prefer_source") or ""
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        extra = {"user": request.user}
        form = kwargs.get("form")
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("source") is not None:
            extra["source"] = data["source"]
            extra["prefer_source"] = bool(data.get("prefer_source"))
        return {**super().get_import_resource_kwargs(request, **kwargs), **extra}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def process_result(self, result, request):
        """After a confirmed import, the planner's statistics of the model's table, as the
        command refreshes them: a search right after an import into a young archive was
        planned for an empty table until autovacuum came."""
        from archive.core.importing import refresh_planner_statistics

        response = super().process_result(result, request)
        if not result.has_errors() and not result.has_validation_errors():
            refresh_planner_statistics(self.model)
        return response

    def add_success_message(self, result, request):
        """The library's message after an import, with the counts in the reader's digits:
        "درون‌ریزی تمام شد: ۱ تازه، ۰ به‌روزشده …", where the library wrote "1". Its message
        id, translated in our catalogue (the library's Persian is marked fuzzy, so never
        used)."""
        from import_export.results import RowResult

        kinds = (
            RowResult.IMPORT_TYPE_NEW,
            RowResult.IMPORT_TYPE_UPDATE,
            RowResult.IMPORT_TYPE_DELETE,
            RowResult.IMPORT_TYPE_SKIP,
        )
        message = gettext("Import finished: {} new, {} updated, {} deleted and {} skipped {}.")
        counts = (localized_number(result.totals[kind]) for kind in kinds)
        messages.success(request, message.format(*counts, self.model._meta.verbose_name_plural))

    def add_data_read_fail_error_to_form(self, form, e):
        """A file that is not UTF-8 is explained as the command explains it (what it looks
        like, how to save it as UTF-8), not as the library's "'UnicodeDecodeError'
        encountered while trying to read file"."""
        from archive.core.importing.readers import not_utf8

        upload = form.cleaned_data.get("import_file") if hasattr(form, "cleaned_data") else None
        if isinstance(e, UnicodeError) and upload is not None:
            upload.seek(0)
            problem = not_utf8(upload.name, upload.read(1 << 20))
            if problem:
                form.add_error("import_file", problem)
                return
        super().add_data_read_fail_error_to_form(form, e)


class ArchiveImportExportAdmin(ArchiveImportExportMixin, ImportExportModelAdmin):
    pass


class PublishableImportExportAdmin(
    ArchiveImportExportMixin, ImportExportModelAdmin, PublishableAdmin
):
    pass
