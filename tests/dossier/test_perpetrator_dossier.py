"""A perpetrator's dossier: what it shows, what it never shows, and its digest."""

import pytest

from perpetrators.models import Perpetrator, Position
from tests.dossier.dossier_helpers import printed_digest, sha256
from tests.factories import (
    CitationFactory,
    CommissionFactory,
    MembershipFactory,
    PerpetratorFactory,
    PlaceFactory,
    SourceFactory,
    VictimFactory,
)

pytestmark = pytest.mark.django_db

RAISI = "/perpetrators/P-0001/dossier/"


def test_dossier_shows_identity_career_membership_and_footnoted_sources(seed, anonymous):
    html = anonymous.get(RAISI).content.decode()
    assert "Ebrahim Raisi" in html
    assert "Ebrahim Raeisi" in html  # an alias
    assert "Head of the Judiciary (Judiciary Chief)" in html
    assert "رئیس قوه قضاییه" in html  # the post in the other script
    assert "Death Commissions of 1988" in html
    assert 'class="fn"' in html
    assert (
        "https://iran1988.org/new-report-published-1988massacre-iran-evidence-crime-humanity/"
        in html
    )
    assert "https://twitter.com/statedeptspox/status/1284216751941652484" in html


def test_dossier_prints_its_provenance(seed, anonymous, settings):
    settings.ARCHIVE_VERSION = "9.8.7-test"
    html = anonymous.get(RAISI).content.decode()
    assert "9.8.7-test" in html
    assert "http://testserver/perpetrators/P-0001/" in html
    assert "Generated" in html and "Records last changed" in html
    assert len(printed_digest(html)) == 64


def test_digest_served_beside_is_the_printed_one_and_recomputes_from_the_content(seed, anonymous):
    html = anonymous.get(RAISI).content.decode()
    lines = anonymous.get("/perpetrators/P-0001/dossier.sha256").content.decode().splitlines()
    content = anonymous.get("/perpetrators/P-0001/dossier.json").content
    digest, name = lines[0].split("  ")
    assert digest == printed_digest(html) == sha256(content)
    assert name == "perpetrator-P-0001-dossier.json"


