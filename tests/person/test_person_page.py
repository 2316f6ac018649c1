"""The person behind the name on the public victim page: place of birth, occupation and
the rest, the age at death as the dates allow it, what happened to the family, and the
family relations between records, shown on both pages. All records are synthetic."""

import datetime

import pytest

from sources.models import Citation
from tests.factories import FamilyRelationFactory, PlaceFactory, SourceFactory, VictimFactory


def page(client, victim, lang=""):
    prefix = f"/{lang}" if lang else ""
    response = client.get(f"{prefix}/victims/{victim.ref}/")
    assert response.status_code == 200
    return response.content.decode()


def died(year, month=None, day=None):
    if day:
        return {"death_date": datetime.date(year, month, day), "death_date_precision": "day"}
    if month:
        return {"death_date": datetime.date(year, month, 1), "death_date_precision": "month"}
    return {"death_date": datetime.date(year, 1, 1), "death_date_precision": "year"}


@pytest.mark.django_db
def test_a_year_of_birth_and_a_month_of_death_give_an_age_range(client):
    victim = VictimFactory(birth_year=1960, **died(1988, 8))

    html = page(client, victim)

    assert "Age at death" in html
    assert "27–28" in html


@pytest.mark.django_db
def test_a_death_on_the_last_day_of_the_year_gives_an_exact_age(client):
    victim = VictimFactory(birth_year=1960, **died(1988, 12, 31))

    html = page(client, victim)

    assert "Age at death" in html
    assert '<bdi dir="auto">28</bdi>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields", [{"birth_year": 1960}, died(1988, 8)], ids=["no-death-date", "no-birth-year"]
)
def test_no_age_is_shown_when_a_date_is_missing(client, fields):
    victim = VictimFactory(**fields)

    html = page(client, victim)

    assert "Age at death" not in html


@pytest.mark.django_db
def test_the_persian_page_shows_the_age_range_in_persian_words_and_digits(client):
    victim = VictimFactory(birth_year=1960, **died(1988, 8))

    html = page(client, victim, "fa")

    assert "سن هنگام مرگ" in html
    assert "۲۷ تا ۲۸" in html


@pytest.mark.django_db
def test_the_person_and_the_family_sections_show_each_cited_fact(client):
    birthplace = PlaceFactory(kind="city", name_en="Synthetic Town", name_fa="شهرک آزمایشی")
    victim = VictimFactory(
        birth_place=birthplace, occupation="teacher", education_en="Synthetic diploma",
        education_fa="دیپلم آزمایشی", religion="bahai", ethnicity="kurdish",
        civil_status="married", children=0,
        family_told_date=datetime.date(1988, 11, 1), family_told_date_precision="month",
        family_told_how_en="Synthetic: told at the prison gate", body_returned="no",
        belongings_returned="yes", burial_known="no",
        grave_en="Synthetic: visits to the grave site were broken up",
    )  # fmt: skip

    html = page(client, victim)

    for text in ["Place of birth", "Synthetic Town", "Occupation", "teacher",
                 "Synthetic diploma", "Baháʼí", "Kurdish", "married", "Children",
                 "What happened to the family", "November 1988", "told at the prison gate",
                 "Body returned", "Belongings returned", "Burial place known to the family",
                 "visits to the grave site were broken up"]:  # fmt: skip
        assert text in html, text
    fa = page(client, victim, "fa")
    assert "دیپلم آزمایشی" in fa
    assert "آنچه بر خانواده گذشت" in fa


@pytest.mark.django_db
def test_an_unknown_answer_is_not_shown(client):
    victim = VictimFactory(body_returned="unknown")

    html = page(client, victim)

    assert "Body returned" not in html
    assert "What happened to the family" not in html


# --- Family relations ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_relation_is_shown_on_both_pages_with_the_wording_of_each_side(client):
    parent = VictimFactory(name_latin="Synthetic Parent")
    child = VictimFactory(name_latin="Synthetic Child")
    FamilyRelationFactory(from_victim=parent, kind="parent", to_victim=child)

    on_parent = page(client, parent)
    on_child = page(client, child)

    assert "Parent of" in on_parent and "Synthetic Child" in on_parent
    assert "Child of" in on_child and "Synthetic Parent" in on_child
    assert "Parent of" not in on_child
    assert f"/victims/{child.ref}/" in on_parent
    assert f"/victims/{parent.ref}/" in on_child


@pytest.mark.django_db
def test_a_relation_on_the_persian_page_is_worded_in_persian(client):
    a = VictimFactory(name_fa="خواهر آزمایشی")
    b = VictimFactory(name_fa="برادر آزمایشی")
    FamilyRelationFactory(from_victim=a, kind="sibling", to_victim=b)

    assert "خواهر یا برادرِ" in page(client, b, "fa")


@pytest.mark.django_db
def test_a_relation_to_a_draft_is_shown_on_neither_page(client):
    public = VictimFactory(name_latin="Synthetic Published")
    draft = VictimFactory(name_latin="ZZSECRET Draft Sibling", publication_status="draft")
    FamilyRelationFactory(from_victim=public, kind="sibling", to_victim=draft)

    html = page(client, public)

    assert "ZZSECRET" not in html
    assert "Sibling of" not in html


@pytest.mark.django_db
def test_an_uncited_relation_is_not_shown(client):
    a = VictimFactory()
    b = VictimFactory(name_latin="Synthetic Uncited Spouse")
    FamilyRelationFactory(from_victim=a, kind="spouse", to_victim=b, cited=False)

    assert "Spouse of" not in page(client, a)
    assert "Spouse of" not in page(client, b)


@pytest.mark.django_db
def test_a_relation_cited_only_to_a_draft_source_is_not_shown(client):
    a = VictimFactory()
    b = VictimFactory()
    relation = FamilyRelationFactory(from_victim=a, kind="spouse", to_victim=b, cited=False)
    draft = SourceFactory(publication_status="draft")
    Citation.objects.create(content_object=relation, source=draft, claim="kind")

    assert "Spouse of" not in page(client, a)


@pytest.mark.django_db
def test_a_relation_shows_its_footnote(client):
    a = VictimFactory()
    b = VictimFactory()
    source = SourceFactory(title="Synthetic family report")
    relation = FamilyRelationFactory(from_victim=a, kind="spouse", to_victim=b, cited=False)
    Citation.objects.create(content_object=relation, source=source, claim="kind", locator="p. 9")

    html = page(client, a)

    assert "Spouse of" in html
    assert "Synthetic family report" in html
    assert "p. 9" in html
