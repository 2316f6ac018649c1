"""Sources and citations in the admin, and the citations inline that every cited record's
page carries (which source supports which claim)."""

from types import SimpleNamespace

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from archive.core import provenance
from archive.core.admin import GuardedAdminMixin, GuardedInlineMixin, PublishableImportExportAdmin
from archive.core.models import public_records_of
from archive.core.provenance import markers
from sources.document_admin import DocumentInline
from sources.models import Citation, Document, Source
from sources.resources import SourceResource

MARKED_TEXT_FIELDS = ("biography", "description_en", "description_fa")


def limit_documents(form) -> None:
    """A citation's ``document`` chosen among its source's documents only: the source
    submitted with the form, else the one saved; none before a source is chosen (a new
    row offers them once saved). ``Citation.clean`` refuses another source's document."""
    field = form.fields.get("document")
    if field is None:
        return
    source_id = form.instance.source_id
    if form.is_bound:
        submitted = form.data.get(form.add_prefix("source"), "")
        source_id = int(submitted) if str(submitted).isdigit() else None
    field.queryset = Document.objects.filter(source_id=source_id).order_by("pk")
    field.help_text = _(
        "Which of the source's documents the locator points into; empty: its first "
        "document with pages. A new citation offers its source's documents once saved."
    )


class CitationForm(forms.ModelForm):
    """A citation under a record: its claim chosen among the facts the record's page
    shows (``provenance.citable_claims``), labelled in the reader's language."""

    record_model = None  # set by ``CitationInline.get_formset``

    class Meta:
        model = Citation
        fields = ["source", "claim", "locator", "quote", "confidence", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_documents(self)
        if self.record_model is None or "claim" not in self.fields:
            return
        choices = [(c, f"{label}") for c, label in provenance.citable_claims(self.record_model)]
        current = self.instance.claim if self.instance.pk else None
        if current and current not in dict(choices):
            # Kept visible (not silently replaced) so that saving asks for a real choice.
            choices.append(
                (current, _("“%(claim)s”: not a fact the page shows") % {"claim": current})
            )
        field = self.fields["claim"]
        self.fields["claim"] = forms.ChoiceField(
            label=field.label, choices=choices, initial=provenance.GENERAL,
            help_text=_("The fact this source supports, or the record as a whole."),
        )  # fmt: skip


def refuse_gaps(record, citations) -> None:
    """Refuses ``citations`` (as they would be after a change) when they leave a fact of
    a published ``record`` (or of one a published page shows) without a citation."""
    records = public_records_of(record) if record is not None and record.pk else []
    if not records or not all(r.is_published for r in records):
        return
    gaps = provenance.gaps(record, citations)
    if gaps:
        raise ValidationError(
            _(
                "This record is published: every fact its public page shows needs a "
                "citation to a published source. %(gaps)s."
            )
            % {"gaps": provenance.gaps_message(gaps)}
        )


class CitationAdminForm(forms.ModelForm):
    """A citation changed on its own page: not so as to leave a fact of a published
    record uncited (its claim moved, its source swapped for a draft)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_documents(self)

    def clean(self):
        cleaned = super().clean()
        citation = self.instance
        record = citation.content_object if citation.pk else None
        if record is not None and not self.errors and hasattr(record, "citations"):
            others = record.citations.exclude(pk=citation.pk)
            after = [*others.select_related("source"), SimpleNamespace(
                claim=cleaned.get("claim"), source=cleaned.get("source"),
                source_id=getattr(cleaned.get("source"), "pk", None),
            )]  # fmt: skip
            refuse_gaps(record, after)
        return cleaned


class CitationFormSet(BaseGenericInlineFormSet):
    """Refuses a ``[src:ID]`` marker in the record's text that points at no citation of
    the record: the public page would have nothing to number. On a published record (or
    one shown on a published page), refuses citations and values that would leave a
    fact the page shows without a citation to a published source."""

    def clean(self):
        super().clean()
        self._refuse_markers()
        if not any(form.errors for form in self.forms):
            self._refuse_gaps()

    def _after(self):
        """The citations as they will be once the formset is saved."""
        return [
            SimpleNamespace(
                claim=form.cleaned_data.get("claim") or provenance.GENERAL,
                source_id=form.cleaned_data["source"].pk,
                source=form.cleaned_data["source"],
            )
            for form in self.forms
            if form.cleaned_data.get("source") and not form.cleaned_data.get("DELETE")
        ]

    def _refuse_gaps(self):
        # ``self.instance`` carries the values of the record's form as submitted.
        refuse_gaps(self.instance, self._after())

    def _refuse_markers(self):
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
    form = CitationForm
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "claim", "locator", "quote", "confidence", "document"]
    verbose_name = _("citation")
    verbose_name_plural = _("citations: which source supports which claim")
    classes = ["citations"]

    class Media:
        # Wherever the inline appears (records, positions, seats, statements).
        css = {"all": ["css/admin.css"]}

    def get_formset(self, request, obj=None, **kwargs):
        form = type(
            "CitationForm", (kwargs.get("form", self.form),), {"record_model": self.parent_model}
        )
        return super().get_formset(request, obj, **{**kwargs, "form": form})

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
    # A source is what others cite; it cites nothing itself. Its documents are listed.
    inlines = [DocumentInline]


@admin.register(Citation)
class CitationAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    """A citation on its own page: read-only to those who may not publish the published
    record it supports (the footnotes of a public page)."""

    form = CitationAdminForm
    list_display = ["source", "content_type", "object_id", "claim", "locator", "confidence"]
    list_filter = ["content_type", "confidence", "claim"]
    search_fields = ["source__title", "claim", "locator", "quote"]
    autocomplete_fields = ["source"]
    list_select_related = ["source", "content_type"]

    def get_deleted_objects(self, objs, request):
        """A deletion that would leave a fact of a published page uncited is refused the
        way Django refuses one that protected objects block: the confirmation page lists
        each record and its facts, and offers no button (one citation or many)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        doomed = Citation.objects.filter(pk__in=[obj.pk for obj in objs])
        for record, gaps in doomed.gaps_if_deleted():
            protected.append(f"{provenance.record_label(record)}: {provenance.gaps_message(gaps)}")
        return deleted, counts, perms_needed, protected