def test_same_record_state_gives_same_digest_and_a_change_changes_it(
    seed, anonymous, django_capture_on_commit_callbacks
):
    # Each block stands for a committed transaction (the test runs inside one).
    first = printed_digest(anonymous.get(RAISI).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        Perpetrator.objects.get(ref="P-0001").save()  # saved again, nothing changed
    assert printed_digest(anonymous.get(RAISI).content.decode()) == first

    # As the admin would: a saved change to one of the record's posts.
    with django_capture_on_commit_callbacks(execute=True):
        position = Position.objects.filter(perpetrator__ref="P-0001").first()
        position.title_en = "Head of the Judiciary"
        position.save()
    changed = printed_digest(anonymous.get(RAISI).content.decode())
    assert changed != first


def test_english_and_persian_dossiers_carry_the_same_digest(seed, anonymous):
    english = printed_digest(anonymous.get(RAISI).content.decode())
    persian = printed_digest(anonymous.get("/fa" + RAISI).content.decode())
    assert english == persian


def test_persian_dossier_is_right_to_left_with_persian_text_and_digits(seed, anonymous):
    html = anonymous.get("/fa/perpetrators/P-0003/dossier/").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "مشاور رئیس قوه قضاییه" in html
    assert "۱۳۹۸" in html  # the statement's date in the Solar Hijri calendar, Persian digits
    assert "۲۵ ژوئیه ۲۰۱۹" in html  # and the Gregorian beside it


@pytest.mark.parametrize("suffix", ["dossier/", "dossier.pdf", "dossier.json", "dossier.sha256"])
def test_unpublished_perpetrator_has_no_dossier(anonymous, suffix):
    draft = PerpetratorFactory(publication_status="draft")
    assert anonymous.get(f"/perpetrators/{draft.ref}/{suffix}").status_code == 404
    assert anonymous.get(f"/fa/perpetrators/{draft.ref}/{suffix}").status_code == 404


def test_victims_of_the_commission_are_counted_and_unpublished_ones_left_out(anonymous):
    evin = PlaceFactory(name_en="Evin Prison")
    commission = CommissionFactory()
    member = MembershipFactory(commission=commission).perpetrator
    VictimFactory(name_latin="Testname Shown", commission=commission, prison=evin)
    VictimFactory(commission=commission, prison=evin)
    VictimFactory(name_latin="Testname Hidden", commission=commission, publication_status="draft")
    VictimFactory(name_latin="Testname Elsewhere")  # another commission, or none

    html = anonymous.get(f"/perpetrators/{member.ref}/dossier/").content.decode()
    assert "Testname Shown" in html
    assert "Testname Hidden" not in html
    assert "Testname Elsewhere" not in html
    assert "2 published victim records." in html
    assert "Evin Prison" in html


def test_a_change_to_a_linked_victim_changes_the_digest(anonymous):
    commission = CommissionFactory()
    member = MembershipFactory(commission=commission).perpetrator
    victim = VictimFactory(commission=commission)
    url = f"/perpetrators/{member.ref}/dossier.json"
    before = anonymous.get(url).content
    victim.name_fa = "نام آزمایشی"
    victim.save()
    assert anonymous.get(url).content != before


def test_unpublished_commission_is_left_out(anonymous):
    membership = MembershipFactory(commission=CommissionFactory(publication_status="draft"))
    response = anonymous.get(f"/perpetrators/{membership.perpetrator.ref}/dossier/")
    assert response.status_code == 200
    html = response.content.decode()
    assert membership.perpetrator.name_latin in html
    assert membership.commission.name_en not in html


def test_private_testimony_is_cited_only_as_such(anonymous):
    perpetrator = PerpetratorFactory()
    private = SourceFactory(
        title="Testimony of a named witness",
        author="Witness Name",
        url="https://example.org/secret",
        is_private=True,
        received_date="2024-03-05",
    )
    CitationFactory(
        content_object=perpetrator, source=private, locator="p. 3", quote="words of the witness"
    )
    page = anonymous.get(f"/perpetrators/{perpetrator.ref}/dossier/")
    data = anonymous.get(f"/perpetrators/{perpetrator.ref}/dossier.json")
    assert page.status_code == data.status_code == 200
    html, content = page.content.decode(), data.content.decode()
    assert "Private testimony, received" in html and "5 March 2024" in html
    assert '"private_testimony_received":"2024-03-05"' in content
    for secret in ("Testimony of a named witness", "Witness Name", "example.org/secret",
                   "words of the witness", "p. 3"):  # fmt: skip
        assert secret not in html
        assert secret not in content


def test_unpublished_source_is_not_cited(anonymous):
    perpetrator = PerpetratorFactory()
    draft = SourceFactory(title="Draft report", publication_status="draft")
    published = SourceFactory(title="Published report")
    CitationFactory(content_object=perpetrator, source=draft)
    CitationFactory(content_object=perpetrator, source=published)
    response = anonymous.get(f"/perpetrators/{perpetrator.ref}/dossier/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Published report" in html  # the dossier does list its sources
    assert "Draft report" not in html


def test_perpetrator_and_event_pages_link_to_their_dossiers(seed, client):
    page = client.get("/perpetrators/P-0001/").content.decode()
    assert "/perpetrators/P-0001/dossier.pdf" in page
    page = client.get("/events/1988-massacre/").content.decode()
    assert "/events/1988-massacre/dossier.pdf" in page


@pytest.mark.parametrize("suffix", ["dossier/", "dossier.pdf", "dossier.json", "dossier.sha256"])
@pytest.mark.parametrize("ref", ["%00", "P-0001%00", "%00%00"])
def test_a_reference_with_a_nul_byte_has_no_dossier(anonymous, ref, suffix):
    # PostgreSQL refuses a NUL in a query: without a check this was a 500 there.
    assert anonymous.get(f"/perpetrators/{ref}/{suffix}").status_code == 404
    assert anonymous.get(f"/fa/perpetrators/{ref}/{suffix}").status_code == 404
