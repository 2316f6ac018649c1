"""The families' submission form and the receipt look-up form.

Labels and help are written for a relative who has never used an archive, reading in
Persian or English on a phone; every message names what is wrong and how to put it right.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from archive.core.dates import YearError, read_year
from archive.core.digits import number
from archive.core.display import localized_number as num
from victims import receipts
from victims.attachments import (
    DEFAULT_KEEP_SIDE,
    DEFAULT_REQUEST_PIXELS,
    AttachmentError,
    PixelBudget,
    clean_image,
)
from victims.models import Fate, Victim


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _size(n_bytes: int) -> str:
    """A file size in the reader's digits ("10.0 MB", "۱۰٫۰ مگابایت")."""
    text = str(filesizeformat(n_bytes))
    if (get_language() or "").startswith("fa"):
        # Django's Persian catalogue keeps "MB" and "KB" in Latin letters.
        for latin, persian in (("MB", "مگابایت"), ("KB", "کیلوبایت")):
            text = text.replace(latin, persian)
        return number(text, persian=True)  # Persian digits and decimal separator
    return text


class TextLimit:
    """Refuses a text over the field's limit with a sentence that names the field, the
    limit and how long the text is; the text itself stays in the field. The page never
    sets ``maxlength``, with which a browser cuts a pasted account short without a word."""

    def __init__(self, limit: int, label):
        self.limit = limit
        self.label = label

    def __call__(self, value):
        length = len(value)
        if length > self.limit:
            raise forms.ValidationError(
                _("“%(field)s” can hold at most %(limit)s characters, and you wrote "
                  "%(length)s. Please shorten it: everything you wrote is still in the "
                  "field."),
                code="too_long",
                params={"field": self.label, "limit": num(self.limit), "length": num(length)},
            )  # fmt: skip


class LimitedCharField(forms.CharField):
    """A text field whose limit is shown beside it and enforced with a clear message
    (TextLimit), never by truncation."""

    def __init__(self, *, limit: int, **kwargs):
        super().__init__(**kwargs)
        self.limit = limit
        self.validators.append(TextLimit(limit, kwargs.get("label")))

    def limit_text(self) -> str:
        return gettext("At most %(limit)s characters.") % {"limit": num(self.limit)}


def _short(name: str, limit: int = 60) -> str:
    name = name or _("(no name)")
    return name if len(name) <= limit else name[: limit - 1] + "…"


