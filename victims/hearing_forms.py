"""The admin's "Add a hearing" form: the hearing, its officials and the citations of its
facts on one page, sent in one POST and saved in one transaction
(``victims.hearing_services.record_hearing``).

One page rather than a hearing admin with inlines because a researcher enters a hearing
from the victim they are working on, with the testimony open beside them: the victim is
already chosen, the officials are typed by ref or by name as the testimony names them
(a name not yet in the archive becomes a draft perpetrator), and the citations say which
source supports which fact, all before anything is saved. It works without JavaScript:
the officials' suggestions (from the people search) only fill the same text boxes.
"""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archive.core.importing.widgets import parse_partial_date
from archive.core.models import Place
from perpetrators.models import Commission, Perpetrator, Role
from sources.models import Source
from victims.hearing_services import (
    CitationEntry,
    HearingFacts,
    OfficialEntry,
    hearing_claims,
)
from victims.hearings import ChargeCategory

# A ref is one word with a digit in it ("P-0001"); a name has none. The suggestions write
# "P-0001 — Name": the ref is what comes before the dash.
LOOKS_LIKE_REF = re.compile(r"^\S*\d\S*$")

TEXT = {"rows": 2, "cols": 60}


class HearingForm(forms.Form):
    date = forms.CharField(
        label=_("Date of the hearing"), required=False, max_length=20,
        help_text=_("1988, 1988-08 or 1988-08-15 (a full Solar Hijri day such as 1367-05-10 "
                    "is converted); the form sets the precision."),
    )  # fmt: skip
    place = forms.ModelChoiceField(
        label=_("Place of the hearing"), required=False, queryset=Place.objects.none()
    )
    commission = forms.ModelChoiceField(
        label=_("Death Commission"), required=False, queryset=Commission.objects.none(),
        help_text=_("When the body was a Death Commission; otherwise name the court."),
    )  # fmt: skip
    court_en = forms.CharField(label=_("court (English)"), required=False, max_length=250)
    court_fa = forms.CharField(label=_("court (Persian)"), required=False, max_length=250)
    charges_en = forms.CharField(
        label=_("charges as stated (English)"), required=False, widget=forms.Textarea(TEXT)
    )
    charges_fa = forms.CharField(
        label=_("charges as stated (Persian)"), required=False, widget=forms.Textarea(TEXT)
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("charge categories"), required=False, queryset=ChargeCategory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    questions_en = forms.CharField(
        label=_("questions asked (English)"), required=False, widget=forms.Textarea(TEXT)
    )
    questions_fa = forms.CharField(
        label=_("questions asked (Persian)"), required=False, widget=forms.Textarea(TEXT)
    )
    decision_en = forms.CharField(
        label=_("decision (English)"), required=False, widget=forms.Textarea(TEXT)
    )
    decision_fa = forms.CharField(
        label=_("decision (Persian)"), required=False, widget=forms.Textarea(TEXT)
    )
    sentence_en = forms.CharField(
        label=_("sentence (English)"), required=False, widget=forms.Textarea(TEXT)
    )
    sentence_fa = forms.CharField(
        label=_("sentence (Persian)"), required=False, widget=forms.Textarea(TEXT)
    )
    sentence_overridden = forms.BooleanField(
        label=_("sentence overridden"), required=False,
        help_text=_("The sentence was overridden by a later decision (a prison term cut short "
                    "by the 1988 killings)."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.order_by("name_en", "name_fa")
        self.fields["commission"].queryset = Commission.objects.order_by("name_en")
        self.fields["categories"].queryset = ChargeCategory.objects.order_by("name_en")
        for name in ("court_fa", "charges_fa", "questions_fa", "decision_fa", "sentence_fa"):
            self.fields[name].widget.attrs["dir"] = "rtl"

    def clean_date(self):
        try:
            return parse_partial_date(self.cleaned_data.get("date", ""))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def facts(self) -> HearingFacts:
        data = dict(self.cleaned_data)
        return HearingFacts(**data)


class OfficialForm(forms.Form):
    official = forms.CharField(
        label=_("Official"), required=False, max_length=200,
        help_text=_("A perpetrator's ref (P-0001), or the name of an official not yet in the "
                    "archive: a draft record is made for them."),
    )  # fmt: skip
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].widget.attrs.update(
            {"list": "hearing-officials", "autocomplete": "off", "dir": "auto", "size": 40}
        )

    def clean_official(self):
        text = " ".join(self.cleaned_data.get("official", "").split())
        self.perpetrator, self.new_name = None, ""
        if not text:
            return text
        head = text.split("—")[0].strip()
        self.perpetrator = Perpetrator.objects.filter(ref__iexact=head).first()
        if self.perpetrator is not None:
            return text
        if LOOKS_LIKE_REF.match(head):
            raise forms.ValidationError(
                _("No perpetrator has the ref '%(ref)s'. Give a known ref, or type the "
                  "official's name to add them as a new draft record.") % {"ref": head}
            )  # fmt: skip
        namesakes = list(
            Perpetrator.objects.filter(Q(name_latin__iexact=text) | Q(name_fa=text))[:5]
        )
        if namesakes:
            raise forms.ValidationError(
                _("'%(name)s' is already in the archive as %(refs)s: give the ref.")
                % {"name": text, "refs": ", ".join(f"{p.ref} ({p})" for p in namesakes)}
            )
        self.new_name = text
        return text

    def entry(self) -> OfficialEntry | None:
        if not self.cleaned_data.get("official"):
            return None
        return OfficialEntry(
            role=self.cleaned_data["role"], perpetrator=self.perpetrator, new_name=self.new_name
        )


class CitationEntryForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Source"), required=False, queryset=Source.objects.none()
    )
    claim = forms.ChoiceField(label=_("claim"), choices=())
    locator = forms.CharField(
        label=_("locator"), required=False, max_length=200,
        help_text=_("Page, paragraph or timestamp."),
    )  # fmt: skip
    quote = forms.CharField(
        label=_("quotation"), required=False,
        widget=forms.Textarea({"rows": 2, "cols": 40, "dir": "auto"}),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Source.objects.order_by("title")
        self.fields["claim"].choices = hearing_claims()

    def clean(self):
        data = super().clean()
        if not data.get("source") and (data.get("locator") or data.get("quote")):
            self.add_error("source", _("Choose the source this locator and quote come from."))
        return data

    def entry(self) -> CitationEntry | None:
        if not self.cleaned_data.get("source"):
            return None
        return CitationEntry(
            source=self.cleaned_data["source"],
            claim=self.cleaned_data["claim"],
            locator=self.cleaned_data.get("locator", ""),
            quote=self.cleaned_data.get("quote", ""),
        )


OfficialFormSet = forms.formset_factory(OfficialForm, extra=4, max_num=40)
CitationFormSet = forms.formset_factory(CitationEntryForm, extra=4, max_num=40)
