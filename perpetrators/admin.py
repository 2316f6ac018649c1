from django.contrib import admin
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
from archive.core.search import admin_search_results
from perpetrators.models import Commission, CommissionMembership, Perpetrator, Position, Statement
from perpetrators.resources import MembershipResource, PerpetratorResource, PositionResource
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
