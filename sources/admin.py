"""Sources and citations in the admin, and the citations inline that every cited record's
page carries (which source supports which claim)."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from archive.core.admin import GuardedAdminMixin, GuardedInlineMixin, PublishableImportExportAdmin
from sources.footnotes import markers
from sources.models import Citation, Source
from sources.resources import SourceResource

MARKED_TEXT_FIELDS = ("biography", "description_en", "description_fa")


class CitationFormSet(BaseGenericInlineFormSet):
    """Refuses a ``[src:ID]`` marker in the record's text that points at no citation of
    the record: the public page would have nothing to number."""

    def clean(self):
        super().clean()

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


class CitationInline(GuardedInlineMixin, GenericTabularInline):
    """Citations under every record: which source supports which claim. Narrow enough
    for a 1280-pixel window: the quote is a two-line box (its corner drags it larger)."""

    model = Citation
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "claim", "locator", "quote", "confidence"]
    verbose_name = _("citation")
    verbose_name_plural = _("citations: which source supports which claim")
    classes = ["citations"]

    class Media:
        # Wherever the inline appears (records, positions, seats, statements).
        css = {"all": ["css/admin.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "quote":
            field.widget.attrs.update({"rows": 2, "cols": 30, "dir": "auto"})
        elif db_field.name in ("claim", "locator") and field is not None:
            field.widget.attrs.update({"size": 14, "dir": "auto"})
        return field


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