class SubmissionForm(forms.Form):
    """What a family knows about a person. Everything is optional except a name (unless
    the form was opened from the person's page), one fact, and consent."""

    victim = forms.CharField(widget=forms.HiddenInput, required=False)

    name_latin = LimitedCharField(
        label=_("Name in Latin letters"), limit=200, required=False,
        help_text=_("As it is written in English or other languages, e.g. Mohammad Rezaei."),
    )  # fmt: skip
    name_fa = LimitedCharField(
        label=_("Name in Persian script"), limit=200, required=False,
        help_text=_("e.g. محمد رضایی"),
    )  # fmt: skip
    father_name = LimitedCharField(
        label=_("Father's name"), limit=200, required=False,
        help_text=_("It helps us tell apart people with the same name."),
    )  # fmt: skip
    gender = forms.ChoiceField(
        label=_("Gender"), required=False,
        choices=[("", _("Not given")), ("male", _("Man")), ("female", _("Woman")),
                 ("other", _("Other"))],
    )  # fmt: skip
    birth_year = forms.CharField(
        # No length limit to show: clean_birth_year takes four digits and nothing else.
        label=_("Year of birth"), required=False,
        help_text=_("In the Iranian or the Western calendar, e.g. 1340 or 1961. "
                    "Leave empty if you are not sure."),
    )  # fmt: skip

    arrest = LimitedCharField(
        label=_("Arrest: when and where"), limit=500, required=False,
        help_text=_("As much as you know, e.g. “summer 1360, at home in Tehran”."),
    )  # fmt: skip
    prison = LimitedCharField(
        label=_("Prisons where the person was held"), limit=500, required=False,
        help_text=_("e.g. Evin, Gohardasht, Qezel Hesar."),
    )  # fmt: skip
    fate = forms.ChoiceField(
        label=_("What happened to the person"), required=False,
        choices=[("", _("I don't know"))] + [c for c in Fate.choices if c[0] != Fate.UNKNOWN],
    )  # fmt: skip
    death = LimitedCharField(
        label=_("Date and place of death"), limit=500, required=False,
        help_text=_("A day, a month or a year is enough, in either calendar, e.g. "
                    "“Mordad 1367” or “August 1988”."),
    )  # fmt: skip
    burial = LimitedCharField(
        label=_("Where the person is buried"), limit=500, required=False,
        help_text=_("A cemetery, a section, a mass grave, or that the family was never told."),
    )  # fmt: skip
    account = LimitedCharField(
        label=_("What you want to tell us"), required=False,
        limit=settings.SUBMISSION_MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("In your own words, in Persian or any language. Say how you know what "
                    "you tell us (you saw it, the family was told, you read it)."),
    )  # fmt: skip
    relation = LimitedCharField(
        label=_("Your relation to the person"), limit=200, required=False,
        help_text=_("e.g. sister, son, cellmate, friend. You do not have to say."),
    )  # fmt: skip
    contact = LimitedCharField(
        label=_("How we could reach you (optional)"), limit=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if it is safe for you. It is stored encrypted and seen only by "
                    "the few researchers allowed to. Leave it empty to stay anonymous."),
    )  # fmt: skip
    attachments = forms.Field(
        label=_("Photos or scans (optional)"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif,"
                                                  "image/tiff,image/bmp"}),
    )  # fmt: skip
    photo_consent = forms.BooleanField(
        label=_("The photos I send may be shown on the person's public page."),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("I agree that the archive may use what I send as described above."),
        error_messages={
            "required": _("We can only use your information if you agree to how it will be "
                          "used. Please read the text above and tick the box.")
        },
    )  # fmt: skip
    # The honeypot: hidden from people by the stylesheet, filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )  # fmt: skip

    FACT_FIELDS = ("father_name", "birth_year", "arrest", "prison", "fate", "death", "burial",
                   "account")  # fmt: skip

    def __init__(self, *args, victim: Victim | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.linked_victim = victim
        for field in self.fields.values():
            if isinstance(field, LimitedCharField):
                # Persian or Latin, whatever the page's direction: each field follows its text.
                field.widget.attrs.setdefault("dir", "auto")
                # Beside the field, inside the text its aria-describedby points at.
                field.help_text = format_html(
                    '{} <span class="limit">{}</span>', field.help_text, field.limit_text()
                )
        if victim is None:  # a name is needed, in either script: the labels say so
            for name in ("name_latin", "name_fa"):
                self.fields[name].one_of_required = True
        self.files_were_sent = bool(self.files.getlist("attachments")) if self.files else False
        max_files = settings.SUBMISSION_MAX_FILES
        self.fields["attachments"].help_text = _(
            "Up to %(count)s pictures (JPEG, PNG, WebP, GIF, TIFF), each at most %(size)s. "
            "PDF and document files are not accepted: take a photo or a scan of each page "
            "instead. We remove from every picture the hidden details phones and cameras "
            "add (location, device, date)."
        ) % {"count": num(max_files), "size": _size(settings.SUBMISSION_MAX_FILE_BYTES)}

    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean_birth_year(self):
        """(the Gregorian year, the year as the family wrote it): a Solar Hijri year is
        kept as written beside the Gregorian year that holds most of it."""
        raw = self.cleaned_data["birth_year"].strip()
        if not raw:
            return None
        try:
            year = read_year(raw)
        except YearError:
            raise forms.ValidationError(
                _("“%(value)s” is not a year we can use. Write four digits, such as 1340 "
                  "(Iranian calendar) or 1961 (Western calendar), or leave it empty."),
                code="invalid", params={"value": _short(raw, 20)},
            ) from None  # fmt: skip
        return (year.gregorian, raw)

    def clean_attachments(self):
        uploads = [f for f in self.files.getlist("attachments") if f] if self.files else []
        max_files = settings.SUBMISSION_MAX_FILES
        if len(uploads) > max_files:
            raise forms.ValidationError(
                _("You chose %(count)s files, but at most %(max)s can be sent at once. Choose "
                  "the most important ones; you can send the others in a second submission."),
                code="too_many", params={"count": num(len(uploads)), "max": num(max_files)},
            )  # fmt: skip
        max_bytes = settings.SUBMISSION_MAX_FILE_BYTES
        budget = PixelBudget(
            getattr(settings, "SUBMISSION_MAX_REQUEST_PIXELS", DEFAULT_REQUEST_PIXELS)
        )
        keep_side = getattr(settings, "SUBMISSION_KEEP_SIDE", DEFAULT_KEEP_SIDE)
        images, errors = [], []
        for upload in uploads:
            name = _short(upload.name)
            if getattr(upload, "oversized", False) or upload.size > max_bytes:
                errors.append(forms.ValidationError(
                    _("“%(name)s” is larger than %(max)s, the most one file may be. Send a "
                      "smaller photo (phones can share a picture in a smaller size)."),
                    code="too_big", params={"name": name, "max": _size(max_bytes)},
                ))  # fmt: skip
                continue
            if upload.size == 0:
                errors.append(forms.ValidationError(
                    _("“%(name)s” is empty."), code="empty", params={"name": name}))  # fmt: skip
                continue
            try:
                images.append(clean_image(
                    upload, max_pixels=settings.SUBMISSION_MAX_IMAGE_PIXELS,
                    keep_side=keep_side, budget=budget,
                ))  # fmt: skip
            except AttachmentError as exc:
                message = ATTACHMENT_MESSAGES[exc.code]
                errors.append(forms.ValidationError(message, code=exc.code, params={"name": name}))
                if exc.code == "over_budget":
                    break  # the budget is spent: the files after it are not decoded either
        if errors:
            raise forms.ValidationError(errors)
        return images

    def clean(self):
        data = super().clean()
        if self.linked_victim is None and not (data.get("name_latin") or data.get("name_fa")):
            first = "name_fa" if (get_language() or "").startswith("fa") else "name_latin"
            self.add_error(
                first, _("Write the person's name, in Persian or Latin letters (or both).")
            )
        told_something = any(data.get(f) for f in self.FACT_FIELDS) or data.get("attachments")
        # A fact that was given but refused (too long, not a year) already has its message.
        refused = any(name in self.errors for name in (*self.FACT_FIELDS, "attachments"))
        if not told_something and not refused:
            self.add_error(
                "account",
                _("Tell us at least one thing about the person or what happened: write it "
                  "here, or fill in one of the fields above, or send a photo."),
            )  # fmt: skip
        return data


ATTACHMENT_MESSAGES = {
    "pdf": _("“%(name)s” is a PDF file. PDF files are not accepted because they can carry "
             "hidden details about who made them: please send a photo or a scan of each "
             "page instead."),
    "archive": _("“%(name)s” is a document or archive file (such as Word or ZIP). Only "
                 "pictures are accepted: please send a photo or a scan instead."),
    "not_image": _("“%(name)s” is not a picture we can open. It may be damaged, or in a "
                   "format such as HEIC: please send it as JPEG or PNG."),
    "too_many_pixels": _("“%(name)s” has too many pixels for us to process. Please send "
                         "a smaller version of the picture."),
    "over_budget": _("Together with the pictures before it, “%(name)s” is more than we "
                     "can process in one submission, so it and any pictures after it were "
                     "not read. Send them in a second submission, or send smaller "
                     "versions."),
}  # fmt: skip


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"), max_length=40,
        help_text=_("The code you were given after sending, e.g. 7KQ2-M9XD-4TPR-HW3N."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}),
    )  # fmt: skip

    def clean_code(self):
        code = receipts.normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _(
                    "This is not a receipt code: a code has 16 letters and digits, in four "
                    "groups of four."
                ),
                code="invalid",
            )
        return code
