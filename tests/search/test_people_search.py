"""People search through /api/victims/?q=, the public list and the admin: each kind of
query a family or a researcher types finds the person, on whichever database runs."""

import pytest
from django.urls import reverse

from tests.factories import VictimFactory

pytestmark = pytest.mark.django_db

# A few people who share given or family names, so a search must tell them apart.
CROWD = [
    ("Mohammad Karimi", "محمد کریمی", "Hassan"),
    ("Ali Hosseini", "علی حسینی", "Reza"),
    ("Hassan Karimi", "حسن کریمی", "Ali"),
    ("Mahmoud Hosseini", "محمود حسینی", "Mehdi"),
    ("Reza Ahmadi", "رضا احمدی", "Hossein"),
    ("Fatemeh Rezaei", "فاطمه رضایی", "Abbas"),
    ("Ali Mohammadi", "علی محمدی", "Javad"),
    ("Zahra Hosseini", "زهرا حسینی", "Ali"),
]


@pytest.fixture
def crowd():
    return [
        VictimFactory(name_latin=latin, name_fa=fa, father_name=father)
        for latin, fa, father in CROWD
    ]


def found(client, q):
    response = client.get(reverse("api:victim-list"), {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def refs(client, q):
    return [row["ref"] for row in found(client, q)]


@pytest.mark.parametrize(
    ("stored_latin", "stored_fa", "query"),
    [
        ("Mohammad Hosseini", "محمد حسینی", "Mohammad Hosseini"),
        ("Mohammad Hosseini", "محمد حسینی", "محمد حسینی"),
        ("Mohammad Hosseini", "محمد حسینی", "Mohammed Hoseini"),
        ("Ali Karimi", "علی کریمی", "علي كريمي"),
        ("Mohammadreza Tavakoli", "محمدرضا توکلی", "محمد رضا توکلی"),
        ("Mohammad Reza Tavakoli", "محمد رضا توکلی", "محمدرضا توکلی"),
        ("Mohammad Hosseini", "محمد حسینی", "Mohammad Hosseimi"),
        ("Kazem Hosseini", "کاظم حسینی", "K. Hosseini"),
        ("Mohammad Hosseini", "محمد حسینی", "Hosseini, Mohammad"),
    ],
    ids=[
        "exact-latin",
        "exact-persian",
        "variant-latin",
        "arabic-keyboard",
        "compound-split",
        "compound-joined",
        "one-letter-typo",
        "initial",
        "family-name-first",
    ],
)
def test_each_kind_of_query_finds_the_person_first(
    anonymous, crowd, stored_latin, stored_fa, query
):
    person = VictimFactory(name_latin=stored_latin, name_fa=stored_fa, father_name="Nader")
    assert refs(anonymous, query)[0] == person.ref


def test_the_fathers_name_ranks_the_right_namesake_first(anonymous, crowd):
    VictimFactory(name_latin="Ali Karimi", father_name="Mehdi")
    son_of_hassan = VictimFactory(name_latin="Ali Karimi", father_name="Hassan")
    VictimFactory(name_latin="Ali Karimi", father_name="Abbas")
    assert refs(anonymous, "Ali Karimi son of Hassan")[0] == son_of_hassan.ref
    assert refs(anonymous, "علی کریمی فرزند حسن")[0] == son_of_hassan.ref


def test_a_latin_query_finds_a_person_known_only_in_persian(anonymous, crowd):
    person = VictimFactory(name_latin="", name_fa="غلامرضا قاسمی", father_name="")
    assert refs(anonymous, "Gholamreza Ghasemi")[0] == person.ref
    assert refs(anonymous, "Qolamreza Qasemi")[0] == person.ref


def test_a_persian_query_finds_a_person_known_only_in_latin(anonymous, crowd):
    person = VictimFactory(name_latin="Gholamreza Ghasemi", name_fa="", father_name="")
    assert refs(anonymous, "غلامرضا قاسمی")[0] == person.ref


def test_results_say_whether_the_spelling_is_the_same(anonymous, crowd):
    VictimFactory(name_latin="Mohammad Hosseini", name_fa="محمد حسینی")
    same = found(anonymous, "Mohammad Hosseini")[0]
    assert same["exact"] is True and same["score"] == 1.0
    similar = found(anonymous, "Mohammad Hosseimi")[0]
    assert similar["exact"] is False and similar["score"] < 1.0


def test_the_public_list_labels_same_and_similar_spellings(anonymous, crowd):
    VictimFactory(name_latin="Mohammad Hosseini", name_fa="محمد حسینی")
    url = reverse("victims:victim-list")
    page = anonymous.get(url, {"q": "Mohammad Hosseini"}).content.decode()
    assert "same spelling" in page
    page = anonymous.get(url, {"q": "Mohamad Hoseimi"}).content.decode()
    assert "similar spelling" in page and "same spelling" not in page


def test_a_name_nobody_has_returns_nothing(anonymous, crowd):
    assert found(anonymous, "Ali Hosseini")  # the same search finds a name somebody has
    assert found(anonymous, "Xylophone Quartzberg") == []
    assert found(anonymous, "qqq") == []


def test_a_near_miss_is_never_labelled_exact(anonymous, crowd):
    results = found(anonymous, "Ali Karimi")  # nobody is called Ali Karimi
    # Hassan Karimi, son of Ali, is found: the check below is on a near miss, not on nothing.
    assert "Hassan Karimi" in [row["name_latin"] for row in results]
    assert all(not row["exact"] for row in results)


def test_unpublished_people_are_never_returned(anonymous, crowd):
    VictimFactory(name_latin="Bahram Sadeghi", publication_status="draft")
    namesake = VictimFactory(name_latin="Bahram Sadeghi")
    assert refs(anonymous, "Bahram Sadeghi") == [namesake.ref]


def test_the_admin_search_box_uses_the_people_search(researcher_client, crowd):
    person = VictimFactory(name_latin="", name_fa="محمد حسینی", publication_status="draft")
    page = researcher_client.get(
        reverse("admin:victims_victim_changelist"), {"q": "Mohammed Hoseini"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("admin:victims_victim_change", args=[person.pk]) in html
    assert "Fatemeh Rezaei" not in html


def test_rows_keyed_before_father_keys_get_them_from_the_migration(db):
    from django.apps import apps

    from archive.core.migration_ops import add_father_keys
    from victims.models import Victim

    victim = VictimFactory(name_latin="Ali Karimi", father_name="Hassan")
    stored = Victim.objects.get(pk=victim.pk).name_keys
    own = stored.split(" | ")[0]
    Victim.objects.filter(pk=victim.pk).update(name_keys=own)  # as keyed before
    add_father_keys("victims.Victim")(apps, None)
    assert Victim.objects.get(pk=victim.pk).name_keys == stored


def test_one_letter_variants_of_a_key_hold_every_single_misspelling():
    from archive.core.search import one_edit_variants

    variants = set(one_edit_variants("hsine"))
    assert {"hsne", "hisne", "hsinee", "hsina", "ahsine"} <= variants  # drop, swap, add, change
    assert "hsine" not in variants
    assert "hsnie" in variants and "hsiene" in variants
    assert "hsinea" in variants and "xsine" in variants
    assert "hsn" not in variants  # two letters away


def test_a_guess_that_runs_past_its_budget_gives_nothing_and_the_search_goes_on(db):
    from django.db import connection, transaction

    from archive.core.search import Prober
    from victims.models import Victim

    VictimFactory(name_latin="Budget Testperson")
    with transaction.atomic(), Prober(Victim.objects.all()) as prober:
        if connection.vendor == "postgresql":
            assert prober.rows([("pg_sleep(0.2) IS NOT NULL", [], 10)], timeout_ms=20) == []
        assert len(prober.rows([("TRUE", [], 10)], timeout_ms=5000)) == 1
        # The transaction is still usable, and bound by no timeout.
        assert Victim.objects.filter(name_latin="Budget Testperson").exists()
        assert len(prober.rows([("TRUE", [], 10)])) == 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the probes' settings did not outlive them
            cursor.execute("SELECT current_setting('enable_seqscan')")
            assert cursor.fetchone() == ("on",)


def test_probes_read_only_rows_the_queryset_allows(db):
    from archive.core.search import Prober
    from victims.models import Victim

    shown = VictimFactory(name_latin="Filtered Testperson", fate="executed")
    VictimFactory(name_latin="Filtered Testperson", fate="died_in_custody")
    queryset = Victim.objects.filter(fate="executed")
    with Prober(queryset) as prober:
        rows = prober.rows([("TRUE", [], 10)])
    assert [pk for _probe, pk, _keys in rows] == [shown.pk]
    with Prober(Victim.objects.none()) as prober:
        assert prober.rows([("TRUE", [], 10)]) == []


def test_no_write_leaves_a_pending_list_for_searches_to_read(db):
    """A GIN pending list is read through by every search until it is merged; left
    standing after an import it made a misspelling's probe 15 times slower. The name
    indexes take a statement's rows through their list (an import's batch is entered in
    bulk) and a trigger merges it before the statement ends: after any write, nothing is
    pending. The name indexes are the names tables' (``search_names``); the people's
    tables keep none of their own, which no search would read."""
    from django.db import connection

    from archive.core.search_names import NAMES_GIN_INDEXES
    from tests.factories import PerpetratorFactory
    from victims.models import Victim

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN indexes only")
    indexes = [
        f"{table}_names_{suffix}"
        for table in ("victims_victim", "perpetrators_perpetrator")
        for suffix in NAMES_GIN_INDEXES
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relname = ANY(%s)",
            [
                [
                    f"{table}_{suffix}"
                    for table in ("victims_victim", "perpetrators_perpetrator")
                    for suffix in ("keys_edits", "keys_trgm", "keys_initials")
                ]
            ],
        )
        assert cursor.fetchone()[0] == 0  # the people's own are gone

    def pending() -> dict[str, int]:
        # Pages a merge would take off each list: 0 when nothing was left pending.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, gin_clean_pending_list(oid) FROM pg_class WHERE relname = ANY(%s)",
                [indexes],
            )
            return {name: pages for name, pages in cursor.fetchall() if pages}

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [indexes]
        )
        options = dict(cursor.fetchall())
    assert len(options) == 2 * len(NAMES_GIN_INDEXES)
    # The lists are in use (else the test below would prove nothing).
    assert all("fastupdate=on" in (opts or []) for opts in options.values()), options

    victim = VictimFactory(name_latin="Pendinglist Testperson", father_name="Ali")
    assert pending() == {}
    victim.name_latin = "Pendinglist Testpersonn"
    victim.save()
    assert pending() == {}
    Victim.objects.bulk_create(
        [Victim(ref=f"TEST-PEND-{i}", name_latin=f"Bulkname{i} Testperson") for i in range(300)]
    )
    assert pending() == {}
    Victim.objects.filter(ref__startswith="TEST-PEND-").update(publication_status="draft")
    assert pending() == {}
    PerpetratorFactory(name_latin="Pendinglist Perpetrator")
    assert pending() == {}
    assert Victim.objects.all().search("Pendinglist Testpersonn")[0] == victim


def test_a_timeout_delivered_after_its_guess_ended_does_not_fail_the_search(transactional_db):
    """PostgreSQL delivers a statement timeout that fires as the statement ends to the
    connection's next statement; the page's query after a timed guess must not get it.
    Outside a transaction, as a public request runs."""
    from django.db import OperationalError, connection

    from archive.core.search import Prober
    from victims.models import Victim

    VictimFactory(name_latin="Latecancel Testperson")
    state = {"timed": False, "delivered": False}

    def late_cancel(execute, sql, params, many, context):
        if state["timed"] and not state["delivered"]:
            state["delivered"] = True
            raise OperationalError("canceling statement due to statement timeout")
        result = execute(sql, params, many, context)
        # A probe: its SQL, or the statement prepared from it (archive.core.search.prepared)
        probe = "name_keys" in sql or "EXECUTE archive_search_" in sql
        state["timed"] |= probe and sql.startswith(("SET LOCAL", "SELECT"))
        return result

    with Prober(Victim.objects.all()) as prober, connection.execute_wrapper(late_cancel):
        rows = prober.rows([("TRUE", [], 10)], timeout_ms=5000)
        assert state["delivered"]
        # The next query of the request (here the probe's own rows again) is unharmed.
        again = prober.rows([("TRUE", [], 10)])
        assert [keys for *_, keys in rows] == [keys for *_, keys in again]


def test_an_initial_finds_its_person_among_more_namesakes_than_a_probe_reads(anonymous):
    from archive.core.search import EXACT_LIMIT

    givens = ["Ali", "Reza", "Hassan", "Mehdi", "Amir", "Bahram", "Nader", "Omid"]
    for i in range(EXACT_LIMIT + 20):  # stored before the one asked for
        VictimFactory(name_latin=f"{givens[i % len(givens)]} Hosseini", name_fa="")
    kazem = VictimFactory(name_latin="Kazem Hosseini", name_fa="")
    khosrow = VictimFactory(name_latin="Khosrow Hosseini", name_fa="")
    assert set(refs(anonymous, "K. Hosseini")[:2]) == {kazem.ref, khosrow.ref}
    assert set(refs(anonymous, "Hosseini, K.")[:2]) == {kazem.ref, khosrow.ref}


def test_the_public_list_and_the_api_show_the_ranking_of_the_querysets_search(anonymous, crowd):
    from victims.models import Victim

    ranked = Victim.objects.published().search("Ali Hosseini")
    order = [victim.ref for victim in ranked]

    page = anonymous.get(reverse("victims:victim-list"), {"q": "Ali Hosseini"})

    assert len(ranked) == len(order) > 1
    assert ranked[0].search_exact and not ranked[1].search_exact
    assert [victim.ref for victim in page.context["victims"]] == order
    assert refs(anonymous, "Ali Hosseini") == order
