"""The victims' columns for import and export, shared by the admin's import/export
screens and the ``import_records`` / ``export_records`` commands (see archive.core.importing).
``docs/data-dictionary.md`` is generated from these definitions."""

from archive.core.importing import (
    ArchiveResource,
    ChoiceWidget,
    Column,
    NamedRecordWidget,
    PartialDateColumn,
    SlugWidget,
    TextWidget,
    person_columns,
    status_column,
)
from archive.core.models import Event, Organisation, Place
from perpetrators.models import Commission
from victims.models import Fate, Victim


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
    biography = Column(
        attribute="biography", column_name="biography", widget=TextWidget(),
        meaning="Attributed statements only; [src:ID] places a footnote to a cited source.",
        allowed="Free text; line breaks are kept.",
        example="Arrested in 1981 for selling a newspaper, according to [src:3].",
    )  # fmt: skip
    publication_status = status_column()

    def possible_matches(self, rows):
        """New rows that are probably victims already in the archive (``victims.dedupe``)."""
        from victims.dedupe import import_matches

        # The archive's people are read and blocked once per import, not once per batch.
        found, self._matcher = import_matches(rows, matcher=getattr(self, "_matcher", None))
        return found

    class Meta:
        model = Victim
        fields = (
            "ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year",
            "affiliation", "arrest_date", "prison", "fate", "death_date", "death_place",
            "burial_place", "event", "commission", "biography", "publication_status",
        )  # fmt: skip
        import_id_fields = ("ref",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
