"""Perpetrators entered twice: the lists of the 1988 commissions' members spell the same
officials their own ways. Synthetic names (recombined from the name lexicon), never real."""

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from perpetrators.models import Perpetrator, PerpetratorMerge, PerpetratorPair
from sources.models import Citation
from tests.factories import (
    CitationFactory,
    CommissionFactory,
    MembershipFactory,
    PerpetratorFactory,
    PositionFactory,
    StatementFactory,
)

# The same (synthetic) official as two lists would write him.
SPELT_TWO_WAYS = [
    ("Hossein Ali Testnayeri", "Hosein-Ali Testnayyeri"),
    ("Mostafa Pourmohammadi Testi", "Mustafa Pour-Mohammadi Testi"),
    ("Ebrahim Raeesi Testpour", "Ibrahim Raisi Testpour"),
    ("Morteza Eshraghi Test", "Mortaza Eshraqi Test"),
    ("Hojatoleslam Gholamreza Testzadeh", "Gholam-Reza Testzadeh"),
    ("Ayatollah Mohammad Testabadi", "محمد تستآبادی"),
    ("Ali Mobasheri Testi", "علی مبشری تستی"),
    ("Esmaeil Shoushtari Testi", "Ismail Shushtari Testi"),
]


def _rows(path):
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _create(name):
    if any("\u0600" <= ch <= "\u06ff" for ch in name):
        return PerpetratorFactory(name_latin="", name_fa=name, cited=False)
    return PerpetratorFactory(name_latin=name, cited=False)


@pytest.mark.django_db
def test_every_official_spelt_two_ways_is_found(tmp_path):
    pairs = [(_create(a), _create(b)) for a, b in SPELT_TWO_WAYS]
    PerpetratorFactory(name_latin="Reza Testkarimi", cited=False)  # no twin
    PerpetratorFactory(name_latin="Hassan Testkarimi", cited=False)  # a namesake's relative
    out = tmp_path / "pairs.csv"
    call_command("find_duplicates", "perpetrators", str(out), "--store", verbosity=0)
    found = {frozenset((r["ref_a"], r["ref_b"])) for r in _rows(out)}
    expected = {frozenset((a.ref, b.ref)) for a, b in pairs}
    assert expected <= found, [sorted(p) for p in expected - found]
    assert found == expected  # nothing else proposed
    assert PerpetratorPair.objects.count() == len(pairs)


# One (synthetic) official in each list's own way: the compound given name joined,
# hyphenated or spaced, a doubled letter or not, a title or not, Persian only.
ONE_OFFICIAL = [
    "Hossein-Ali Testnayyeri",
    "Hosseinali Testnayeri",
    "Hojatoleslam Hossein Ali Testnayeri",
    "حسینعلی تستنیری",
    "آیت‌الله حسین‌علی تستنیری",
]


@pytest.mark.django_db
def test_one_official_in_five_spellings_is_found_in_every_pair(tmp_path):
    records = [_create(name) for name in ONE_OFFICIAL]
    PerpetratorFactory(name_latin="Hossein Testnayeri", cited=False)  # another man
    out = tmp_path / "pairs.csv"
    call_command("find_duplicates", "perpetrators", str(out), verbosity=0)
    found = {frozenset((r["ref_a"], r["ref_b"])) for r in _rows(out)}
    every_pair = {
        frozenset((a.ref, b.ref)) for i, a in enumerate(records) for b in records[i + 1 :]
    }
    assert every_pair - found == set()


def test_titles_are_dropped_but_not_the_names_that_share_their_letters():
    from perpetrators.dedupe import without_titles

    assert without_titles("Hojatoleslam val-Moslemin Ali Testrazini") == "ali testrazini"
    assert without_titles("آیت‌الله ذبیح‌الله تستمرادی") == "ذبیح الله تستمرادی"
    assert without_titles("Hasan-Ali Testkhah") == "hasan ali testkhah"
    assert without_titles("Sheikh") == "Sheikh"  # only a title: kept


@pytest.mark.django_db
def test_officials_with_different_fathers_are_not_paired(tmp_path):
    PerpetratorFactory(name_latin="Hossein Testnayeri", father_name="Ali", cited=False)
    PerpetratorFactory(name_latin="Hosein Testnayyeri", father_name="Hassan", cited=False)
    out = tmp_path / "pairs.csv"
    call_command("find_duplicates", "perpetrators", str(out), verbosity=0)
    assert _rows(out) == []


