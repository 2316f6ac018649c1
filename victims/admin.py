from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from archive.core.admin import (
    ArchiveImportExportMixin,
    GuardedAdminMixin,
    GuardedInlineMixin,
    PublishableImportExportAdmin,
    RefFilledAdmin,
    publishers_of,
)
from archive.core.match_reasons import reasons_text, score_text
from archive.core.search import admin_search_results
from sources.admin import CitationInline
from sources.models import Citation
from victims.hearing_admin import add_hearing_view, hearings_of, official_suggestions_view
from victims.models import (
    DuplicatePair,
    FamilyRelation,
    MergeRecord,
    Submission,
    SubmissionAttachment,
    Victim,
)
from victims.resources import RelationResource, VictimResource
from victims.services import (
    MergeError,
    create_victim_draft_from_submission,
    merge_conflicts,
    merge_refusal,
    merge_victims,
    unmerge_victims,
)
from victims.submission_views import attachment_download


class RelationInline(GuardedInlineMixin, admin.TabularInline):
    """The relations entered from this person's side ("this person is the parent of …");
    their citations are entered on the relation's own page (the change link)."""

    model = FamilyRelation
    fk_name = "from_victim"
    extra = 0
    fields = ["kind", "to_victim"]
    autocomplete_fields = ["to_victim"]
    show_change_link = True
    verbose_name = _("family relation: this person is the … of")
    verbose_name_plural = _("family relations: this person is the … of")
    classes = ["relations"]


class RelationToInline(RelationInline):
    """The relations entered from the other person's side ("… is the parent of this
    person"): stored once, listed on both records."""

    fk_name = "to_victim"
    fields = ["from_victim", "kind"]
    autocomplete_fields = ["from_victim"]
    verbose_name = _("family relation: … is the … of this person")
    verbose_name_plural = _("family relations: … is the … of this person")


