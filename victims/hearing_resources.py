"""Hearings for import and export (``import_records hearings FILE``): one row per hearing,
keyed by ``id`` (blank for a new hearing), its victim by ref, its officials in one cell
("P-0001 (religious judge); P-0002 (prosecutor)"), its charge categories in another.

Import the victims and the perpetrators first: a row naming an unknown ref, role, place,
commission or category is refused by its row and column. With ``--source`` every filled
cell is cited to that source ("row N"), the officials' cell citing each official's seat.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from archive.core.importing import (
    ChoiceWidget,
    Column,
    IdKeyedResource,
    IdWidget,
    NamedRecordWidget,
    PartialDateColumn,
    SlugWidget,
    TextWidget,
    cell_text,
    create_with_history,
)
from archive.core.importing.widgets import BooleanWordWidget
from archive.core.models import Place, history_user
from perpetrators.models import Commission, Perpetrator, Role
from victims.hearings import ChargeCategory, Hearing, HearingOfficial
from victims.models import Victim

PERSIAN = re.compile(r"[\u0600-\u06ff]")
# "P-0001 (religious judge)", "P-0001 (قاضی شرع)", or a ref alone (role not stated).
SEAT = re.compile(r"^(?P<ref>[^()]+?)\s*(?:\((?P<role>[^()]*)\))?$")


def _fold(text: str) -> str:
    return " ".join(str(text).casefold().split())


class BodyColumn(Column):
    """A commission (by slug or name, either script) or, when none matches, a court's
    name (stored in the script it is written in)."""

    def __init__(self):
        super().__init__(
            attribute="commission", column_name="body", widget=TextWidget(), kind="body",
            meaning="Before whom the hearing was held: a Death Commission or a court.",
            allowed="A commission's slug or name (either script); any other text is the name "
            "of a court, kept in the script it is written in.",
            example="Revolutionary Court of Tehran",
        )  # fmt: skip
        self._known = None
        self.also_sets = ("court_en", "court_fa")

    def _commissions(self) -> dict:
        if self._known is None:
            self._known = {}
            for commission in Commission.objects.all():
                for name in (commission.slug, commission.name_en, commission.name_fa):
                    if name:
                        self._known.setdefault(_fold(name), commission)
        return self._known

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = cell_text(row.get(self.column_name, ""))
        instance.commission = self._commissions().get(_fold(text)) if text else None
        instance.court_en = instance.court_fa = ""
        if text and instance.commission is None:
            if len(text) > 250:
                raise ValueError(_("a court's name is at most 250 characters"))
            setattr(instance, "court_fa" if PERSIAN.search(text) else "court_en", text)

    def export(self, instance, **kwargs):
        if instance.commission_id:
            return instance.commission.slug
        return instance.court_en or instance.court_fa


class OfficialsColumn(Column):
    """Officials in one cell: refs with their roles, separated by ';'."""

    def __init__(self):
        super().__init__(
            attribute="official_seats", column_name="officials", widget=TextWidget(),
            kind="officials",
            meaning="The officials present and their roles; with --source, each seat is cited.",
            allowed="Perpetrators' refs, each followed by its role in brackets, separated by "
            "';'. Roles: " + ", ".join(Role.values) + " (or their names in English or "
            "Persian); a ref without a role is a member (role not stated). Import the "
            "perpetrators first.",
            example="P-0001 (religious judge); P-0002 (prosecutor)",
        )  # fmt: skip
        self.roles = ChoiceWidget(Role.choices, blank=Role.MEMBER)
        self._known = None

    def _perpetrators(self, refs) -> dict:
        if self._known is None:
            self._known = {}
        wanted = {r.casefold() for r in refs} - set(self._known)
        if wanted:
            for person in Perpetrator.objects.filter(
                ref__in=[r for r in refs if r.casefold() in wanted]
            ):
                self._known[person.ref.casefold()] = person
        return self._known

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = cell_text(row.get(self.column_name, ""))
        parts = [p.strip() for p in re.split(r"[;؛\n]+", text) if p.strip()]
        seats, problems = [], []
        parsed = []
        for part in parts:
            match = SEAT.match(part)
            if not match:
                problems.append(_("'%(v)s' is not a ref with a role in brackets") % {"v": part})
                continue
            parsed.append((part, match.group("ref").strip(), match.group("role") or ""))
        known = self._perpetrators([ref for _part, ref, _role in parsed])
        for _part, ref, role_text in parsed:
            person = known.get(ref.casefold())
            if person is None:
                problems.append(_("no perpetrator with the ref '%(ref)s'") % {"ref": ref})
                continue
            try:
                role = self.roles.clean(role_text)
            except ValueError as exc:
                problems.append(_("the role of %(ref)s: %(why)s") % {"ref": ref, "why": exc})
                continue
            if (person.pk, role) in {(p.pk, r) for p, r in seats}:
                problems.append(
                    _("%(ref)s is listed twice as %(role)s") % {"ref": ref, "role": role}
                )
                continue
            seats.append((person, role))
        if problems:
            raise ValueError("; ".join(problems))
        instance._import_officials = seats

    def export(self, instance, **kwargs):
        with override("en"):
            return "; ".join(
                f"{seat.perpetrator.ref} ({seat.get_role_display()})"
                for seat in instance.officials.all()
            )


class CategoriesColumn(Column):
    """Charge categories by slug or name, separated by ';'."""

    def __init__(self):
        super().__init__(
            attribute="category_names", column_name="charge_categories", widget=TextWidget(),
            kind="charge categories",
            meaning="The legal categories of the charges as stated (for the statistics); cited "
            "with the charges.",
            allowed="Slugs or names (English or Persian) of charge categories, separated by ';' "
            "(the admin lists them: moharebeh, apostasy, efsad, baghy, membership, "
            "propaganda, national-security, espionage, other).",
            example="moharebeh; membership",
        )  # fmt: skip
        self._known = None

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self._known is None:
            self._known = {}
            for category in ChargeCategory.objects.all():
                for name in (category.slug, category.name_en, category.name_fa):
                    self._known.setdefault(_fold(name), category)
        text = cell_text(row.get(self.column_name, ""))
        found, unknown = [], []
        for part in (p.strip() for p in re.split(r"[;؛\n]+", text)):
            if part:
                category = self._known.get(_fold(part))
                (unknown.append(part) if category is None else found.append(category))
        if unknown:
            raise ValueError(
                _("no charge category %(names)s; known: %(known)s")
                % {
                    "names": ", ".join(f"'{n}'" for n in unknown),
                    "known": ", ".join(sorted({c.slug for c in self._known.values()})),
                }
            )
        instance._import_categories = found

    def export(self, instance, **kwargs):
        return "; ".join(c.slug for c in instance.charge_categories.all())


def _text(attribute: str, column: str, meaning: str, example: str) -> Column:
    return Column(
        attribute=attribute, column_name=column, widget=TextWidget(), meaning=meaning,
        allowed="Free text" + (" in Persian." if column.endswith("_fa") else "."),
        example=example,
    )  # fmt: skip


class HearingResource(IdKeyedResource):
    noun = "hearings"
    required_columns = ("victim",)

    id = Column(
        attribute="id", column_name="id", widget=IdWidget(), kind="whole number",
        meaning="The hearing's number in the archive; the import key: a known id updates "
        "that hearing, a blank one creates a hearing.",
        allowed="Blank, or a whole number; each id once per file.", example="12",
    )  # fmt: skip
    victim = Column(
        attribute="victim", column_name="victim", kind="victim ref", required=True,
        widget=SlugWidget(Victim, noun="victim", field="ref", required=True),
        meaning="The victim heard, by ref (import the victims first).",
        allowed="The ref of an existing victim.", example="V-0001",
    )  # fmt: skip
    date = PartialDateColumn("date", meaning="Date of the hearing.", example="1988-08")
    place = Column(
        attribute="place", column_name="place", kind="place name",
        widget=NamedRecordWidget(Place, noun="place"),
        meaning="The prison or city where the hearing was held.",
        allowed="The name of a place already in the archive, in either script (an unknown "
        "name is refused: add the place first).",
        example="Evin Prison",
    )  # fmt: skip
    body = BodyColumn()
    officials = OfficialsColumn()
    charges = _text("charges_en", "charges", "The charges as the source states them.",
                    "Membership of an outlawed organisation")  # fmt: skip
    charges_fa = _text("charges_fa", "charges_fa", "The charges, in Persian.", "عضویت")
    charge_categories = CategoriesColumn()
    questions = _text("questions_en", "questions", "The questions asked, where known.",
                      "Are you still a supporter of the organisation?")  # fmt: skip
    questions_fa = _text("questions_fa", "questions_fa", "The questions, in Persian.", "")
    decision = _text("decision_en", "decision", "The decision, as the source states it.",
                     "Sentenced to death")  # fmt: skip
    decision_fa = _text("decision_fa", "decision_fa", "The decision, in Persian.", "")
    sentence = _text("sentence_en", "sentence", "The sentence, as the source states it.",
                     "Ten years' imprisonment")  # fmt: skip
    sentence_fa = _text("sentence_fa", "sentence_fa", "The sentence, in Persian.", "")
    sentence_overridden = Column(
        attribute="sentence_overridden", column_name="sentence_overridden", kind="yes or no",
        widget=BooleanWordWidget(),
        meaning="Whether a later decision overrode the sentence (a prison term cut short by "
        "the 1988 killings).",
        allowed="yes or no (blank: no).", example="yes",
    )  # fmt: skip

    class Meta:
        model = Hearing
        fields = (
            "id", "victim", "date", "place", "body", "officials", "charges", "charges_fa",
            "charge_categories", "questions", "questions_fa", "decision", "decision_fa",
            "sentence", "sentence_fa", "sentence_overridden",
        )  # fmt: skip
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def export_queryset(self):
        qs = Hearing.objects.select_related("victim", "place", "commission").order_by("pk")
        if not self.acting_user.has_perm("victims.change_hearing"):
            qs = qs.public()
        return qs.prefetch_related(
            "charge_categories",
            models.Prefetch(
                "officials", queryset=HearingOfficial.objects.select_related("perpetrator")
            ),
        )

    def import_instance(self, instance, row, where=None, **kwargs):
        instance._import_where = where
        super().import_instance(instance, row, where=where, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """A hearing on a published victim's page must come cited to a published source."""
        errors = dict(import_validation_errors or {})
        victim = instance.victim if instance.victim_id else None
        if victim is not None and victim.is_published and not errors:
            source = self.source
            if source is None or source.publication_status != "published":
                errors["__all__"] = [
                    ValidationError(
                        _(
                            "victim %(ref)s is published: a hearing added to its page must be "
                            "cited; import with --source ID of a published source"
                        )
                        % {"ref": victim.ref}
                    )
                ]
        super().validate_instance(instance, errors, validate_unique)

    def after_bulk_write(self, created: list, updated: list) -> None:
        """The officials' seats (and their citations) and the categories of each row."""
        from sources.models import Citation

        account = history_user(self.user)
        now = timezone.now()
        hearings = [*created, *updated]
        existing = set(
            HearingOfficial.objects.filter(hearing__in=[h.pk for h in updated]).values_list(
                "hearing_id", "perpetrator_id", "role"
            )
        )
        seats, where_of = [], {}
        for hearing in hearings:
            for person, role in getattr(hearing, "_import_officials", []):
                if (hearing.pk, person.pk, role) in existing:
                    continue
                seat = HearingOfficial(hearing=hearing, perpetrator=person, role=role)
                seats.append(seat)
                where_of[id(seat)] = hearing._import_where
        if seats:
            create_with_history(
                seats, HearingOfficial, db=Hearing.objects.db, user=account,
                reason=self.change_reason(), when=now,
            )  # fmt: skip
            if self.source is not None:
                if any(s.pk is None for s in seats):  # a database that returns no ids
                    seats = list(
                        HearingOfficial.objects.filter(hearing__in=[h.pk for h in hearings])
                    )
                citations = [
                    Citation(
                        content_object=seat,
                        source=self.source,
                        claim="general",
                        locator=(where_of.get(id(seat)) or "")[:200],
                    )
                    for seat in seats
                ]
                create_with_history(
                    citations, Citation, db=Hearing.objects.db, user=account,
                    reason=self.change_reason(), when=now,
                )  # fmt: skip
        through = Hearing.charge_categories.through
        with_categories = [h for h in hearings if hasattr(h, "_import_categories")]
        if with_categories:
            through.objects.filter(hearing_id__in=[h.pk for h in with_categories]).delete()
            through.objects.bulk_create(
                through(hearing_id=h.pk, chargecategory_id=c.pk)
                for h in with_categories
                for c in h._import_categories
            )
