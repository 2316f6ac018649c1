"""The sources' columns for import and export (admin screens and commands alike);
``docs/data-dictionary.md`` is generated from them. Sources have no ref: the ``id``
column is the key (blank for a new source)."""

from archive.core.importing import (
    BooleanWordWidget,
    ChoiceWidget,
    Column,
    IdKeyedResource,
    IdWidget,
    IsoDateWidget,
    PartialDateColumn,
    TextWidget,
)
from archive.core.models import PublicationStatus
from sources.models import Source


class SourceResource(IdKeyedResource):
    noun = "sources"
    required_columns = ("title", "kind")

    id = Column(
        attribute="id", column_name="id", widget=IdWidget(), kind="whole number",
        meaning="The source's number in the archive (its page is /sources/<id>/); the import "
        "key: a known id updates that source, a blank one creates a source.",
        allowed="Blank, or a whole number; each id once per file.",
        example="12",
    )  # fmt: skip
    kind = Column(
        attribute="kind", column_name="kind", kind="choice",
        widget=ChoiceWidget(Source.Kind.choices, required=True), required=True,
        meaning="What sort of document it is.",
        allowed=", ".join(Source.Kind.values),
        example="ngo_report",
    )  # fmt: skip
    title = Column(
        attribute="title", column_name="title", widget=TextWidget(), required=True,
        meaning="Title of the document, as published.", allowed="Up to 500 characters.",
        example="Crimes against humanity: Iran's 1988 massacre",
    )  # fmt: skip
    publisher = Column(
        attribute="publisher", column_name="publisher", widget=TextWidget(),
        meaning="Organisation, outlet or body that issued it.", allowed="Up to 250 characters.",
        example="Amnesty International",
    )  # fmt: skip
    author = Column(
        attribute="author", column_name="author", widget=TextWidget(),
        meaning="Author(s), as credited.", allowed="Up to 250 characters.", example="",
    )  # fmt: skip
    date = PartialDateColumn("date", meaning="Date of publication.", example="2018-12")
    url = Column(
        attribute="url", column_name="url", widget=TextWidget(), kind="URL",
        meaning="Where the document is published.", allowed="A full http(s) address.",
        example="https://www.amnesty.org/en/documents/mde13/9421/2018/en/",
    )  # fmt: skip
    archived_url = Column(
        attribute="archived_url", column_name="archived_url", widget=TextWidget(), kind="URL",
        meaning="A copy in a web archive, in case the original disappears.",
        allowed="A full http(s) address.", example="https://web.archive.org/web/2019/https://…",
    )  # fmt: skip
    language = Column(
        attribute="language", column_name="language", widget=TextWidget(),
        meaning="Language of the document.", allowed="ISO 639-1 code.", example="en",
    )  # fmt: skip
    is_private = Column(
        attribute="is_private", column_name="is_private", widget=BooleanWordWidget(),
        kind="yes/no",
        meaning="A testimony that must not be shown: the public sees only 'private testimony, "
        "received <date>'.",
        allowed="yes or no (also true/false, 1/0); blank means no.", example="no",
    )  # fmt: skip
    received_date = Column(
        attribute="received_date", column_name="received_date", widget=IsoDateWidget(),
        kind="date", meaning="When a testimony reached the archive (needed when private).",
        allowed="A full date, 2024-03-01.", example="2024-03-01",
    )  # fmt: skip
    notes = Column(
        attribute="notes", column_name="notes", widget=TextWidget(),
        meaning="Staff notes; never shown publicly.", allowed="Free text.", example="",
    )  # fmt: skip
    publication_status = Column(
        attribute="publication_status", column_name="publication_status", kind="choice",
        widget=ChoiceWidget(PublicationStatus.choices, blank=None), saves_null_values=False,
        meaning="Whether the public sees the source. Blank: draft for a new source, unchanged "
        "for an existing one.",
        allowed="draft, in_review, published, withdrawn", example="published",
    )  # fmt: skip

    def may_export_cell(self, column_name, obj) -> bool:
        """Staff notes go only to those who write them (change_source); a private
        testimony's notes hold a family's own words, which also need the permission to
        read families' submissions."""
        if column_name != "notes":
            return True
        user = self.acting_user
        if not user.has_perm("sources.change_source"):
            return False
        return not obj.is_private or user.has_perm("victims.view_submission")

    class Meta:
        model = Source
        fields = (
            "id", "kind", "title", "publisher", "author", "date", "url", "archived_url",
            "language", "is_private", "received_date", "notes", "publication_status",
        )  # fmt: skip
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
