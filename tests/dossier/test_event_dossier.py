"""An event's dossier: its description, commissions, members, victims and sources."""

import pytest

from tests.dossier.dossier_helpers import printed_digest, sha256
from tests.factories import EventFactory, VictimFactory

pytestmark = pytest.mark.django_db

MASSACRE = "/events/1988-massacre/dossier/"


def test_event_dossier_lists_the_event_commissions_members_and_sources(seed, anonymous):
    html = anonymous.get(MASSACRE).content.decode()
    assert "1988 massacre of political prisoners" in html
    assert "Death Commissions of 1988" in html
    for name in ("Ebrahim Raisi", "Alireza Avaei", "Mostafa Pour-Mohammadi"):
        assert name in html
    for url in (
        "https://undocs.org/A/72/322",
        "https://www.amnesty.org/en/documents/mde13/9421/2018/en/",
        "https://twitter.com/statedeptspox/status/1284216751941652484",
        "https://iran1988.org/new-report-published-1988massacre-iran-evidence-crime-humanity/",
    ):
        assert url in html


def test_event_dossier_counts_its_published_victims_by_fate(anonymous):
    event = EventFactory()
    VictimFactory(event=event, fate="executed")
    VictimFactory(event=event, fate="disappeared")
    VictimFactory(event=event, name_latin="Testname Draft", publication_status="draft")
    html = anonymous.get(f"/events/{event.slug}/dossier/").content.decode()
    assert "2 published victim records." in html
    assert "Forcibly disappeared" in html
    assert "Testname Draft" not in html


def test_event_digest_served_beside_matches(seed, anonymous):
    html = anonymous.get(MASSACRE).content.decode()
    digest = anonymous.get("/events/1988-massacre/dossier.sha256").content.decode().split()[0]
    content = anonymous.get("/events/1988-massacre/dossier.json").content
    assert digest == printed_digest(html) == sha256(content)


@pytest.mark.parametrize("suffix", ["dossier/", "dossier.pdf", "dossier.json", "dossier.sha256"])
def test_unpublished_event_has_no_dossier(anonymous, suffix):
    draft = EventFactory(publication_status="draft")
    assert anonymous.get(f"/events/{draft.slug}/{suffix}").status_code == 404
