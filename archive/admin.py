"""The researchers' admin: shared pieces (workflow actions, citations inline, history)
and the core models' admin."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.admin import OTPAdminSite
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from archive.models import Event, Organisation, Place, PublicationStatus
from archive.staff_signin import StaffSignInForm

# Staff sign in with a password and a one-time code (TOTP app or a backup code), all three
# on one page (archive/staff_signin.py).
admin.site.__class__ = OTPAdminSite
admin.site.login_form = StaffSignInForm
admin.site.login_template = "admin/staff_login.html"
admin.site.site_header = _("1988 Massacre Archive — researchers")
admin.site.site_title = _("Archive admin")
admin.site.index_title = _("Records, sources and submissions")


MARKED_TEXT_FIELDS = ("biography", "description_en", "description_fa")


class CitationFormSet(BaseGenericInlineFormSet):
    """Refuses a ``[src:ID]`` marker in the record's text that points at no citation of
    the record: the public page would have nothing to number."""

    def clean(self):
        super().clean()
        from sources.footnotes import markers

        cited = {
            form.cleaned_data["source"].pk
            for form in self.forms
            if form.cleaned_data.get("source") and not form.cleaned_data.get("DELETE")
        }
        named = []
        for field in MARKED_TEXT_FIELDS:
            named += markers(getattr(self.instance, field, "") or "")
        missing = sorted(set(named) - cited)
        if missing:
            raise ValidationError(
                _(
                    "The text has footnote markers for sources this record does not cite: "
                    "%(markers)s. Add a citation of each source below, or remove the marker."
                )
                % {"markers": ", ".join(f"[src:{n}]" for n in missing)}
            )


class CitationInline(GenericTabularInline):
    """Citations under every record: which source supports which claim."""

    model = apps.get_model("sources", "Citation")
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "claim", "locator", "quote", "confidence"]
    verbose_name = _("citation")
    verbose_name_plural = _("citations: which source supports which claim")


def _move(modeladmin, request, queryset, status, verb):
    done, refused = 0, []
    for obj in queryset:
        try:
            obj.move_to(status, user=request.user)
            done += 1
        except (PermissionDenied, ValidationError) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
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


class PublishableAdmin(SimpleHistoryAdmin):
    """Workflow actions, a read-only status (it changes only through the actions, so a
    researcher cannot publish by editing), and no deletion of a published record."""

    actions = [send_for_review, publish, withdraw, return_to_draft]
    workflow_readonly = ("publication_status", "published_at", "created_at", "updated_at")
    inlines = [CitationInline]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.workflow_readonly)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(self.model.publish_permission()):
            actions.pop("publish", None)
            actions.pop("withdraw", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

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


class PublishableImportExportAdmin(ImportExportModelAdmin, PublishableAdmin):
    pass


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "name_fa", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_fa"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "name_fa", "abbreviation", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_fa", "abbreviation"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    list_display = ["name_en", "name_fa", "slug", "start_date", "publication_status"]
    list_filter = ["publication_status"]
    search_fields = ["name_en", "name_fa", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