@admin.register(Victim)
class VictimAdmin(RefFilledAdmin, PublishableImportExportAdmin):
    resource_classes = [VictimResource]
    inlines = [CitationInline, RelationInline, RelationToInline]
    # Both scripts in one column, so that the date of death and the status still fit beside
    # the navigation and the filters in a 1280-pixel window.
    list_display = [
        "ref", "names", "father_name", "fate", "death_date", "prison", "publication_status",
    ]  # fmt: skip
    list_filter = ["publication_status", "fate", "event", "gender", "prison"]
    search_fields = ["ref", "name_latin", "name_fa", "aliases", "father_name"]
    list_select_related = ["prison"]
    autocomplete_fields = [
        "affiliation", "prison", "death_place", "burial_place", "event", "commission",
        "birth_place",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["ref", "name_latin", "name_fa", "aliases", "father_name", "gender",
                           "birth_year", "affiliation"]}),
        (_("Arrest and fate"), {"fields": [
            ("arrest_date", "arrest_date_precision"), "prison", "fate",
            ("death_date", "death_date_precision"), "death_place", "burial_place",
            "event", "commission"]}),
        (_("The person"), {"fields": [
            "birth_place", "occupation", ("education_en", "education_fa"), "religion",
            "ethnicity", "civil_status", "children"]}),
        (_("What happened to the family"), {"fields": [
            ("family_told_date", "family_told_date_precision"),
            ("family_told_how_en", "family_told_how_fa"), "body_returned",
            "belongings_returned", "burial_known", ("grave_en", "grave_fa")]}),
        (None, {"fields": ["biography", "photo"]}),
        (_("Hearings"), {"fields": ["hearings_list"]}),
        (_("Publication"), {"fields": ["publication_status", "published_at", "created_at",
                                    "updated_at"]}),
        (_("Duplicates"), {"fields": ["merged_into_link", "possible_duplicates_list"]}),
    ]  # fmt: skip
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over every victim on each admin page
    actions = [*PublishableImportExportAdmin.actions, "merge_selected"]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "merged_into_link",
                "possible_duplicates_list", "hearings_list")  # fmt: skip

    @admin.display(description=_("hearings"))
    def hearings_list(self, obj):
        return hearings_of(obj)

    def get_search_results(self, request, queryset, search_term):
        return admin_search_results(queryset, search_term, super().get_search_results, request)

    @admin.display(description=_("name"), ordering="name_latin")
    def names(self, obj):
        if obj.name_latin and obj.name_fa:
            return format_html(
                '{}<br><bdi dir="rtl" lang="fa">{}</bdi>', obj.name_latin, obj.name_fa
            )
        if obj.name_fa:
            return format_html('<bdi dir="rtl" lang="fa">{}</bdi>', obj.name_fa)
        return obj.name_latin

    @admin.display(description=_("merged into"))
    def merged_into_link(self, obj):
        if not obj or not obj.merged_into_id:
            return "—"
        target = obj.merged_into
        url = reverse("admin:victims_victim_change", args=[target.pk])
        return format_html('<a href="{}">{} ({})</a>', url, target, target.ref)

    @admin.display(description=_("possible duplicates"))
    def possible_duplicates_list(self, obj):
        if not obj or not obj.pk:
            return "—"
        pairs = obj.possible_duplicates().select_related("victim_a", "victim_b")[:20]
        if not pairs:
            return _("None proposed.")
        rows = []
        for pair in pairs:
            twin = pair.victim_b if pair.victim_a_id == obj.pk else pair.victim_a
            rows.append((
                reverse("admin:victims_victim_change", args=[twin.pk]), twin, twin.ref,
                score_text(pair.score), reasons_text(pair.reasons),
                reverse("admin:victims_victim_merge") + f"?keep={obj.pk}&other={twin.pk}",
                _("merge into this record"),
            ))  # fmt: skip
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", '<li><a href="{}">{} ({})</a> — {} — {} — <a href="{}">{}</a></li>', rows
            ),
        )

    @admin.action(description=_("Merge the second selected record into the first…"))
    def merge_selected(self, request, queryset):
        chosen = list(queryset.order_by("pk")[:3])
        if len(chosen) != 2:
            self.message_user(
                request, _("Select exactly two records to merge."), level=messages.ERROR
            )
            return None
        url = reverse("admin:victims_victim_merge")
        return HttpResponseRedirect(f"{url}?keep={chosen[0].pk}&other={chosen[1].pk}")

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "merge/", self.admin_site.admin_view(self.merge_view), name="victims_victim_merge"
            ),
            path(
                "<int:pk>/hearing/add/",
                self.admin_site.admin_view(lambda request, pk: add_hearing_view(self, request, pk)),
                name="victims_victim_add_hearing",
            ),
            path(
                "hearing/officials/",
                self.admin_site.admin_view(
                    lambda request: official_suggestions_view(self, request)
                ),
                name="victims_victim_official_suggestions",
            ),
            *super().get_urls(),
        ]

    def merge_view(self, request):
        """Confirm a merge: both records side by side, a choice for each conflicting fact."""
        data = request.POST if request.method == "POST" else request.GET
        try:
            keep = Victim.objects.get(pk=int(data.get("keep", "")))
            other = Victim.objects.get(pk=int(data.get("other", "")))
        except (ValueError, Victim.DoesNotExist):
            self.message_user(request, _("Choose two existing records."), level=messages.ERROR)
            return HttpResponseRedirect(reverse("admin:victims_victim_changelist"))
        if not request.user.has_perm(Victim.change_permission()):
            raise PermissionDenied
        conflicts = merge_conflicts(keep, other)
        # Who may merge is the service's rule: shown before anyone fills in the choices.
        refusal = merge_refusal(request.user, keep, other)
        if request.method == "POST" and refusal:
            self.message_user(request, refusal, level=messages.ERROR)
        elif request.method == "POST":
            choices = {c["field"]: request.POST.get(f"choice_{c['field']}", "keep")
                       for c in conflicts}  # fmt: skip
            try:
                merge_victims(keep=keep, other=other, user=request.user, choices=choices)
            except (MergeError, PermissionDenied, ValidationError) as exc:
                message = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, message, level=messages.ERROR)
            else:
                other.refresh_from_db()
                done = (
                    _("%(other)s was merged into %(keep)s; its address now leads here.")
                    if other.was_public()
                    else _("%(other)s was merged into %(keep)s.")
                )
                self.message_user(
                    request, done % {"other": other.ref, "keep": keep.ref}, messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:victims_victim_change", args=[keep.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Merge two records of one person"),
            "keep": keep,
            "other": other,
            "conflicts": conflicts,
            "keep_citations": Citation.objects.for_object(keep).count(),
            "other_citations": Citation.objects.for_object(other).count(),
            "swap_url": reverse("admin:victims_victim_merge") + f"?keep={other.pk}&other={keep.pk}",
            "refusal": refusal,
            "reviewers": publishers_of(keep) if refusal else [],
        }
        return TemplateResponse(request, "admin/victims/victim/merge.html", context)


