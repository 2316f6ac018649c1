from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.admin import PublishableImportExportAdmin
from archive.search import admin_search_results
from victims.models import Victim
from victims.resources import VictimResource


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
