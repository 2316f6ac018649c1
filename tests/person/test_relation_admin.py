"""Family relations in the victim's admin form: a person related to themself, or a second
relation between two people already related, is refused beside the field, in words, and
nothing is saved. All records are synthetic."""

import pytest

from tests.admin_forms import form_data
from tests.factories import FamilyRelationFactory, VictimFactory
from victims.models import FamilyRelation

pytestmark = pytest.mark.django_db


def post_relation(client, victim, other, kind="sibling"):
    url = f"/admin/victims/victim/{victim.pk}/change/"
    page = client.get(url)
    data = form_data(page)
    data.update({
        "relations_from-TOTAL_FORMS": "1", "relations_from-INITIAL_FORMS": "0",
        "relations_from-0-kind": kind, "relations_from-0-to_victim": str(other.pk),
    })  # fmt: skip
    return client.post(url, data)


def test_a_person_related_to_themself_is_refused_beside_the_field(researcher_client):
    victim = VictimFactory(publication_status="draft")

    response = post_relation(researcher_client, victim, victim)

    assert response.status_code == 200
    html = response.content.decode()
    assert "A person cannot be related to themself" in html
    assert not FamilyRelation.objects.exists()


def test_a_second_relation_between_the_same_people_is_refused_naming_the_first(
    researcher_client,
):
    a = VictimFactory(publication_status="draft", name_latin="Synthetic A")
    b = VictimFactory(publication_status="draft", name_latin="Synthetic B")
    FamilyRelationFactory(from_victim=b, kind="spouse", to_victim=a)

    response = post_relation(researcher_client, a, b, kind="sibling")

    html = response.content.decode()
    assert "These two people are already related: Synthetic B — spouse — Synthetic A" in html
    assert FamilyRelation.objects.count() == 1


def test_the_relation_shows_on_the_other_persons_admin_page_too(researcher_client):
    a = VictimFactory(publication_status="draft", name_latin="Synthetic A")
    b = VictimFactory(publication_status="draft", name_latin="Synthetic B")
    FamilyRelationFactory(from_victim=a, kind="parent", to_victim=b)

    html = researcher_client.get(f"/admin/victims/victim/{b.pk}/change/").content.decode()

    assert 'name="relations_to-0-from_victim"' in html
    assert "Synthetic A" in html