@admin.register(FamilyRelation)
class FamilyRelationAdmin(
    ArchiveImportExportMixin, ImportExportModelAdmin, GuardedAdminMixin, SimpleHistoryAdmin
):
    """A relation on its own page, with its citations: read-only to those who may not
    publish the published people it joins."""

    resource_classes = [RelationResource]
    inlines = [CitationInline]
    list_display = ["from_victim", "kind", "to_victim"]
    list_filter = ["kind"]
    search_fields = ["from_victim__ref", "from_victim__name_latin", "from_victim__name_fa",
                     "to_victim__ref", "to_victim__name_latin", "to_victim__name_fa"]  # fmt: skip
    autocomplete_fields = ["from_victim", "to_victim"]
    list_select_related = ["from_victim", "to_victim"]


@admin.register(DuplicatePair)
class DuplicatePairAdmin(SimpleHistoryAdmin):
    """The review queue of possible duplicates, best first."""

    list_display = ["record_a", "record_b", "score", "reasons_shown", "status", "decided_by",
                    "merge_link"]  # fmt: skip
    list_filter = ["status"]
    list_select_related = ["victim_a", "victim_b", "decided_by"]
    search_fields = ["victim_a__ref", "victim_b__ref", "victim_a__name_latin",
                     "victim_b__name_latin", "victim_a__name_fa", "victim_b__name_fa"]  # fmt: skip
    readonly_fields = ["victim_a", "victim_b", "score", "reasons_shown", "decided_by", "decided_at",
                       "created_at"]  # fmt: skip
    actions = ["mark_same", "mark_different"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False  # pairs come from find_duplicates

    def _link(self, victim):
        url = reverse("admin:victims_victim_change", args=[victim.pk])
        extra = ", ".join(
            str(x) for x in (victim.father_name, victim.birth_year) if x not in ("", None)
        )
        return format_html('<a href="{}">{}</a> ({}) {}', url, victim, victim.ref, extra)

    @admin.display(description=_("record A"))
    def record_a(self, obj):
        return self._link(obj.victim_a)

    @admin.display(description=_("reasons"))
    def reasons_shown(self, obj):
        return reasons_text(obj.reasons)

    @admin.display(description=_("record B"))
    def record_b(self, obj):
        return self._link(obj.victim_b)

    @admin.display(description=_("merge"))
    def merge_link(self, obj):
        if obj.status == DuplicatePair.Status.DIFFERENT:
            return "—"
        url = reverse("admin:victims_victim_merge")
        return format_html(
            '<a href="{}?keep={}&amp;other={}">{}</a>', url, obj.victim_a_id, obj.victim_b_id,
            _("merge B into A…"),
        )  # fmt: skip

    def _decide(self, request, queryset, status):
        for pair in queryset:
            pair.decide(status, user=request.user)
        self.message_user(
            request,
            ngettext("%(n)d pair marked.", "%(n)d pairs marked.", queryset.count())
            % {"n": queryset.count()},
            level=messages.SUCCESS,
        )

    @admin.action(description=_("Same person"))
    def mark_same(self, request, queryset):
        self._decide(request, queryset, DuplicatePair.Status.SAME)

    @admin.action(description=_("Different people (never propose again)"))
    def mark_different(self, request, queryset):
        self._decide(request, queryset, DuplicatePair.Status.DIFFERENT)


@admin.register(MergeRecord)
class MergeRecordAdmin(admin.ModelAdmin):
    """Every merge, and the way to undo one."""

    list_display = ["merged_at", "other", "keep", "merged_by", "undone_at"]
    list_select_related = ["other", "keep", "merged_by"]
    readonly_fields = ["keep", "other", "merged_by", "merged_at", "keep_history_id",
                       "other_history_id", "moved", "conflicts", "undone_at",
                       "undone_by"]  # fmt: skip
    actions = ["undo"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of a merge is what makes undoing it possible

    @admin.action(description=_("Undo the selected merges"))
    def undo(self, request, queryset):
        for record in queryset.filter(undone_at__isnull=True).order_by("-merged_at"):
            try:
                unmerge_victims(keep=record.keep, other=record.other, user=request.user)
            except (MergeError, PermissionDenied, ValidationError) as exc:
                message = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{record}: {message}", level=messages.ERROR)
            else:
                self.message_user(
                    request, _("Merge %(merge)s undone.") % {"merge": record},
                    level=messages.SUCCESS,
                )  # fmt: skip


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
        "possible_records",
    ]  # fmt: skip
    readonly_fields = SUBMITTED
    fieldsets = [
        (_("Moderation"), {"fields": ["status", "victim", "staff_notes", "reviewed_by",
                                      "created_victim", "created_source", "possible_records"]}),
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

    class Media:
        # What a family wrote, in its own direction (``.model-submission .readonly``).
        css = {"all": ["css/admin.css"]}

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
            path(
                "<int:pk>/add-to/<int:victim_pk>/",
                self.admin_site.admin_view(self.add_to_record_view),
                name="victims_submission_add_to",
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

    @admin.display(description=_("records it may be about"))
    def possible_records(self, obj):
        """The records the submission may be about, with scores and reasons, and for each
        a button that adds the submission to it (a button of the change form posting to
        ``add_to_record_view``: no JavaScript, no second form)."""
        from victims.dedupe import submission_matches

        if obj is None or obj.pk is None:
            return "—"
        matches = submission_matches(obj)
        if not matches:
            return _("No record in the archive looks like this person.")
        done = bool(obj.created_source_id)
        rows = []
        for m in matches:
            url = reverse("admin:victims_victim_change", args=[m.b.pk])
            action = reverse("admin:victims_submission_add_to", args=[obj.pk, m.b.pk])
            button = (
                ""
                if done
                else format_html(
                    '<button type="submit" formaction="{}" formmethod="post" '
                    'class="button" name="add_to" value="{}">{}</button>',
                    action, m.b.ref, _("Add to this record"),
                )
            )  # fmt: skip
            rows.append(
                format_html(
                    '<tr class="possible-record"><td><a href="{}"><bdi>{}</bdi></a> ({})</td>'
                    "<td>{}</td><td>{}</td><td>{}</td></tr>",
                    url,
                    " / ".join(m.b.names) or m.b.ref,
                    m.b.ref,
                    score_text(m.score),
                    reasons_text(m.reasons),
                    button,
                )
            )
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
            _("record"), _("score"), _("reasons"),
        )  # fmt: skip
        return format_html(
            '<table class="possible-records">{}{}</table>',
            head,
            format_html_join("", "{}", ((r,) for r in rows)),
        )

    def add_to_record_view(self, request, pk, victim_pk):
        """Add the submission to a record: the testimony cited for each fact it adds."""
        from django.shortcuts import get_object_or_404, redirect

        from victims.services import add_submission_to_victim

        submission = get_object_or_404(Submission, pk=pk)
        back = redirect("admin:victims_submission_change", pk)
        if request.method != "POST" or not self.has_change_permission(request, submission):
            raise PermissionDenied
        victim = get_object_or_404(Victim, pk=victim_pk)
        try:
            filled = add_submission_to_victim(
                submission=submission, victim=victim, user=request.user
            )
        except (PermissionDenied, ValidationError) as exc:
            text = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            self.message_user(request, text, messages.ERROR)
            return back
        self.message_user(
            request,
            _("Submission #%(id)d added to %(ref)s (facts filled: %(filled)s), each cited to the "
              "private testimony.") % {"id": pk, "ref": victim.ref,
                                       "filled": ", ".join(filled) or _("none")},
            messages.SUCCESS,
        )  # fmt: skip
        return back

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
