"""Publishing a record puts it on the published pages that link to it (a victim's page
shows its event only once the event is published): the gate asks those links for a
citation too, so that no published page gains an uncited fact."""

import pytest
from django.core.exceptions import ValidationError

from archive.core.models import Event
from perpetrators.models import Commission
from tests.factories import (
    CitationFactory,
    CommissionFactory,
    EventFactory,
    VictimFactory,
)


def plain(text) -> str:
    text = " ".join(text.messages) if hasattr(text, "messages") else str(text)
    return text.replace("\u2068", "").replace("\u2069", "")


def draft_event():
    event = EventFactory(name_en="Test Event Draft", publication_status="draft")
    return Event.objects.get(pk=event.pk)


def test_an_event_a_published_victim_links_to_without_citation_is_not_published(reviewer):
    event = draft_event()
    victim = VictimFactory(name_latin="Testname Linked", event=event, cited=False)
    CitationFactory(content_object=victim, claim="general")

    with pytest.raises(ValidationError) as refused:
        event.publish(user=reviewer)

    assert "Testname Linked" in plain(refused.value) and "Event" in plain(refused.value)
    event.refresh_from_db()
    assert event.publication_status == "draft"


def test_an_event_whose_linked_victims_cite_the_link_is_published(reviewer):
    event = draft_event()
    victim = VictimFactory(name_latin="Testname Linked", event=event, cited=False)
    CitationFactory(content_object=victim, claim="general")
    CitationFactory(content_object=victim, claim="event")
    VictimFactory(event=event, publication_status="draft", cited=False)  # not public: no matter

    event.publish(user=reviewer)

    event.refresh_from_db()
    assert event.publication_status == "published"


def test_a_commission_a_published_victim_is_linked_to_without_citation_is_not_published(
    reviewer,
):
    commission = CommissionFactory(name_en="Test Commission", publication_status="draft")
    commission = Commission.objects.get(pk=commission.pk)
    victim = VictimFactory(name_latin="Testname Decided", commission=commission, cited=False)
    CitationFactory(content_object=victim, claim="general")

    with pytest.raises(ValidationError) as refused:
        commission.publish(user=reviewer)

    assert "Testname Decided" in plain(refused.value)
    assert "Commission" in plain(refused.value)
    commission.refresh_from_db()
    assert commission.publication_status == "draft"
