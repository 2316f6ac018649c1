"""The victims' columns for import and export, shared by the admin's import/export
screens and the ``import_records`` / ``export_records`` commands (see archive.core.importing).
``docs/data-dictionary.md`` is generated from these definitions."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from import_export import widgets

from archive.core.digits import ascii_digits
from archive.core.importing import (
    ArchiveResource,
    ChoiceWidget,
    Column,
    NamedRecordWidget,
    PartialDateColumn,
    SlugWidget,
    TextWidget,
    cell_text,
    person_columns,
    status_column,
)
from archive.core.models import Event, Organisation, Place
from perpetrators.models import Commission
from victims.models import FamilyRelation, Fate, Victim
from victims.person import Answer, CivilStatus, Ethnicity, Occupation, Religion
from victims.relations import SYNONYMS, Kind, inverse

MOST_CHILDREN = 40


class CountWidget(widgets.IntegerWidget):
    """A number of children: a whole number from 0 (any digits); blank when unknown."""

    def clean(self, value, row=None, **kwargs):
        text = ascii_digits(cell_text(value))
        if not text:
            return None
        if not text.isdigit() or int(text) > MOST_CHILDREN:
            raise ValueError(
                _("'%(v)s' is not a number of children (a whole number from 0 to %(most)s; "
                  "blank when unknown)") % {"v": text, "most": MOST_CHILDREN}
            )  # fmt: skip
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def _vocabulary(choices) -> str:
    return ", ".join(str(value) for value, _label in choices)


def _choice_column(name, choices, *, meaning, example, blank="", unknown="blank when unknown"):
    return Column(
        attribute=name, column_name=name, kind="choice",
        widget=ChoiceWidget(choices, blank=blank), meaning=meaning,
        allowed=f"{_vocabulary(choices)} (or their English or Persian labels); {unknown}.",
        example=example,
    )  # fmt: skip


def _text_column(name, *, meaning, example, length=None):
    allowed = f"Up to {length} characters." if length else "Free text; line breaks are kept."
    return Column(
        attribute=name, column_name=name, widget=TextWidget(), meaning=meaning,
        allowed=allowed, example=example,
    )  # fmt: skip


class VictimResource(ArchiveResource):
    noun = "victims"
    required_columns = ("ref", ("name_latin", "name_fa"))

    locals().update(person_columns("V-0001"))
    affiliation = Column(
        attribute="affiliation", column_name="affiliation", kind="organisation name",
        widget=NamedRecordWidget(Organisation, noun="organisation", create_kind="political"),
        meaning="Political organisation the person was said to belong to or support.",
        allowed="An organisation's name (either script) or abbreviation. A new name creates "
        "the organisation (listed in the import report); a name close to a known one "
        "(a likely misspelling) is refused.",
        example="People's Mojahedin Organization of Iran",
    )  # fmt: skip
    arrest_date = PartialDateColumn("arrest_date", meaning="Date of arrest.", example="1981-09")
    prison = Column(
        attribute="prison", column_name="prison", kind="prison name",
        widget=NamedRecordWidget(Place, noun="prison", kinds=["prison"], create_kind="prison"),
        meaning="Prison where the person was held last.",
        allowed="A prison's name in either script ('Evin' finds 'Evin Prison'). A new name "
        "creates the prison (listed in the import report); a name close to a known one "
        "(a likely misspelling) is refused with the close names.",
        example="Evin Prison",
    )  # fmt: skip
    fate = Column(
        attribute="fate", column_name="fate", kind="choice",
        widget=ChoiceWidget(Fate.choices, blank=Fate.UNKNOWN),
        meaning="What happened to the person.",
        allowed=", ".join(Fate.values) + "; blank means unknown.",
        example="executed",
    )  # fmt: skip
    death_date = PartialDateColumn(
        "death_date", meaning="Date of death (of execution, for the executed).",
        example="1988-08",
    )  # fmt: skip
    death_place = Column(
        attribute="death_place", column_name="death_place", kind="place name",
        widget=NamedRecordWidget(Place, noun="place", create_kind="other"),
        meaning="Where the person died (a prison, a city).",
        allowed="A place's name in either script; new names are created as for prison.",
        example="Gohardasht Prison",
    )  # fmt: skip
    burial_place = Column(
        attribute="burial_place", column_name="burial_place", kind="place name",
        widget=NamedRecordWidget(Place, noun="place", create_kind="cemetery"),
        meaning="Cemetery or mass grave, where known.",
        allowed="A place's name in either script; new names are created as cemeteries.",
        example="Khavaran",
    )  # fmt: skip
    event = Column(
        attribute="event", column_name="event", kind="event slug",
        widget=SlugWidget(Event, noun="event"),
        meaning="The mass killing or crackdown the person is linked to.",
        allowed="The slug of an existing event (events are never created by an import).",
        example="1988-massacre",
    )  # fmt: skip
    commission = Column(
        attribute="commission", column_name="commission", kind="commission slug",
        widget=SlugWidget(Commission, noun="commission"),
        meaning="The Death Commission that decided the person's fate, where a source says so.",
        allowed="The slug of an existing commission (never created by an import).",
        example="death-commissions-1988",
    )  # fmt: skip
    birth_place = Column(
        attribute="birth_place", column_name="birth_place", kind="place name",
        widget=NamedRecordWidget(Place, noun="place", create_kind="city"),
        meaning="Where the person was born (a city or a village).",
        allowed="A place's name in either script; a new name is created as a city (listed "
        "in the import report); a name close to a known one is refused.",
        example="Rasht",
    )  # fmt: skip
    occupation = _choice_column(
        "occupation", Occupation.choices, example="teacher",
        meaning="The group the person's work belongs to (the detail goes in the biography).",
    )  # fmt: skip
    education_en = _text_column(
        "education_en", length=250, example="Third-year student of physics",
        meaning="Education, as a source gives it, in English.",
    )  # fmt: skip
    education_fa = _text_column(
        "education_fa", length=250, example="دانشجوی سال سوم فیزیک",
        meaning="The same in Persian.",
    )  # fmt: skip
    religion = _choice_column(
        "religion", Religion.choices, example="bahai", meaning="Religion, as sources give it."
    )
    ethnicity = _choice_column(
        "ethnicity", Ethnicity.choices, example="kurdish", meaning="Ethnicity, as sources give it."
    )
    civil_status = _choice_column(
        "civil_status", CivilStatus.choices, example="married",
        meaning="Civil status at the time of death.",
    )  # fmt: skip
    children = Column(
        attribute="children", column_name="children", kind="whole number",
        widget=CountWidget(), meaning="How many children the person had.",
        allowed=f"A whole number from 0 to {MOST_CHILDREN}, any digits; 0 when a source says "
        "none, blank when unknown.", example="2",
    )  # fmt: skip
    family_told_date = PartialDateColumn(
        "family_told_date", meaning="When the family was told of the death.", example="1988-11"
    )
    family_told_how_en = _text_column(
        "family_told_how_en", example="Called to the prison and handed his bag",
        meaning="How the family was told (by whom, where, in which words), in English.",
    )  # fmt: skip
    family_told_how_fa = _text_column(
        "family_told_how_fa", example="به زندان احضار شدند و ساکش را به آنان دادند",
        meaning="The same in Persian.",
    )  # fmt: skip
    body_returned = _choice_column(
        "body_returned", Answer.choices, blank=Answer.UNKNOWN, example="no",
        unknown="blank means unknown", meaning="Whether the body was returned to the family.",
    )  # fmt: skip
    belongings_returned = _choice_column(
        "belongings_returned", Answer.choices, blank=Answer.UNKNOWN, example="yes",
        unknown="blank means unknown",
        meaning="Whether the person's belongings were returned to the family.",
    )  # fmt: skip
    burial_known = _choice_column(
        "burial_known", Answer.choices, blank=Answer.UNKNOWN, example="no",
        unknown="blank means unknown",
        meaning="Whether the family knows where the person is buried.",
    )  # fmt: skip
    grave_en = _text_column(
        "grave_en", example="Relatives visiting the site were detained",
        meaning="Visits to the grave and harassment there, in English.",
    )  # fmt: skip
    grave_fa = _text_column(
        "grave_fa", example="بستگانی که به آنجا رفتند بازداشت شدند",
        meaning="The same in Persian.",
    )  # fmt: skip
    biography = Column(
        attribute="biography", column_name="biography", widget=TextWidget(),
        meaning="Attributed statements only; [src:ID] places a footnote to a cited source.",
        allowed="Free text; line breaks are kept.",
        example="Arrested in 1981 for selling a newspaper, according to [src:3].",
    )  # fmt: skip
    publication_status = status_column()

    def prepare_possible_matches(self, *, until=None):
        from victims.dedupe import refresh_stored_keys

        refresh_stored_keys(until=until)
        self._fresh = True

    def possible_matches(self, rows, *, read=1.0):
        """New rows that are probably victims already in the archive (``victims.dedupe``)."""
        from victims.dedupe import import_matches

        # The archive's people are read and blocked once per import, not once per batch.
        found, self._matcher = import_matches(
            rows,
            matcher=getattr(self, "_matcher", None),
            fresh=getattr(self, "_fresh", False),
            read=read,
        )
        return found

    class Meta:
        model = Victim
        fields = (
            "ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year",
            "affiliation", "arrest_date", "prison", "fate", "death_date", "death_place",
            "burial_place", "event", "commission", "birth_place", "occupation", "education_en",
            "education_fa", "religion", "ethnicity", "civil_status", "children",
            "family_told_date", "family_told_how_en", "family_told_how_fa", "body_returned",
            "belongings_returned", "burial_known", "grave_en", "grave_fa", "biography",
            "publication_status",
        )  # fmt: skip
        import_id_fields = ("ref",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


# --- Family relations ----------------------------------------------------------------------


class VictimRefWidget(widgets.ForeignKeyWidget):
    """A victim by ref: the refs of a batch are read in one query (``remember``), others
    one by one; never created by the import."""

    def __init__(self):
        super().__init__(Victim, field="ref")
        self.known: dict[str, Victim] = {}

    def remember(self, victims) -> None:
        self.known.update({victim.ref: victim for victim in victims})

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(_("is empty; give a victim's ref"))
        found = self.known.get(text)
        if found is None:
            found = Victim.objects.filter(ref__iexact=text).first()
            if found is None:
                raise ValueError(
                    _("no victim with the ref '%(v)s' (import the victims first)") % {"v": text}
                )
            self.known[text] = found
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.ref


class KindWidget(ChoiceWidget):
    """A relation by its value, its label in English or Persian, or a gendered word
    (father, mother, brother, «پدر», «خواهر»…)."""

    def __init__(self):
        super().__init__(Kind.choices, required=True)
        self.lookup.update({word.lower(): kind for word, kind in SYNONYMS.items()})


def _ref_column(name, *, meaning, example):
    return Column(
        attribute=name.replace("_ref", "_victim"), column_name=name, kind="victim ref",
        widget=VictimRefWidget(), required=True, meaning=meaning,
        allowed="The ref of a victim in the archive (or imported before this file).",
        example=example,
    )  # fmt: skip


class RelationResource(ArchiveResource):
    """One row per relation: ``from_ref`` is the ``relation`` of ``to_ref`` ("V-0001,
    parent, V-0002": V-0001 is V-0002's parent). Keyed by the two people, whichever way
    round: a pair given twice in a file is refused, and a pair already related is updated
    (a row that gives it the other way round, "V-0002, child, V-0001", changes nothing).
    Two people are related once (``victims.relations``)."""

    noun = "relations"
    key_column = "from_ref+to_ref"
    required_columns = ("from_ref", "relation", "to_ref")

    from_ref = _ref_column(
        "from_ref", example="V-0001",
        meaning="The first person, by ref: the parent, child, sibling or spouse of the second.",
    )  # fmt: skip
    relation = Column(
        attribute="kind", column_name="relation", kind="choice", widget=KindWidget(),
        required=True, meaning="What the first person is to the second.",
        allowed=f"{_vocabulary(Kind.choices)}; their Persian names, and words such as father, "
        "mother, brother, sister, wife, husband (پدر، مادر، برادر، خواهر، همسر) are read as "
        "these.", example="parent",
    )  # fmt: skip
    to_ref = _ref_column("to_ref", example="V-0002", meaning="The second person, by ref.")

    class Meta:
        model = FamilyRelation
        fields = ("from_ref", "relation", "to_ref")
        import_id_fields = ("from_ref", "to_ref")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def row_key(self, row) -> str:
        refs = sorted(cell_text(row.get(name, "")) for name in ("from_ref", "to_ref"))
        return "|".join(refs) if all(refs) else ""

    def existing(self, keys):
        refs = {ref for key in keys for ref in key.split("|")}
        victims = list(Victim.objects.filter(ref__in=refs))
        for name in ("from_ref", "to_ref"):
            self.fields[name].widget.remember(victims)
        ids = [victim.pk for victim in victims]
        found = {}
        relations = FamilyRelation.objects.filter(
            Q(from_victim__in=ids) | Q(to_victim__in=ids)
        ).select_related("from_victim", "to_victim")
        for relation in relations:
            key = "|".join(sorted((relation.from_victim.ref, relation.to_victim.ref)))
            found[key] = relation
        return found

    def import_instance(self, instance, row, where=None, **kwargs):
        """A row that names a known relation the other way round is read as it is
        stored ("B child A" of "A parent B"), so that it changes nothing."""
        if instance.pk is not None and cell_text(row.get("from_ref", "")) == instance.to_victim.ref:
            try:
                kind = self.fields["relation"].widget.clean(row.get("relation", ""))
            except ValueError:
                kind = None  # the cell's error is reported by its column
            if kind is not None:
                row = {**row, "from_ref": row.get("to_ref", ""), "to_ref": row.get("from_ref", ""),
                       "relation": inverse(kind)}  # fmt: skip
        super().import_instance(instance, row, where=where, **kwargs)

    def export_queryset(self):
        return FamilyRelation.objects.select_related("from_victim", "to_victim").order_by(
            "from_victim__ref", "to_victim__ref"
        )
