from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from archive.core.admin import (
    ArchiveImportExportMixin,
    GuardedAdminMixin,
    GuardedInlineMixin,
    PartialDatesInListsMixin,
    PublishableAdmin,
    PublishableImportExportAdmin,
    RefFilledAdmin,
)
from archive.core.match_reasons import reasons_text
from archive.core.search import admin_search_results
from perpetrators.models import (
    Commission,
    CommissionMembership,
    Perpetrator,
    PerpetratorMerge,
    PerpetratorPair,
    Position,
    Statement,
)
from perpetrators.resources import MembershipResource, PerpetratorResource, PositionResource
from perpetrators.services import MergeError, merge_perpetrators, unmerge_perpetrators
from sources.admin import CitationInline


class PositionInline(GuardedInlineMixin, admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = [
        "title_en", "title_fa", "organisation", "start_date", "start_date_precision",
        "end_date", "end_date_precision", "as_of", "as_of_fa",
    ]  # fmt: skip
    show_change_link = True  # citations of a position are entered on its own page
    classes = ["positions"]  # narrow columns: the row fits a 1280-pixel window (admin.css)

    class Media:
        css = {"all": ["css/admin.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Each title in its own script's direction, also on Persian pages.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        directions = {"title_en": "ltr", "title_fa": "rtl", "as_of": "auto", "as_of_fa": "rtl"}
        direction = directions.get(db_field.name)
        if direction and field is not None:
            field.widget.attrs["dir"] = direction
        return field


class MembershipInline(GuardedInlineMixin, admin.TabularInline):
    model = CommissionMembership
    extra = 0
    autocomplete_fields = ["commission", "perpetrator"]
    fields = ["commission", "perpetrator", "role", "start_date", "start_date_precision",
              "end_date", "end_date_precision"]  # fmt: skip
    show_change_link = True
    classes = ["positions"]

    class Media:
        css = {"all": ["css/admin.css"]}


class StatementInline(GuardedInlineMixin, admin.StackedInline):
    model = Statement
    extra = 0
    fields = ["date", "date_precision", "summary_en", "summary_fa", "quote"]
    show_change_link = True


@admin.register(Perpetrator)
class PerpetratorAdmin(RefFilledAdmin, PublishableImportExportAdmin):
    resource_classes = [PerpetratorResource]
    list_display = ["ref", "name_latin", "name_fa", "publication_status", "updated_at"]
    list_filter = ["publication_status", "memberships__commission", "memberships__role"]
    search_fields = ["ref", "name_latin", "name_fa", "aliases"]
    inlines = [CitationInline, PositionInline, MembershipInline, StatementInline]

    def get_search_results(self, request, queryset, search_term):
        return admin_search_results(queryset, search_term, super().get_search_results, request)


@admin.register(Commission)
class CommissionAdmin(PublishableAdmin):
    list_display = ["name_en", "name_fa", "place", "start_date", "publication_status"]
    list_filter = ["publication_status", "event"]
    search_fields = ["name_en", "name_fa", "slug"]
    autocomplete_fields = ["place", "event"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [CitationInline, MembershipInline]


class CitedAdmin(GuardedAdminMixin, PartialDatesInListsMixin, SimpleHistoryAdmin):
    """A perpetrator's position, seat or statement on its own page: read-only to those who
    may not publish the published perpetrator (or commission) it belongs to."""

    inlines = [CitationInline]
    autocomplete_fields = ["perpetrator"]
    list_select_related = ["perpetrator"]


@admin.register(Position)
class PositionAdmin(ArchiveImportExportMixin, ImportExportModelAdmin, CitedAdmin):
    resource_classes = [PositionResource]
    list_display = ["perpetrator", "title_en", "organisation", "start_date", "end_date"]
    search_fields = ["title_en", "title_fa", "perpetrator__name_latin", "perpetrator__name_fa"]
    list_filter = ["organisation"]
    list_select_related = ["perpetrator", "organisation"]


@admin.register(CommissionMembership)
class CommissionMembershipAdmin(ArchiveImportExportMixin, ImportExportModelAdmin, CitedAdmin):
    resource_classes = [MembershipResource]
    list_display = ["perpetrator", "commission", "role", "start_date"]
    list_filter = ["role", "commission"]
    search_fields = ["perpetrator__name_latin", "perpetrator__name_fa", "commission__name_en"]
    autocomplete_fields = ["perpetrator", "commission"]
    list_select_related = ["perpetrator", "commission"]


@admin.register(Statement)
class StatementAdmin(CitedAdmin):
    list_display = ["perpetrator", "date", "__str__"]
    search_fields = ["summary_en", "summary_fa", "quote", "perpetrator__name_latin"]


# --- Duplicates: the review queue and the merges ------------------------------------------


@admin.register(PerpetratorPair)
class PerpetratorPairAdmin(SimpleHistoryAdmin):
    """The review queue of possible duplicate perpetrators (``find_duplicates perpetrators
    --store``), best first: mark a pair, or merge B into A (A's values stay where both
    differ; B's become versions on its citations; undone from the merges' list)."""

    list_display = ["record_a", "record_b", "score", "reasons_shown", "status", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["perpetrator_a", "perpetrator_b", "decided_by"]
    search_fields = ["perpetrator_a__ref", "perpetrator_b__ref", "perpetrator_a__name_latin",
                     "perpetrator_b__name_latin", "perpetrator_a__name_fa",
                     "perpetrator_b__name_fa"]  # fmt: skip
    readonly_fields = ["perpetrator_a", "perpetrator_b", "score", "reasons_shown", "decided_by",
                       "decided_at", "created_at"]  # fmt: skip
    actions = ["merge_b_into_a", "mark_same", "mark_different"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False  # pairs come from find_duplicates

    def _link(self, perpetrator):
        url = reverse("admin:perpetrators_perpetrator_change", args=[perpetrator.pk])
        return format_html('<a href="{}">{}</a> ({})', url, perpetrator, perpetrator.ref)

    @admin.display(description=_("record A"))
    def record_a(self, obj):
        return self._link(obj.perpetrator_a)

    @admin.display(description=_("reasons"))
    def reasons_shown(self, obj):
        return reasons_text(obj.reasons)

    @admin.display(description=_("record B"))
    def record_b(self, obj):
        return self._link(obj.perpetrator_b)

    def _decide(self, request, queryset, status):
        for pair in queryset:
            pair.decide(status, user=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(n)d pair marked.", "%(n)d pairs marked.", count) % {"n": count},
            level=messages.SUCCESS,
        )

    @admin.action(description=_("Same person"))
    def mark_same(self, request, queryset):
        self._decide(request, queryset, PerpetratorPair.Status.SAME)

    @admin.action(description=_("Different people (never propose again)"))
    def mark_different(self, request, queryset):
        self._decide(request, queryset, PerpetratorPair.Status.DIFFERENT)

    @admin.action(description=_("Merge record B into record A"))
    def merge_b_into_a(self, request, queryset):
        for pair in queryset.select_related("perpetrator_a", "perpetrator_b"):
            keep, other = pair.perpetrator_a, pair.perpetrator_b
            try:
                merge_perpetrators(keep=keep, other=other, user=request.user)
            except (MergeError, PermissionDenied, ValidationError) as exc:
                message = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{pair}: {message}", level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(other)s was merged into %(keep)s.")
                    % {"other": other.ref, "keep": keep.ref},
                    level=messages.SUCCESS,
                )


@admin.register(PerpetratorMerge)
class PerpetratorMergeAdmin(admin.ModelAdmin):
    """Every merge of perpetrators, and the way to undo one."""

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
                unmerge_perpetrators(keep=record.keep, other=record.other, user=request.user)
            except (MergeError, PermissionDenied, ValidationError) as exc:
                message = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{record}: {message}", level=messages.ERROR)
            else:
                self.message_user(
                    request, _("Merge %(merge)s undone.") % {"merge": record},
                    level=messages.SUCCESS,
                )  # fmt: skip
