"""The new facts go through the publication gate, the list's new filters offer and count
published records only, and the statistics count published victims by age at death and
by occupation. All records are synthetic."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from archive.core.ages import AGE_GROUPS, Age, age_at_death, birth_of_year
from archive.core.dates import PartialDate
from archive.core.models import PublicationStatus
from sources.models import Citation
from tests.factories import FamilyRelationFactory, VictimFactory
from victims.models import Victim

pytestmark = pytest.mark.django_db


def plain(error) -> str:
    return " ".join(error.messages).replace("\u2068", "").replace("\u2069", "")


# --- The gate -------------------------------------------------------------------------------


def test_publishing_with_an_uncited_occupation_is_refused_naming_it(reviewer):
    victim = VictimFactory(publication_status="draft")
    victim.occupation = "teacher"
    victim.save()

    with pytest.raises(ValidationError) as refused:
        victim.move_to(PublicationStatus.PUBLISHED, user=reviewer)

    assert "Occupation: no citation" in plain(refused.value)


def test_publishing_with_an_uncited_family_fact_is_refused_naming_it(reviewer):
    victim = VictimFactory(publication_status="draft")
    victim.body_returned = "no"
    victim.grave_fa = "متن آزمایشی"
    victim.save()

    with pytest.raises(ValidationError) as refused:
        victim.move_to(PublicationStatus.PUBLISHED, user=reviewer)

    assert "Body returned: no citation" in plain(refused.value)
    assert "Visits and harassment at the grave: no citation" in plain(refused.value)


def test_an_unknown_answer_needs_no_citation(reviewer):
    victim = VictimFactory(publication_status="draft", body_returned="unknown")

    victim.move_to(PublicationStatus.PUBLISHED, user=reviewer)

    assert Victim.objects.get(pk=victim.pk).is_published


def test_publishing_with_an_uncited_relation_to_a_published_person_is_refused(reviewer):
    published = VictimFactory()
    draft = VictimFactory(publication_status="draft")
    FamilyRelationFactory(from_victim=draft, kind="sibling", to_victim=published, cited=False)

    with pytest.raises(ValidationError) as refused:
        Victim.objects.get(pk=draft.pk).move_to(PublicationStatus.PUBLISHED, user=reviewer)

    assert "Family relation: no citation" in plain(refused.value)


def test_an_uncited_relation_to_a_draft_does_not_hold_back_publication(reviewer):
    other_draft = VictimFactory(publication_status="draft")
    draft = VictimFactory(publication_status="draft")
    FamilyRelationFactory(from_victim=draft, kind="spouse", to_victim=other_draft, cited=False)

    Victim.objects.get(pk=draft.pk).move_to(PublicationStatus.PUBLISHED, user=reviewer)

    assert Victim.objects.get(pk=draft.pk).is_published


def test_an_occupation_is_a_claim_a_citation_may_make():
    victim = VictimFactory(occupation="teacher")

    assert Citation.objects.filter(victim=victim, claim="occupation").exists()


# --- Filters ------------------------------------------------------------------------------


def names_listed(client, query, lang=""):
    prefix = f"/{lang}" if lang else ""
    response = client.get(f"{prefix}/victims/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_occupation_filter_offers_only_what_published_records_use(client):
    VictimFactory(name_latin="Synthetic Teacher", occupation="teacher")
    VictimFactory(name_latin="ZZSECRET Draft Farmer", occupation="farmer",
                  publication_status="draft")  # fmt: skip

    html = names_listed(client, "")

    assert '<option value="teacher">teacher</option>' in html
    assert 'value="farmer"' not in html


def test_the_occupation_religion_and_ethnicity_filters_list_published_records_only(client):
    VictimFactory(name_latin="Synthetic Kurdish Teacher", occupation="teacher",
                  religion="sunni", ethnicity="kurdish")  # fmt: skip
    VictimFactory(name_latin="Synthetic Other", occupation="worker")
    VictimFactory(name_latin="ZZSECRET Draft", occupation="teacher", religion="sunni",
                  ethnicity="kurdish", publication_status="draft")  # fmt: skip

    html = names_listed(client, "occupation=teacher&religion=sunni&ethnicity=kurdish")

    assert "Synthetic Kurdish Teacher" in html
    assert "Synthetic Other" not in html
    assert "ZZSECRET" not in html


def test_a_value_no_published_record_uses_is_not_applied_and_says_so(client):
    VictimFactory(name_latin="Synthetic Teacher", occupation="teacher")

    html = names_listed(client, "occupation=farmer")

    assert "Synthetic Teacher" in html
    assert "This filter was not applied." in html


def died(year, month):
    return {"death_date": datetime.date(year, month, 1), "death_date_precision": "month"}


def test_the_age_filter_finds_a_range_across_a_boundary_in_both_groups(client):
    VictimFactory(name_latin="Synthetic Twenty", birth_year=1968, **died(1988, 8))  # 19-20
    VictimFactory(name_latin="Synthetic Boundary", birth_year=1963, **died(1988, 8))  # 24-25
    VictimFactory(name_latin="Synthetic Forty", birth_year=1948, **died(1988, 8))  # 39-40
    VictimFactory(name_latin="Synthetic No Birth", **died(1988, 8))

    young = names_listed(client, "age=18-24")
    older = names_listed(client, "age=25-34")

    assert "Synthetic Twenty" in young and "Synthetic Boundary" in young
    assert "Synthetic Forty" not in young and "Synthetic No Birth" not in young
    assert "Synthetic Boundary" in older and "Synthetic Twenty" not in older


@pytest.mark.parametrize("precision", ["year", "month", "day"])
@pytest.mark.parametrize(
    "death", [datetime.date(1988, 1, 1), datetime.date(1988, 8, 15), datetime.date(1988, 12, 31)]
)
def test_the_databases_age_is_the_kernels_age(precision, death):
    victim = VictimFactory(birth_year=1960, death_date=death, death_date_precision=precision)

    row = Victim.objects.with_age().values("age_low", "age_high").get(pk=victim.pk)

    expected = age_at_death(birth_of_year(1960), PartialDate(death, precision))
    assert Age(row["age_low"], row["age_high"]) == expected
    for group in AGE_GROUPS:
        found = Victim.objects.in_age_group(group).filter(pk=victim.pk).exists()
        assert found == group.touches(expected), group.key


# --- Statistics ---------------------------------------------------------------------------


def test_the_statistics_count_published_victims_by_age_and_occupation(client):
    VictimFactory(birth_year=1960, occupation="teacher", **died(1988, 8))  # 27-28
    VictimFactory(birth_year=1961, occupation="teacher", **died(1988, 8))  # 26-27
    VictimFactory(birth_year=1963, occupation="worker", **died(1988, 8))  # 24-25
    VictimFactory(birth_year=1960, occupation="teacher", publication_status="draft",
                  **died(1988, 8))  # fmt: skip

    html = client.get("/stats/").content.decode()

    assert "Victims by age at death" in html
    assert '<bdi dir="auto">25 to 34</bdi></th><td class="number">2</td>' in html
    assert '<bdi dir="auto">across two groups (e.g. 24–25)</bdi></th><td class="number">1</td>' in (
        html
    )
    assert '<bdi dir="auto">teacher</bdi></th><td class="number">2</td>' in html
    assert '<bdi dir="auto">worker</bdi></th><td class="number">1</td>' in html


def test_the_persian_statistics_name_the_groups_in_persian_with_persian_digits(client):
    VictimFactory(birth_year=1960, occupation="teacher", **died(1988, 8))

    html = client.get("/fa/stats/").content.decode()

    assert "قربانیان بر پایهٔ سن هنگام مرگ" in html
    assert '<bdi dir="auto">۲۵ تا ۳۴ سال</bdi></th><td class="number">۱</td>' in html
    assert '<bdi dir="auto">معلم</bdi></th><td class="number">۱</td>' in html
