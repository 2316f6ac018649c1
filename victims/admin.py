from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from archive.admin import PublishableImportExportAdmin
from archive.search import admin_search_results
from victims.models import Submission, SubmissionAttachment, Victim
from victims.resources import VictimResource
from victims.services import create_victim_draft_from_submission
from victims.submission_views import attachment_download


@admin.register(Victim)
class VictimAdmin(PublishableImportExportAdmin):
    resource_classes = [VictimResource]
    list_display = [
        "ref", "name_latin", "name_fa", "father_name", "fate", "death_date", "prison",
        "publication_status",
    ]  # fmt: skip
    list_filter = ["publication_status", "fate", "event", "gender", "prison"]
    search_fields = ["ref", "name_latin", "name_fa", "aliases", "father_name"]
    list_select_related = ["prison"]
    autocomplete_fields = [
        "affiliation", "prison", "death_place", "burial_place", "event", "commission",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["ref", "name_latin", "name_fa", "aliases", "father_name", "gender",
                           "birth_year", "affiliation"]}),
        (_("Arrest and fate"), {"fields": [
            ("arrest_date", "arrest_date_precision"), "prison", "fate",
            ("death_date", "death_date_precision"), "death_place", "burial_place",
            "event", "commission"]}),
        (None, {"fields": ["biography", "photo"]}),
        (_("Publication"), {"fields": ["publication_status", "published_at", "created_at",
                                    "updated_at"]}),
    ]  # fmt: skip
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over every victim on each admin page

    def get_search_results(self, request, queryset, search_term):
        return admin_search_results(queryset, search_term, super().get_search_results, request)


# --- The moderation queue of families' submissions ----------------------------------------


class SubmissionAttachmentInline(admin.TabularInline):
    model = SubmissionAttachment
    extra = 0
    can_delete = True
    fields = ["preview", "content_type", "width", "height", "size", "sha256"]
    readonly_fields = fields
    verbose_name_plural = _("attachments (re-encoded, without metadata)")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("picture"))
    def preview(self, obj):
        return attachment_preview(obj)


def attachment_preview(attachment) -> str:
    url = reverse("admin:victims_submissionattachment_download", args=[attachment.pk])
    return format_html(
        '<a href="{}" title="{}"><img src="{}?thumbnail=1" alt="{}" class="submission-thumb" '
        'width="120"></a>',
        url, _("Download"), url, _("attachment %(id)s") % {"id": attachment.pk},
    )  # fmt: skip


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    """The moderation queue: researchers read what families sent, set its status, and turn
    it into a draft victim record with the testimony as a private source."""

    list_display = [
        "__str__", "received_at", "status", "victim", "language", "attachment_count",
        "has_contact", "created_victim",
    ]  # fmt: skip
    list_filter = ["status", "language", ("victim", admin.EmptyFieldListFilter), "fate",
                   "photo_consent"]  # fmt: skip
    search_fields = ["name_latin", "name_fa", "father_name", "account", "prison", "victim__ref"]
    date_hierarchy = "received_at"
    list_select_related = ["victim", "created_victim"]
    list_per_page = 50
    actions = ["create_draft_victim", "mark_in_review", "mark_declined"]
    autocomplete_fields = ["victim"]
    SUBMITTED = [
        "name_latin", "name_fa", "father_name", "gender", "birth_year", "birth_year_as_given",
        "arrest", "prison", "fate", "death", "burial", "account", "relation",
        "contact_details", "photo_consent", "consent", "language", "received_at",
        "attachment_gallery", "created_victim", "created_source", "reviewed_by",
    ]  # fmt: skip
    readonly_fields = SUBMITTED
    fieldsets = [
        (_("Moderation"), {"fields": ["status", "victim", "staff_notes", "reviewed_by",
                                      "created_victim", "created_source"]}),
        (_("The person, as the family gave it"), {"fields": [
            "name_latin", "name_fa", "father_name", "gender", ("birth_year",
            "birth_year_as_given")]}),
        (_("What happened, as given"), {"fields": ["arrest", "prison", "fate", "death",
                                                   "burial"]}),
        (_("The family's account"), {"fields": ["account", "relation", "attachment_gallery",
                                                "photo_consent"]}),
        (_("The submitter"), {"fields": ["contact_details", "consent", "language",
                                         "received_at"]}),
    ]  # fmt: skip
    inlines = [SubmissionAttachmentInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_attachments=Count("attachments"))

    def has_add_permission(self, request):
        return False  # submissions come from families, through the form

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "attachment/<int:pk>/",
                self.admin_site.admin_view(attachment_download),
                name="victims_submissionattachment_download",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            obj.reviewed_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("attachments"), ordering="_attachments")
    def attachment_count(self, obj):
        return obj._attachments

    @admin.display(description=_("contact given"), boolean=True)
    def has_contact(self, obj):
        return bool(obj.contact)

    @admin.display(description=_("contact details"))
    def contact_details(self, obj):
        return obj.contact or _("none given")

    @admin.display(description=_("contact details"))
    def contact_withheld(self, obj):
        if not obj.contact:
            return _("none given")
        return _("given, hidden: you are not allowed to see submitters' contact details")

    def _may_see_contact(self, request) -> bool:
        return request.user.has_perm("victims.view_submission_contact")

    def get_readonly_fields(self, request, obj=None):
        if self._may_see_contact(request):
            return self.readonly_fields
        return [f if f != "contact_details" else "contact_withheld" for f in self.readonly_fields]

    def get_fieldsets(self, request, obj=None):
        if self._may_see_contact(request):
            return self.fieldsets
        return [
            (title, {**opts, "fields": [
                f if f != "contact_details" else "contact_withheld" for f in opts["fields"]]})
            for title, opts in self.fieldsets
        ]  # fmt: skip

    @admin.display(description=_("attachments"))
    def attachment_gallery(self, obj):
        items = list(obj.attachments.all())
        if not items:
            return _("none")
        return format_html_join(" ", "{}", ((attachment_preview(a),) for a in items))

    @admin.action(
        description=_("Create a draft victim record"),
        permissions=["change"],
    )
    def create_draft_victim(self, request, queryset):
        made, refused = 0, []
        for submission in queryset:
            try:
                create_victim_draft_from_submission(submission=submission, user=request.user)
                made += 1
            except (PermissionDenied, ValidationError) as exc:
                text = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                refused.append(f"#{submission.pk}: {text}")
        if made:
            self.message_user(
                request,
                ngettext(
                    "%(count)d submission turned into records (draft victim, private "
                    "testimony, citations).",
                    "%(count)d submissions turned into records (draft victims, private "
                    "testimonies, citations).",
                    made,
                )
                % {"count": made},
                messages.SUCCESS,
            )
        for text in refused:
            self.message_user(request, text, messages.ERROR)

    def _set_status(self, request, queryset, status):
        count = 0
        for submission in queryset:
            submission.status = status
            submission.reviewed_by = request.user
            submission._history_user = request.user
            submission.save(update_fields=["status", "reviewed_by", "updated_at"])
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d submission updated.", "%(count)d submissions updated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark as in review"), permissions=["change"])
    def mark_in_review(self, request, queryset):
        self._set_status(request, queryset, Submission.Status.IN_REVIEW)

    @admin.action(description=_("Mark as declined"), permissions=["change"])
    def mark_declined(self, request, queryset):
        self._set_status(request, queryset, Submission.Status.DECLINED)
