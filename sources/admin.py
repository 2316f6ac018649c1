from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from archive.admin import GuardedAdminMixin, PublishableImportExportAdmin
from sources.models import Citation, Source
from sources.resources import SourceResource


@admin.register(Source)
class SourceAdmin(PublishableImportExportAdmin):
    resource_classes = [SourceResource]
    list_display = ["title", "kind", "publisher", "date", "is_private", "publication_status"]
    list_filter = ["publication_status", "kind", "is_private", "language"]
    search_fields = ["title", "publisher", "author", "url"]
    date_hierarchy = "date"
    inlines = []  # a source is what others cite; it cites nothing itself


@admin.register(Citation)
class CitationAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    """A citation on its own page: read-only to those who may not publish the published
    record it supports (the footnotes of a public page)."""

    list_display = ["source", "content_type", "object_id", "claim", "locator", "confidence"]
    list_filter = ["content_type", "confidence", "claim"]
    search_fields = ["source__title", "claim", "locator", "quote"]
    autocomplete_fields = ["source"]
    list_select_related = ["source", "content_type"]
