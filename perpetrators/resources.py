"""Perpetrators, their commission memberships and their careers, for import and export
(admin screens and commands alike); ``docs/data-dictionary.md`` is generated from them.

Three files, three resources, each usable alone:

- ``perpetrators``: one row per person, keyed by ``ref``;
- ``memberships``: one row per seat on a Death Commission, keyed by the triple
  ``perpetrator`` (ref) + ``commission`` (slug) + ``role``, so a membership file can be
  imported again to update dates without making a second seat;
- ``positions``: one row per post in a career, keyed by ``id`` (blank for a new post),
  with the perpetrator named by ref.

Import perpetrators before their memberships and positions: a membership or position that
names an unknown ref is refused.
"""

from archive.core.importing import (
    ArchiveResource,
    ChoiceWidget,
    Column,
    IdKeyedResource,
    IdWidget,
    NamedRecordWidget,
    PartialDateColumn,
    SlugWidget,
    TextWidget,
    biography_column,
    cell_text,
    person_columns,
    status_column,
)
from archive.core.models import Organisation
from perpetrators.models import Commission, CommissionMembership, Perpetrator, Position, Role


class PerpetratorResource(ArchiveResource):
    noun = "perpetrators"
    required_columns = ("ref", ("name_latin", "name_fa"))

    locals().update(person_columns("P-0001"))
    biography = biography_column()
    publication_status = status_column()

    def possible_matches(self, rows, *, read=1.0):
        """New rows that are probably officials already in the archive
        (``perpetrators.dedupe``), for ``--on-match``. (Every official is read at once,
        whatever share of the file is ``read``.)"""
        from perpetrators.dedupe import import_matches

        # The archive's officials are read and blocked once per import, not once per batch.
        found, self._matcher = import_matches(rows, matcher=getattr(self, "_matcher", None))
        return found

    class Meta:
        model = Perpetrator
        fields = (
            "ref", "name_latin", "name_fa", "aliases", "father_name", "gender", "birth_year",
            "biography", "publication_status",
        )  # fmt: skip
        import_id_fields = ("ref",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


def perpetrator_column() -> Column:
    return Column(
        attribute="perpetrator", column_name="perpetrator", kind="perpetrator ref",
        widget=SlugWidget(Perpetrator, noun="perpetrator", field="ref", required=True),
        required=True,
        meaning="The perpetrator, by ref (import the perpetrators first).",
        allowed="The ref of an existing perpetrator.", example="P-0001",
    )  # fmt: skip


class MembershipResource(ArchiveResource):
    noun = "memberships"
    required_columns = ("perpetrator", "commission")
    key_column = "perpetrator+commission+role"

    perpetrator = perpetrator_column()
    commission = Column(
        attribute="commission", column_name="commission", kind="commission slug",
        widget=SlugWidget(Commission, noun="commission", required=True), required=True,
        meaning="The commission the person sat on, by slug.",
        allowed="The slug of an existing commission.", example="death-commissions-1988",
    )  # fmt: skip
    role = Column(
        attribute="role", column_name="role", kind="choice",
        widget=ChoiceWidget(Role.choices, blank=Role.MEMBER),
        meaning="The seat the person held; with perpetrator and commission, the import key.",
        allowed=", ".join(Role.values) + "; blank means member (role not stated).",
        example="prosecutor",
    )  # fmt: skip
    start_date = PartialDateColumn("start_date", meaning="Sat on it from.", example="1988-07")
    end_date = PartialDateColumn("end_date", meaning="Sat on it until.", example="1988-09")

    class Meta:
        model = CommissionMembership
        fields = ("perpetrator", "commission", "role", "start_date", "end_date")
        import_id_fields = ("perpetrator", "commission", "role")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def row_key(self, row):
        role = cell_text(row.get("role", "")).lower() or Role.MEMBER
        return "|".join(
            (cell_text(row.get("perpetrator", "")), cell_text(row.get("commission", "")), role)
        )

    def existing(self, keys):
        refs = {k.split("|")[0] for k in keys}
        found = {}
        for m in CommissionMembership.objects.filter(perpetrator__ref__in=refs).select_related(
            "perpetrator", "commission"
        ):
            found[f"{m.perpetrator.ref}|{m.commission.slug}|{m.role}"] = m
        return found

    def export_queryset(self):
        return CommissionMembership.objects.select_related("perpetrator", "commission").order_by(
            "perpetrator__ref", "commission__slug", "role"
        )


class PositionResource(IdKeyedResource):
    noun = "positions"
    required_columns = ("perpetrator", ("title_en", "title_fa"))

    id = Column(
        attribute="id", column_name="id", widget=IdWidget(), kind="whole number",
        meaning="The position's number in the archive; the import key: a known id updates "
        "that position, a blank one creates a position.",
        allowed="Blank, or a whole number; each id once per file.", example="7",
    )  # fmt: skip
    perpetrator = perpetrator_column()
    title_en = Column(
        attribute="title_en", column_name="title_en", widget=TextWidget(),
        meaning="Title of the post in English.", allowed="Up to 250 characters; either title "
        "may be blank, not both.", example="Head of the Judiciary",
    )  # fmt: skip
    title_fa = Column(
        attribute="title_fa", column_name="title_fa", widget=TextWidget(),
        meaning="Title of the post in Persian.", allowed="Up to 250 characters.",
        example="رئیس قوه قضاییه",
    )  # fmt: skip
    organisation = Column(
        attribute="organisation", column_name="organisation", kind="organisation name",
        widget=NamedRecordWidget(Organisation, noun="organisation", create_kind="state"),
        meaning="The body the post belongs to.",
        allowed="An organisation's name (either script) or abbreviation. A new name creates "
        "a state body (listed in the import report); a name close to a known one is refused.",
        example="Judiciary of the Islamic Republic of Iran",
    )  # fmt: skip
    start_date = PartialDateColumn("start_date", meaning="Held from.", example="2019-03")
    end_date = PartialDateColumn("end_date", meaning="Held until; blank if still held.",
                                 example="2021")  # fmt: skip
    as_of = Column(
        attribute="as_of", column_name="as_of", widget=TextWidget(),
        meaning="When dates are unknown: when the source says the post was held.",
        allowed="Up to 120 characters.", example="as of 2017",
    )  # fmt: skip
    as_of_fa = Column(
        attribute="as_of_fa", column_name="as_of_fa", widget=TextWidget(),
        meaning="The same in Persian, for the Persian pages.",
        allowed="Up to 120 characters.", example="از ۲۰۱۷",
    )  # fmt: skip

    class Meta:
        model = Position
        fields = (
            "id", "perpetrator", "title_en", "title_fa", "organisation", "start_date",
            "end_date", "as_of", "as_of_fa",
        )  # fmt: skip
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def export_queryset(self):
        return Position.objects.select_related("perpetrator", "organisation").order_by("pk")
