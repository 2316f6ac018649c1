"""The researchers' tools as admin pages: staff only (``admin.site.admin_view`` in
archive/urls.py signs them in with their second factor), in the admin's look."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.research import changes, quality


class ChangeFilterForm(forms.Form):
    """What the log can be narrowed to. Every field is optional; a bad one is named."""

    user = forms.ModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=gettext_lazy("everyone"),
    )
    model = forms.ChoiceField(label=gettext_lazy("Record type"), required=False)
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("YYYY-MM-DD"),
    )
    end = forms.DateField(
        label=gettext_lazy("To (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("YYYY-MM-DD"),
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, models_shown, **kwargs):
        super().__init__(*args, **kwargs)
        self.models_shown = models_shown
        # Staff accounts, former ones too (inactive): their changes stay in the history.
        self.fields["user"].queryset = get_user_model().objects.filter(is_staff=True)
        types = ((changes.label(m), str(m._meta.verbose_name_plural)) for m in models_shown)
        self.fields["model"].choices = [("", _("all")), *sorted(types, key=lambda c: c[1])]

    def clean_after(self):
        text = self.cleaned_data["after"]
        if not text:
            return None
        try:
            return changes.Cursor.decode(text)
        except ValueError:
            raise forms.ValidationError(
                _("This page link is damaged; start again from the newest changes.")
            ) from None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date comes before the start date."))
        return cleaned

    def page(self) -> changes.Page:
        data = self.cleaned_data
        shown = self.models_shown
        if data["model"]:
            shown = [m for m in shown if changes.label(m) == data["model"]]
        return changes.changes_page(
            shown,
            user=data["user"],
            start=_midnight(data["start"]),
            end=_midnight(data["end"] + timedelta(days=1)) if data["end"] else None,
            cursor=data["after"],
        )


def _midnight(day) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def change_log(request):
    models_shown = changes.visible_models(request)
    # Bound even when empty: every field is optional, so no filter means everything.
    form = ChangeFilterForm(request.GET, models_shown=models_shown)
    page = None
    if form.is_valid():
        page = form.page()
    next_query = ""
    if page is not None and page.next_cursor is not None:
        query = request.GET.copy()
        query["after"] = page.next_cursor.encode()
        next_query = query.urlencode()
    newest_query = request.GET.copy()
    newest_query.pop("after", None)
    context = {
        **admin.site.each_context(request),
        "title": _("Every change"),
        "form": form,
        "page": page,
        "next_query": next_query,
        "newest_query": newest_query.urlencode(),
        "is_first_page": not request.GET.get("after"),
    }
    return TemplateResponse(request, "admin/research/change_log.html", context)


def data_quality(request):
    context = {
        **admin.site.each_context(request),
        "title": _("Data quality"),
        "limit": quality.LIMIT,
        "waiting": quality.waiting_longest(),
        "unarchived": quality.sources_without_archived_copy(),
        "one_script": quality.people_without_both_scripts(),
        "uncited": quality.records_with_uncited_facts(),
        "disagree": quality.facts_where_sources_disagree(),
    }
    return TemplateResponse(request, "admin/research/data_quality.html", context)
