"""Hearings in the admin: the one-page "Add a hearing" form reached from a victim's change
page (``victims.hearing_forms`` says why one page), and a hearing's own change page (its
officials and citations as inlines) for corrections."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from archive.core.admin import GuardedAdminMixin, GuardedInlineMixin
from archive.core.models import locked_for
from perpetrators.models import Perpetrator
from sources.admin import CitationInline
from victims.hearing_forms import CitationFormSet, HearingForm, OfficialFormSet
from victims.hearing_services import record_hearing
from victims.hearings import ChargeCategory, Hearing, HearingOfficial
from victims.models import Victim


class HearingOfficialInline(GuardedInlineMixin, admin.TabularInline):
    model = HearingOfficial
    extra = 0
    autocomplete_fields = ["perpetrator"]
    fields = ["perpetrator", "role"]
    show_change_link = True  # an official's citations are entered on its own page


@admin.register(Hearing)
class HearingAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    list_display = ["victim", "date", "commission", "court_en", "place"]
    list_select_related = ["victim", "commission", "place"]
    search_fields = ["victim__ref", "victim__name_latin", "victim__name_fa", "court_en", "court_fa"]
    autocomplete_fields = ["victim", "place", "commission"]
    filter_horizontal = ["charge_categories"]
    inlines = [HearingOfficialInline, CitationInline]
    fields = [
        "victim", ("date", "date_precision"), "place", "commission", ("court_en", "court_fa"),
        ("charges_en", "charges_fa"), "charge_categories", ("questions_en", "questions_fa"),
        ("decision_en", "decision_fa"), ("sentence_en", "sentence_fa"), "sentence_overridden",
    ]  # fmt: skip

    def has_add_permission(self, request):
        # A hearing is added from its victim's page, with its officials and citations.
        return False


@admin.register(HearingOfficial)
class HearingOfficialAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    list_display = ["perpetrator", "role", "hearing"]
    list_select_related = ["perpetrator", "hearing__victim"]
    autocomplete_fields = ["perpetrator"]
    search_fields = ["perpetrator__ref", "perpetrator__name_latin", "hearing__victim__ref"]
    fields = ["hearing", "perpetrator", "role"]
    readonly_fields = ["hearing"]
    inlines = [CitationInline]

    def has_add_permission(self, request):
        return False


@admin.register(ChargeCategory)
class ChargeCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "name_en", "name_fa"]
    search_fields = ["slug", "name_en", "name_fa"]


def hearings_of(victim) -> str:
    """The victim's hearings as links, and the link to add one (the victim change page)."""
    if victim is None or victim.pk is None:
        return _("Save the record first; then add its hearings here.")
    rows = [
        (reverse("admin:victims_hearing_change", args=[h.pk]), str(h))
        for h in victim.hearings.select_related("commission", "victim")
    ]
    listed = format_html_join("", '<li><a href="{}">{}</a></li>', rows) if rows else ""
    add = reverse("admin:victims_victim_add_hearing", args=[victim.pk])
    return format_html(
        '<ul class="hearings">{}</ul><p><a class="addlink" href="{}">{}</a></p>',
        listed,
        add,
        _("Add a hearing (with its officials and citations)"),
    )


def _errors_to_forms(exc: ValidationError, form, officials, citations) -> None:
    """The service's errors, each on the part of the page it names."""
    for key, messages_ in exc.update_error_dict({}).items():
        for message in messages_:
            text = message.message % message.params if message.params else message.message
            if key == "officials":
                officials._non_form_errors.append(text)
            elif key == "citations":
                citations._non_form_errors.append(text)
            elif key in form.fields:
                form.add_error(key, text)
            elif key == "__all__":
                form.add_error(None, text)
            else:
                form.add_error(None, f"{key}: {text}")


def add_hearing_view(model_admin, request, pk):
    victim = get_object_or_404(Victim, pk=pk)
    if not request.user.has_perm("victims.add_hearing"):
        raise PermissionDenied
    locked = bool(locked_for(request.user, victim))
    if request.method == "POST" and not locked:
        form = HearingForm(request.POST)
        officials = OfficialFormSet(request.POST, prefix="officials")
        citations = CitationFormSet(request.POST, prefix="citations")
        if all([form.is_valid(), officials.is_valid(), citations.is_valid()]):
            try:
                hearing = record_hearing(
                    victim=victim, user=request.user, facts=form.facts(),
                    officials=[e for f in officials.forms if (e := f.entry())],
                    citations=[e for f in citations.forms if (e := f.entry())],
                )  # fmt: skip
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                _errors_to_forms(exc, form, officials, citations)
            else:
                new = [
                    o.perpetrator
                    for o in hearing.officials.all()
                    if o.perpetrator.publication_status == "draft"
                ]
                model_admin.message_user(request, _("The hearing was added."), messages.SUCCESS)
                if new:
                    model_admin.message_user(
                        request,
                        _("Draft perpetrator records to complete and cite: %(refs)s")
                        % {"refs": ", ".join(f"{p.ref} ({p})" for p in new)},
                        messages.WARNING,
                    )
                return HttpResponseRedirect(
                    reverse("admin:victims_victim_change", args=[victim.pk])
                )
    else:
        form = HearingForm()
        officials = OfficialFormSet(prefix="officials")
        citations = CitationFormSet(prefix="citations")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Victim._meta,
        "title": _("Add a hearing of %(victim)s") % {"victim": victim},
        "victim": victim,
        "form": form,
        "officials": officials,
        "citations": citations,
        "locked": locked,
        "suggest_url": reverse("admin:victims_victim_official_suggestions"),
        "has_errors": request.method == "POST",
    }
    return TemplateResponse(request, "admin/victims/victim/add_hearing.html", context)


def official_suggestions_view(model_admin, request):
    """Perpetrators whose names match what was typed (the people search, any spelling):
    ``[{"value": "P-0001 — Name", "label": …}]``, for the officials' text boxes."""
    if not request.user.has_perm("perpetrators.view_perpetrator"):
        raise PermissionDenied
    term = request.GET.get("term", "").strip()[:100]
    if len(term) < 2:
        return JsonResponse({"results": []})
    found = Perpetrator.objects.filter(ref__istartswith=term)[:10]
    people = list(found) or list(Perpetrator.objects.search(term)[:10])
    return JsonResponse({"results": [{"value": f"{p.ref} — {p}", "ref": p.ref} for p in people]})


hearings_of.short_description = gettext_lazy("hearings")
