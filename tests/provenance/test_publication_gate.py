"""The publication gate: a record reaches the public only when every fact its page shows
is cited to a published source; a published source stays while records depend on it."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from archive.core.models import PublicationStatus
from sources.models import Citation
from tests.admin_forms import form_data
from tests.factories import (
    CitationFactory,
    PerpetratorFactory,
    PositionFactory,
    SourceFactory,
    VictimFactory,
)
from victims.models import Victim


def draft_victim(**fields):
    """A synthetic draft victim with names and fate cited to a published source, and
    nothing else (tests add the fact they are about)."""
    victim = VictimFactory(publication_status="draft", **fields)
    return Victim.objects.get(pk=victim.pk)


def plain(text) -> str:
    """A message as read, without the invisible marks that isolate names and titles."""
    text = " ".join(text.messages) if hasattr(text, "messages") else str(text)
    return text.replace("\u2068", "").replace("\u2069", "")


def messages_of(response) -> list[str]:
    return [plain(m) for m in get_messages(response.wsgi_request)]


def test_publishing_a_victim_with_an_uncited_date_of_death_is_refused_naming_it(reviewer):
    victim = draft_victim()
    victim.death_date, victim.death_date_precision = datetime.date(1988, 8, 1), "month"
    victim.save()

    with pytest.raises(ValidationError) as refused:
        victim.move_to(PublicationStatus.PUBLISHED, user=reviewer)

    assert "Date of death: no citation" in plain(refused.value)
    victim.refresh_from_db()
    assert victim.publication_status == "draft"


def test_a_victim_whose_facts_are_all_cited_is_published(reviewer):
    victim = draft_victim()

    victim.move_to(PublicationStatus.PUBLISHED, user=reviewer)

    victim.refresh_from_db()
    assert victim.is_published


def test_a_fact_cited_only_to_a_draft_source_is_refused_naming_the_source(reviewer):
    victim = draft_victim(birth_year=1960)
    draft = SourceFactory(title="Unchecked letter", publication_status="draft")
    Citation.objects.filter(victim=victim, claim="birth_year").delete()
    CitationFactory(content_object=victim, source=draft, claim="birth_year")

    with pytest.raises(ValidationError) as refused:
        victim.move_to(PublicationStatus.PUBLISHED, user=reviewer)

    assert "Year of birth: cited only to a source not yet published: «Unchecked letter»" in plain(
        refused.value
    )


def test_a_biography_marker_naming_a_source_not_cited_is_refused(reviewer):
    victim = draft_victim(biography="Executed in 1988 [src:999999].")

    with pytest.raises(ValidationError) as refused:
        victim.move_to(PublicationStatus.PUBLISHED, user=reviewer)

    assert "Biography: [src:999999] names a source this record does not cite" in plain(
        refused.value
    )


def test_a_perpetrator_with_an_uncited_position_is_refused(reviewer):
    perpetrator = PerpetratorFactory(publication_status="draft")
    PositionFactory(perpetrator=perpetrator, title_en="Synthetic post", cited=False)

    with pytest.raises(ValidationError) as refused:
        perpetrator.move_to(PublicationStatus.PUBLISHED, user=reviewer)

    assert "Position “Synthetic post”, Title: no citation" in plain(refused.value)


def test_the_publish_button_refuses_and_names_the_uncited_fact(reviewer_client):
    victim = draft_victim()
    url = f"/admin/victims/victim/{victim.pk}/change/"
    page = reviewer_client.get(url)

    response = reviewer_client.post(
        url, form_data(page, birth_year="1961", _workflow="published"), follow=True
    )

    victim.refresh_from_db()
    assert victim.publication_status == "draft"
    assert victim.birth_year == 1961  # the form was saved, the status not changed
    assert any("Year of birth: no citation" in m for m in messages_of(response))


def test_the_bulk_publish_action_publishes_the_cited_and_names_what_blocks_the_others(
    reviewer_client,
):
    ready = draft_victim(name_latin="Testname Ready")
    blocked = draft_victim(name_latin="Testname Blocked", father_name="Testfather")
    Citation.objects.filter(victim=blocked, claim="father_name").delete()

    response = reviewer_client.post(
        "/admin/victims/victim/",
        {"action": "publish", "_selected_action": [ready.pk, blocked.pk]},
        follow=True,
    )

    ready.refresh_from_db()
    blocked.refresh_from_db()
    assert ready.is_published and not blocked.is_published
    messages = messages_of(response)
    assert "1 record published." in messages
    assert any(
        m.startswith("Testname Blocked:") and "Father's name: no citation" in m for m in messages
    )


def test_the_change_page_shows_the_checklist_with_each_fact_cited_or_not(reviewer_client):
    victim = draft_victim(birth_year=1960)
    Citation.objects.filter(victim=victim, claim="birth_year").delete()

    html = reviewer_client.get(f"/admin/victims/victim/{victim.pk}/change/").content.decode()

    checklist = html[html.index('class="publication-checklist') :]
    rows = re.findall(r'<tr class="(gap|cited)">\s*<th scope="row"><bdi>([^<]+)</bdi>', checklist)
    assert ("gap", "Year of birth") in rows
    assert ("cited", "Name in Latin script") in rows
    assert "Synthetic source citing every factory record" in checklist


def test_a_reviewer_publishes_a_record_with_its_draft_sources_in_one_step(reviewer_client):
    victim = draft_victim(birth_year=1960)
    draft = SourceFactory(title="Letter checked today", publication_status="in_review")
    Citation.objects.filter(victim=victim, claim="birth_year").delete()
    CitationFactory(content_object=victim, source=draft, claim="birth_year")
    url = f"/admin/victims/victim/{victim.pk}/change/"
    page = reviewer_client.get(url)
    assert "Save and publish with these sources" in page.content.decode()

    reviewer_client.post(url, form_data(page, _workflow="published_with_sources"))

    victim.refresh_from_db()
    draft.refresh_from_db()
    assert victim.is_published and draft.is_published


def test_a_researcher_is_not_offered_to_publish_the_sources(researcher_client):
    victim = draft_victim(birth_year=1960)
    draft = SourceFactory(title="Letter checked today", publication_status="in_review")
    Citation.objects.filter(victim=victim, claim="birth_year").delete()
    CitationFactory(content_object=victim, source=draft, claim="birth_year")

    html = researcher_client.get(f"/admin/victims/victim/{victim.pk}/change/").content.decode()

    assert "Year of birth: cited only to a source not yet published" in html
    assert "Save and publish with these sources" not in html


def test_editing_a_published_victim_to_add_an_uncited_birth_year_is_refused_keeping_the_input(
    reviewer_client,
):
    victim = VictimFactory()
    url = f"/admin/victims/victim/{victim.pk}/change/"
    page = reviewer_client.get(url)

    response = reviewer_client.post(url, form_data(page, birth_year="1957", _save="Save"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Year of birth: no citation" in html
    assert 'name="birth_year" value="1957"' in html
    victim.refresh_from_db()
    assert victim.birth_year is None


def test_editing_a_published_victim_with_a_citation_for_the_new_fact_is_saved(reviewer_client):
    victim = VictimFactory()
    url = f"/admin/victims/victim/{victim.pk}/change/"
    page = reviewer_client.get(url)
    formset = page.context["inline_admin_formsets"][0].formset
    new = f"{formset.prefix}-{formset.total_form_count() - 1}"
    source = SourceFactory()

    reviewer_client.post(
        url,
        form_data(
            page,
            birth_year="1957",
            _save="Save",
            **{f"{new}-source": str(source.pk), f"{new}-claim": "birth_year"},
        ),
    )

    victim.refresh_from_db()
    assert victim.birth_year == 1957
    assert victim.citations.filter(claim="birth_year", source=source).exists()


def test_withdrawing_a_source_a_published_record_depends_on_is_refused_naming_it(reviewer):
    source = SourceFactory(title="The only witness")
    victim = VictimFactory(name_latin="Testname Dependent", cited=False)
    CitationFactory(content_object=victim, source=source, claim="general")
    CitationFactory(content_object=victim, source=source, claim="fate")

    with pytest.raises(ValidationError) as refused:
        source.move_to(PublicationStatus.WITHDRAWN, user=reviewer)

    assert "Victim “Testname Dependent”: Name in Latin script" in plain(refused.value)
    source.refresh_from_db()
    assert source.is_published


def test_a_source_whose_records_have_other_published_sources_may_be_withdrawn(reviewer):
    source = SourceFactory(title="One of two")
    victim = VictimFactory()  # cited to the factory's own source as well
    CitationFactory(content_object=victim, source=source, claim="general")

    source.move_to(PublicationStatus.WITHDRAWN, user=reviewer)

    source.refresh_from_db()
    assert source.publication_status == "withdrawn"


def test_a_source_is_not_held_for_a_gap_it_does_not_support(reviewer):
    """A fact uncited before (an old record) is not this source's to answer for: the
    refusal names only what withdrawing it would leave uncited."""
    source = SourceFactory(title="Names only")
    other = SourceFactory(title="Names too")
    victim = VictimFactory(name_latin="Testname Old Gap", fate="executed", cited=False)
    CitationFactory(content_object=victim, source=source, claim="general")
    CitationFactory(content_object=victim, source=other, claim="general")
    assert [g.fact.claim for g in victim.publication_gaps()] == ["fate"]  # the old gap

    source.move_to(PublicationStatus.WITHDRAWN, user=reviewer)

    source.refresh_from_db()
    assert source.publication_status == "withdrawn"


def test_moving_the_only_citation_of_a_fact_on_its_own_page_is_refused(reviewer_client):
    victim = VictimFactory(name_latin="Testname Moved", cited=False)
    CitationFactory(content_object=victim, claim="general")
    fate = CitationFactory(content_object=victim, claim="fate")
    url = f"/admin/sources/citation/{fate.pk}/change/"
    page = reviewer_client.get(url)

    response = reviewer_client.post(url, form_data(page, claim="general"))

    assert response.status_code == 200
    assert "Fate: no citation" in response.content.decode()
    fate.refresh_from_db()
    assert fate.claim == "fate"


@pytest.mark.parametrize("kind", ["victims", "perpetrators"])
def test_withdrawing_a_source_reads_its_records_in_a_number_of_queries_that_does_not_grow(
    reviewer, kind
):
    """A source an import cited ten thousand times must still be withdrawable in one
    request: the check reads the records and their citations in batches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def withdraw_with(count: int) -> int:
        source = SourceFactory(title=f"Synthetic list of {count}")
        for _ in range(count):
            record = VictimFactory() if kind == "victims" else PositionFactory().perpetrator
            CitationFactory(content_object=record, source=source, claim="general")
        with CaptureQueriesContext(connection) as queries:
            source.move_to(PublicationStatus.WITHDRAWN, user=reviewer)
        source.refresh_from_db()
        assert source.publication_status == "withdrawn"
        return len(queries)

    withdraw_with(1)  # the content types' cache warmed, as in a running server
    assert withdraw_with(12) == withdraw_with(3)


def test_a_refusal_for_many_records_names_twenty_and_counts_the_rest(reviewer):
    source = SourceFactory(title="Synthetic list of 23")
    for n in range(23):
        victim = VictimFactory(name_latin=f"Testname Many{n:02d}", cited=False)
        CitationFactory(content_object=victim, source=source, claim="general")

    with pytest.raises(ValidationError) as refused:
        source.move_to(PublicationStatus.WITHDRAWN, user=reviewer)

    text = plain(refused.value)
    assert len(re.findall(r"Testname Many\d\d", text)) == 20
    assert "and 3 more records" in text
