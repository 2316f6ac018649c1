"""``import_records relations FILE``: family relations between victims by ref, atomic,
every bad row named by its row and column; exported and imported again unchanged. All
records are synthetic."""

import csv

import pytest

from sources.models import Citation
from tests.factories import FamilyRelationFactory, SourceFactory, VictimFactory
from tests.imports.conftest import write_csv
from victims.models import FamilyRelation

pytestmark = pytest.mark.django_db

HEADER = ["from_ref", "relation", "to_ref"]


@pytest.fixture
def people():
    # Drafts: a relation between published people is a reviewer's change (tested apart).
    refs = ("TEST-R1", "TEST-R2", "TEST-R3", "TEST-R4")
    return {ref: VictimFactory(ref=ref, publication_status="draft") for ref in refs}


def test_relations_are_imported_in_english_and_persian_words(tmp_path, manage, people):
    path = write_csv(
        tmp_path / "relations.csv",
        [
            {"from_ref": "TEST-R1", "relation": "parent", "to_ref": "TEST-R2"},
            {"from_ref": "TEST-R2", "relation": "خواهر", "to_ref": "TEST-R3"},
            {"from_ref": "TEST-R3", "relation": "همسر", "to_ref": "TEST-R4"},
        ],
        HEADER,
    )

    run = manage("import_records", "relations", path)

    assert run.code == 0, run.text
    found = {
        (r.from_victim.ref, r.kind, r.to_victim.ref)
        for r in FamilyRelation.objects.select_related("from_victim", "to_victim")
    }
    assert found == {
        ("TEST-R1", "parent", "TEST-R2"),
        ("TEST-R2", "sibling", "TEST-R3"),
        ("TEST-R3", "spouse", "TEST-R4"),
    }


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(tmp_path, manage, people):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            {"from_ref": "TEST-R1", "relation": "parent", "to_ref": "TEST-R2"},
            {"from_ref": "TEST-NOBODY", "relation": "sibling", "to_ref": "TEST-R2"},
            {"from_ref": "TEST-R3", "relation": "cousin", "to_ref": "TEST-R4"},
            {"from_ref": "TEST-R4", "relation": "sibling", "to_ref": "TEST-R4"},
            {"from_ref": "TEST-R2", "relation": "child", "to_ref": "TEST-R1"},
        ],
        HEADER,
    )

    run = manage("import_records", "relations", path)

    assert run.code == 1
    assert "row 3, from_ref: no victim with the ref 'TEST-NOBODY'" in run.err
    assert "row 4, relation: 'cousin' is not one of: parent, child, sibling, spouse" in run.err
    assert "row 5, to_ref: A person cannot be related to themself" in run.err
    assert "row 6, from_ref+to_ref: 'TEST-R1|TEST-R2' is also the from_ref+to_ref of row 2" in (
        run.err
    )
    assert "Traceback" not in run.text
    assert FamilyRelation.objects.count() == 0


def test_a_second_relation_between_the_same_two_people_in_the_archive_is_an_update(
    tmp_path, manage, people
):
    FamilyRelationFactory(from_victim=people["TEST-R1"], kind="parent", to_victim=people["TEST-R2"])
    path = write_csv(
        tmp_path / "again.csv",
        [{"from_ref": "TEST-R2", "relation": "child", "to_ref": "TEST-R1"}],
        HEADER,
    )

    run = manage("import_records", "relations", path)

    assert run.code == 0, run.text
    relation = FamilyRelation.objects.get()
    assert (relation.from_victim.ref, relation.kind) == ("TEST-R1", "parent")


def test_the_source_cites_each_relation_with_its_row(tmp_path, manage, people):
    source = SourceFactory(title="Synthetic list of families")
    path = write_csv(
        tmp_path / "cited.csv",
        [{"from_ref": "TEST-R1", "relation": "spouse", "to_ref": "TEST-R2"}],
        HEADER,
    )

    run = manage("import_records", "relations", path, "--source", str(source.pk))

    assert run.code == 0, run.text
    relation = FamilyRelation.objects.get()
    citation = Citation.objects.get(family_relation=relation)
    assert (citation.claim, citation.locator, citation.source) == ("kind", "row 2", source)


def test_relations_exported_import_again_unchanged(tmp_path, manage, people):
    FamilyRelationFactory(from_victim=people["TEST-R1"], kind="parent", to_victim=people["TEST-R2"])
    FamilyRelationFactory(from_victim=people["TEST-R3"], kind="spouse", to_victim=people["TEST-R4"])
    out = tmp_path / "out.csv"

    assert manage("export_records", "relations", out).code == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {"from_ref": "TEST-R1", "relation": "parent", "to_ref": "TEST-R2"},
        {"from_ref": "TEST-R3", "relation": "spouse", "to_ref": "TEST-R4"},
    ]
    run = manage("import_records", "relations", out)
    assert run.code == 0, run.text
    assert FamilyRelation.objects.count() == 2


def test_victim_columns_carry_the_person_and_the_family(tmp_path, manage):
    path = write_csv(
        tmp_path / "victims.csv",
        [{"ref": "TEST-R9", "name_latin": "Synthetic Person", "occupation": "معلم",
          "religion": "bahai", "ethnicity": "Kurdish", "civil_status": "married",
          "children": "۲", "family_told_date": "1988-11", "body_returned": "no"}],
    )  # fmt: skip

    run = manage("import_records", "victims", path)

    assert run.code == 0, run.text
    from victims.models import Victim

    victim = Victim.objects.get(ref="TEST-R9")
    assert (victim.occupation, victim.religion, victim.ethnicity, victim.civil_status) == (
        "teacher", "bahai", "kurdish", "married"
    )  # fmt: skip
    assert victim.children == 2
    assert victim.partial("family_told_date").iso() == "1988-11"
    assert victim.body_returned == "no"
    assert victim.burial_known == "unknown"


def test_a_negative_number_of_children_is_refused_by_row_and_column(tmp_path, manage):
    path = write_csv(
        tmp_path / "victims.csv",
        [{"ref": "TEST-R9", "name_latin": "Synthetic Person", "children": "-1"}],
    )

    run = manage("import_records", "victims", path)

    assert run.code == 1
    assert "row 2, children: '-1' is not a number of children" in run.err
