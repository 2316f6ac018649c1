"""A victim's page reads the victim in one statement whose SQL the ORM compiled once, and
the places, event, organisation and commission it names from what this worker read for
the data's version: a reader still sees every change at once."""

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from archive.core.versions import REQUEST_VERSION
from sources.footnotes import shown_citations
from sources.models import Citation
from tests.factories import (
    FACTORY_SOURCE_TITLE,
    CitationFactory,
    CommissionFactory,
    EventFactory,
    FamilyRelationFactory,
    HearingFactory,
    OrganisationFactory,
    PlaceFactory,
    SourceFactory,
    VictimFactory,
)
from victims.models import Victim

# No version's reads kept by an earlier test in this process (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("nothing_kept")


@pytest.fixture
def compiled_models(monkeypatch):
    """The models of the querysets the ORM compiles while the fixture is on."""
    seen = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        seen.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return seen


def test_a_second_victim_page_compiles_no_query_of_victims_or_citations(
    client, db, compiled_models
):
    VictimFactory(ref="TEST-A")
    VictimFactory(ref="TEST-B")
    assert client.get("/victims/TEST-A/").status_code == 200
    compiled_models.clear()
    response = client.get("/victims/TEST-B/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "TEST-B" in page
    assert FACTORY_SOURCE_TITLE in page  # its footnotes are there
    assert Victim not in compiled_models
    assert Citation not in compiled_models


def test_a_page_of_one_record_has_the_citations_the_orm_gives(db):
    victim = VictimFactory(ref="TEST-F")
    CitationFactory(content_object=victim, claim="death_date", locator="p. 3")
    CitationFactory(content_object=victim, source=SourceFactory(publication_status="draft"))
    private = SourceFactory(kind="testimony", is_private=True)
    CitationFactory(content_object=victim, claim="fate", source=private)
    CitationFactory(content_object=VictimFactory(), claim="fate")  # another record's
    expected = list(Citation.objects.public().for_objects([victim]))
    found = shown_citations([victim, None])
    assert [(c.pk, c.claim, c.locator, c.source.title) for c in found] == [
        (c.pk, c.claim, c.locator, c.source.title) for c in expected
    ]
    assert all(c.source.publication_status == "published" for c in found)
    assert private.pk in {c.source_id for c in found}  # cited, shown as a testimony


def test_a_retitled_source_is_shown_under_its_new_title_at_once(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source = SourceFactory(title="Synthetic Old Source Title")
        victim = VictimFactory(ref="TEST-S")
        CitationFactory(content_object=victim, claim="fate", source=source)
    assert "Synthetic Old Source Title" in client.get("/victims/TEST-S/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        source.title = "Synthetic New Source Title"
        source.save()
    client.get("/victims/TEST-S/")  # may be the page it replaces (see above)
    page = client.get("/victims/TEST-S/").content.decode()
    assert "Synthetic New Source Title" in page
    assert "Synthetic Old Source Title" not in page


def test_the_page_shows_what_the_victim_names_in_both_languages(client, db):
    prison = PlaceFactory(name_en="Synthetic Evin Test", name_fa="اوین آزمایشی")
    burial = PlaceFactory(name_en="Synthetic Khavaran Test", kind="cemetery")
    event = EventFactory(slug="test-event", name_en="Synthetic Event Test")
    VictimFactory(
        ref="TEST-N",
        prison=prison,
        burial_place=burial,
        event=event,
        affiliation=OrganisationFactory(name_en="Synthetic Organisation Test"),
        commission=CommissionFactory(name_en="Synthetic Commission Test", slug="test-c"),
    )
    english = client.get("/victims/TEST-N/").content.decode()
    for shown in (
        "Synthetic Evin Test",
        "Synthetic Khavaran Test",
        "Synthetic Event Test",
        "Synthetic Organisation Test",
        "Synthetic Commission Test",
    ):
        assert shown in english
    assert "اوین آزمایشی" in client.get("/fa/victims/TEST-N/").content.decode()


def test_a_renamed_prison_is_shown_under_its_new_name_at_once(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # each write commits
        prison = PlaceFactory(name_en="Synthetic Old Prison Name")
        VictimFactory(ref="TEST-R", prison=prison)
    assert "Synthetic Old Prison Name" in client.get("/victims/TEST-R/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        prison.name_en = "Synthetic New Prison Name"
        prison.save()
    # The first reader after the edit: a victim's page is never answered with the page
    # it replaces (archive.pagecache).
    response = client.get("/victims/TEST-R/")
    assert response["X-Cache"] != "stale"
    page = response.content.decode()
    assert "Synthetic New Prison Name" in page
    assert "Synthetic Old Prison Name" not in page


def test_a_place_written_after_the_version_was_read_is_still_shown(db):
    victim = VictimFactory(ref="TEST-L")
    token = REQUEST_VERSION.set("a version read before the prison was written")
    try:
        Victim.for_page("TEST-L")  # the worker keeps the places it read for that version
        prison = PlaceFactory(name_en="Synthetic Later Prison")
        Victim.objects.filter(pk=victim.pk).update(prison=prison)
        assert Victim.for_page("TEST-L").prison.name_en == "Synthetic Later Prison"
    finally:
        REQUEST_VERSION.reset(token)


@pytest.mark.parametrize("status", ["draft", "in_review", "withdrawn"])
def test_a_victim_not_published_has_no_page(client, db, status):
    VictimFactory(ref="TEST-U", publication_status=status)
    with pytest.raises(Victim.DoesNotExist):
        Victim.for_page("TEST-U")
    assert client.get("/victims/TEST-U/").status_code == 404


def test_the_page_knows_whether_the_victim_has_any_hearing_or_relation(db):
    VictimFactory(ref="TEST-H")
    victim = Victim.for_page("TEST-H")
    # SQLite answers 0, PostgreSQL false: read as "none" either way.
    assert not victim.any_hearing
    assert not victim.any_relation
    HearingFactory(victim=victim)
    FamilyRelationFactory(from_victim=victim)
    victim = Victim.for_page("TEST-H")
    assert victim.any_hearing
    assert victim.any_relation


def test_the_api_record_reads_the_victim_once_and_no_hearings_or_relations_it_has_not(client, db):
    VictimFactory(ref="TEST-J", name_latin="Synthetic Json")
    client.get("/api/victims/TEST-J/")  # the worker's first: compiles, reads the kept records
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/victims/TEST-J/?again=1")
    record = response.json()
    assert record["ref"] == "TEST-J" and record["name_latin"] == "Synthetic Json"
    assert record["hearings"] == [] and record["relations"] == []
    assert record["citations"]
    # The data's version reads every table's latest change: not a read of records.
    statements = [q["sql"] for q in captured if "archive_changecounter" not in q["sql"]]
    victim_reads = [sql for sql in statements if _reads(sql, "victims_victim")]
    assert len(victim_reads) == 1
    for table in ("victims_hearing", "victims_familyrelation"):
        # Apart from the victim's read, whose EXISTS asks whether it has any.
        assert not [sql for sql in statements if _reads(sql, table) and sql not in victim_reads]


def _reads(sql: str, table: str) -> bool:
    """Whether a statement reads ``table``; a compiled read prepared on PostgreSQL is
    named after its table."""
    return f'FROM "{table}"' in sql or sql.lstrip().startswith(f"EXECUTE archive_read_{table}_")
