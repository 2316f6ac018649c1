"""Claims are chosen among the facts a record's page shows, never typed."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from archive.core.provenance import citable_claims
from sources.models import Citation
from tests.admin_forms import form_data
from tests.factories import CitationFactory, SourceFactory, VictimFactory
from victims.models import Victim


def test_a_typed_date_of_death_claim_is_refused_naming_the_choices(db):
    victim = VictimFactory(publication_status="draft")
    citation = Citation(
        content_type=ContentType.objects.get_for_model(Victim),
        object_id=victim.pk,
        source=SourceFactory(),
        claim="date of death",
    )

    with pytest.raises(ValidationError) as refused:
        citation.full_clean()

    message = " ".join(refused.value.message_dict["claim"])
    assert "“date of death” is not a fact that a victim's page shows" in message
    assert "death_date (Date of death)" in message


def test_a_claim_edited_to_a_field_the_page_does_not_show_is_refused(db):
    citation = CitationFactory(content_object=VictimFactory(), claim="death_date")
    citation.claim = "photo"

    with pytest.raises(ValidationError):
        citation.full_clean()


def test_every_fact_a_victim_page_shows_is_a_citable_claim(db):
    claims = [claim for claim, _label in citable_claims(Victim)]

    assert claims[0] == "general"
    assert {"death_date", "birth_year", "prison", "fate", "biography"} <= set(claims)
    assert "photo" not in claims and "name_keys" not in claims


def test_the_citations_inline_offers_the_claims_as_a_choice_in_the_readers_language(
    researcher_client,
):
    victim = VictimFactory(publication_status="draft")
    url = f"/admin/victims/victim/{victim.pk}/change/"

    english = researcher_client.get(url).content.decode()
    persian = researcher_client.get(url, headers={"accept-language": "fa"}).content.decode()

    assert '<option value="death_date">Date of death</option>' in english
    assert '<option value="death_date">تاریخ مرگ</option>' in persian


def test_the_citations_inline_refuses_a_typed_claim(researcher_client):
    victim = VictimFactory(publication_status="draft")
    url = f"/admin/victims/victim/{victim.pk}/change/"
    page = researcher_client.get(url)
    formset = page.context["inline_admin_formsets"][0].formset
    new = f"{formset.prefix}-{formset.total_form_count() - 1}"

    response = researcher_client.post(
        url,
        form_data(
            page,
            _save="Save",
            **{f"{new}-source": str(SourceFactory().pk), f"{new}-claim": "date of death"},
        ),
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not victim.citations.filter(claim="date of death").exists()