@pytest.fixture
def two_officials(db):
    commission = CommissionFactory()
    other_commission = CommissionFactory()
    draft = {"publication_status": "draft", "cited": False}
    keep = PerpetratorFactory(
        ref="TEST-PK", name_latin="Hossein Ali Testnayeri", birth_year=1956, **draft
    )
    other = PerpetratorFactory(
        ref="TEST-PO", name_latin="", name_fa="حسینعلی تستنیری", birth_year=1957, **draft
    )
    MembershipFactory(perpetrator=keep, commission=commission)
    MembershipFactory(perpetrator=other, commission=other_commission, role="judge")
    PositionFactory(perpetrator=other)
    StatementFactory(perpetrator=other)
    CitationFactory(content_object=keep, claim="birth_year")
    CitationFactory(content_object=other, claim="birth_year")
    CitationFactory(content_object=other, claim="general")
    return keep, other


def test_merge_records_perpetrators_from_a_terminal_moves_everything_and_undoes(two_officials):
    keep, other = two_officials
    citations = set(Citation.objects.for_object(other).values_list("pk", flat=True))
    seats, posts, statements = (
        set(other.memberships.values_list("pk", flat=True)),
        set(other.positions.values_list("pk", flat=True)),
        set(other.statements.values_list("pk", flat=True)),
    )
    call_command("merge_records", "perpetrators", "TEST-PK", "TEST-PO", verbosity=0)

    other.refresh_from_db()
    keep.refresh_from_db()
    assert other.merged_into == keep
    assert other.publication_status == "withdrawn"
    assert keep.name_fa == "حسینعلی تستنیری"
    assert citations <= set(Citation.objects.for_object(keep).values_list("pk", flat=True))
    assert seats <= set(keep.memberships.values_list("pk", flat=True))
    assert posts <= set(keep.positions.values_list("pk", flat=True))
    assert statements <= set(keep.statements.values_list("pk", flat=True))
    # The birth year not kept is a version on the citation that gave it.
    moved = Citation.objects.for_object(keep).filter(claim="birth_year")
    assert sorted(c.value for c in moved) == ["", "1957"]
    assert PerpetratorMerge.objects.get().merged_by is None

    call_command("merge_records", "perpetrators", "TEST-PK", "TEST-PO", "--undo", verbosity=0)
    other.refresh_from_db()
    assert other.merged_into is None and other.publication_status == "draft"
    assert citations == set(Citation.objects.for_object(other).values_list("pk", flat=True))
    assert seats == set(other.memberships.values_list("pk", flat=True))
    assert posts == set(other.positions.values_list("pk", flat=True))
    assert statements == set(other.statements.values_list("pk", flat=True))
    assert {c.value for c in Citation.objects.for_object(other)} == {""}


def test_a_merged_perpetrators_public_address_redirects(db, reviewer, client):
    keep = PerpetratorFactory(name_latin="Morteza Eshraghi Test")
    other = PerpetratorFactory(name_latin="Mortaza Eshraqi Test")
    call_command("merge_records", "perpetrators", keep.ref, other.ref, "--as", reviewer.username,
                 verbosity=0)  # fmt: skip
    response = client.get(f"/perpetrators/{other.ref}/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/perpetrators/{keep.ref}/")


def test_merging_a_published_perpetrator_from_a_terminal_asks_for_a_reviewer(db):
    keep = PerpetratorFactory(name_latin="Morteza Eshraghi Test")
    other = PerpetratorFactory(name_latin="Mortaza Eshraqi Test")
    with pytest.raises(CommandError, match="--as"):
        call_command("merge_records", "perpetrators", keep.ref, other.ref, verbosity=0)
    assert Perpetrator.objects.get(pk=other.pk).merged_into is None


def test_a_researcher_merges_a_proposed_pair_in_the_admin_a_reviewer_undoes_it(
    two_officials, researcher_client, reviewer, client
):
    from tests.conftest import signed_in

    keep, other = two_officials
    pair = PerpetratorPair.objects.create(perpetrator_a=keep, perpetrator_b=other, score=0.9,
                                          reasons="same name in another spelling")  # fmt: skip
    page = researcher_client.get("/admin/perpetrators/perpetratorpair/")
    assert "same name in another spelling" in page.content.decode()
    response = researcher_client.post(
        "/admin/perpetrators/perpetratorpair/",
        {"action": "merge_b_into_a", "_selected_action": [pair.pk]},
        follow=True,
    )
    assert "TEST-PO was merged into TEST-PK" in response.content.decode()
    other.refresh_from_db()
    assert other.merged_into == keep
    pair.refresh_from_db()
    assert pair.status == PerpetratorPair.Status.SAME

    merge = PerpetratorMerge.objects.get()
    signed_in(client, reviewer).post(
        "/admin/perpetrators/perpetratormerge/",
        {"action": "undo", "_selected_action": [merge.pk]},
    )
    other.refresh_from_db()
    assert other.merged_into is None
    assert other.memberships.count() == 1
