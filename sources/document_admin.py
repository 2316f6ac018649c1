"""Documents in the admin: added with their origin (the file checked by its bytes, kept
byte for byte), described, withheld from the public when need be, never deleted; the
evidentiary copy opened through a link that writes the custody log."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sources.documents import CustodyEvent, Document, Refused, add_document


class DocumentAddForm(forms.ModelForm):
    user = None
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "A PDF, an image, audio, video or a UTF-8 text file; its type is read from its "
            "contents. It is kept byte for byte; the public sees only a copy without "
            "metadata."
        ),
    )

    url = forms.URLField(
        label=_("retrieved from"), required=False, max_length=1000, assume_scheme="https"
    )

    class Meta:
        model = Document
        fields = ["source", "file", "title", "url", "retrieved"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None or self.errors:
            return cleaned
        try:
            self.document = add_document(
                source=cleaned["source"], fileobj=upload, name=upload.name,
                url=cleaned.get("url") or "", retrieved=cleaned.get("retrieved"),
                user=self.user, title=cleaned.get("title") or "", via="admin",
            )  # fmt: skip
        except Refused as exc:
            raise forms.ValidationError({"file": str(exc)}) from None
        return cleaned


class CustodyInline(admin.TabularInline):
    model = CustodyEvent
    fields = readonly_fields = ["at", "action", "user", "detail"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("custody log: every access and change")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "kind", "sha256", "size", "added_at", "withheld"]
    list_filter = ["kind", "withheld"]
    search_fields = ["sha256", "title", "source__title", "url"]
    autocomplete_fields = ["source"]
    list_select_related = ["source"]
    inlines = [CustodyInline]
    readonly_fields = [
        "source", "evidentiary_copy", "sha256", "size", "media_type", "kind", "original_name",
        "added_by", "added_at", "public_copy_digest", "page_count",
    ]  # fmt: skip
    fields = [
        "source", "title", "url", "retrieved", "withheld", "evidentiary_copy", "sha256",
        "size", "media_type", "kind", "original_name", "added_by", "added_at",
        "public_copy_digest", "page_count",
    ]  # fmt: skip

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            # A class of its own per request: who adds the file (the custody log's first entry).
            return type("DocumentAddForm", (DocumentAddForm,), {"user": request.user})
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return DocumentAddForm.Meta.fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_form(self, request, form, change):
        if not change:
            return form.document  # added, checked and logged by add_document
        return super().save_form(request, form, change)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def save_model(self, request, obj, form, change):
        if not change:
            return
        super().save_model(request, obj, form, change)
        if form.changed_data:
            detail = "; ".join(
                f"{name}: {form.initial.get(name)!s} → {form.cleaned_data.get(name)!s}"
                for name in form.changed_data
            )
            obj.log(CustodyEvent.Action.CHANGED, user=request.user, detail=detail)

    def has_delete_permission(self, request, obj=None):
        return False  # evidence: withheld, never deleted

    @admin.display(description=_("evidentiary copy"))
    def evidentiary_copy(self, obj):
        url = reverse("admin:sources_document_original", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> <span class="help">{}</span>', url, _("Open the original"),
            _("(each opening is written in the custody log)"),
        )  # fmt: skip

    @admin.display(description=_("public copy (derived)"))
    def public_copy_digest(self, obj):
        if not obj.public_copy:
            return _("none")
        return format_html("{} <code>{}</code>", obj.public_media_type, obj.public_sha256)

    def get_urls(self):
        return [
            path(
                "<int:pk>/original/",
                self.admin_site.admin_view(self.original_view),
                name="sources_document_original",
            ),
            *super().get_urls(),
        ]

    def original_view(self, request, pk):
        """The evidentiary copy, byte for byte, to staff who may view documents; the
        opening is logged before a byte is sent."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = get_object_or_404(Document, pk=pk)
        document.log(CustodyEvent.Action.ORIGINAL_READ, user=request.user,
                     detail=request.META.get("REMOTE_ADDR", ""))  # fmt: skip
        ext = document.original.name.rsplit(".", 1)[-1]
        response = FileResponse(
            document.original.open("rb"), as_attachment=True,
            filename=f"document-{document.pk}-{document.sha256[:12]}.{ext}",
            content_type=document.media_type,
        )  # fmt: skip
        response["Cache-Control"] = "private, no-store"
        return response


class DocumentInline(admin.TabularInline):
    """A source's documents, listed on its page (added on their own page)."""

    model = Document
    fields = readonly_fields = ["link", "kind", "sha256", "size", "withheld"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("documents (the files themselves)")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("document"))
    def link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:sources_document_change", args=[obj.pk]), obj
        )
