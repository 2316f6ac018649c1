"""What a search asks of PostgreSQL: a few statements, each planned once per connection
(issue 26: a search near the price of an empty request)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import VictimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL runs a step's probes in one prepared statement")


def people_reads(queries) -> list[str]:
    """The statements that read the people (not savepoints, preparations, the data's
    version or the one question a process asks once: whether the names are kept)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "PREPARE"))
        and "archive_changecounter" not in q["sql"]
        and "to_regclass" not in q["sql"]
        and ("victims_victim" in q["sql"] or "EXECUTE archive_search_" in q["sql"])
    ]


def test_a_search_reads_the_people_in_two_statements(anonymous, postgres):
    namesakes = [
        VictimFactory(name_latin="Mohammad Hosseini", name_fa="محمد حسینی") for _ in range(2)
    ]
    VictimFactory(name_latin="Ali Karimi", name_fa="علی کریمی")
    url = reverse("api:victim-list")
    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get(url, {"q": "Mohammad Hoseini"})
    results = response.json()["results"]
    assert {row["ref"] for row in results} == {person.ref for person in namesakes}
    assert all(row["exact"] for row in results)
    # The tokens as asked, and in the same statement (they found too few rows to make
    # it needless) everything weaker: one-letter variants, tokens inside longer keys;
    # then the page's rows. Once one statement per probe, six in all; then three.
    assert len(people_reads(queries)) == 2, people_reads(queries)


def test_a_page_of_the_very_name_asked_for_reads_nothing_weaker(anonymous, postgres):
    """The weaker probes ride along with the strong ones only when the strong ones find
    too few rows to end the search: a page of the name as spelt still ends it."""
    from archive.core.search import ENOUGH_SAME

    namesakes = [
        VictimFactory(name_latin="Ali Karimi", name_fa="علی کریمی") for _ in range(ENOUGH_SAME + 2)
    ]
    VictimFactory(name_latin="Ali Karini", name_fa="")  # a letter off: a weaker probe's
    response = anonymous.get(reverse("api:victim-list"), {"q": "Ali Karimi"})
    results = response.json()["results"]
    assert {row["ref"] for row in results} == {person.ref for person in namesakes}


def test_a_search_answers_when_the_connection_already_holds_its_statements(anonymous, postgres):
    person = VictimFactory(name_latin="Parvaneh Shahbazi", name_fa="پروانه شهبازی")
    url = reverse("api:victim-list")
    first = anonymous.get(url, {"q": "Parvaneh Shahbazi"}).json()["results"]
    # As if the worker had forgotten what it prepared on this connection: preparing the
    # same names again fails, and the search runs its statements unprepared.
    connection._search_statements = None
    again = anonymous.get(url, {"q": "Parvaneh Shahbazi"}).json()["results"]
    assert [row["ref"] for row in again] == [row["ref"] for row in first] == [person.ref]
    assert again == first


def test_a_search_behind_a_pooler_prepares_nothing(anonymous, postgres, settings):
    """SEARCH_PREPARED=0 (pgbouncer in transaction mode): the same answer, with statements
    that no other server connection could lack."""
    settings.SEARCH_PREPARED = False
    person = VictimFactory(name_latin="Parvaneh Shahbazi", name_fa="پروانه شهبازی")
    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get(reverse("api:victim-list"), {"q": "Parvane Shahbazi"})
    assert [row["ref"] for row in response.json()["results"]] == [person.ref]
    assert not [q for q in queries.captured_queries if "archive_search_" in q["sql"]]


def test_a_page_of_names_fitting_an_initial_is_not_padded_with_the_family_names_others(
    anonymous, postgres
):
    """A search for "M. Hosseini": a page of Hosseinis whose name starts with an M, and
    none of the other Hosseinis, who all rank below them (reading them too cost 300 more
    rows to fetch and score on a common family name)."""
    from archive.core.search import ENOUGH_SAME

    fitting = [
        VictimFactory(name_latin=f"{given} Hosseini", name_fa="")
        for given in ["Mohammad", "Mahmoud", "Mehdi", "Majid", "Morteza", "Mostafa"] * 2
    ]
    assert len(fitting) >= ENOUGH_SAME
    for given in ["Ali", "Reza", "Hassan", "Bahram", "Nader"]:
        VictimFactory(name_latin=f"{given} Hosseini", name_fa="")
    response = anonymous.get(reverse("api:victim-list"), {"q": "M. Hosseini"})
    body = response.json()
    assert {row["ref"] for row in body["results"]} == {person.ref for person in fitting}
    assert body["count"] == len(fitting)


def test_a_name_left_out_is_looked_for_as_whole_names_only(anonymous, postgres):
    """A query of three names none of which bears all three: the names holding two of
    them as they are still rank (a father's name not on record), but no probe reads two
    names as parts of longer ones. At a million people "mhmd" and "hsin" inside longer
    keys are tens of thousands of names, of which a probe's LIMIT read an arbitrary
    three hundred: 13 ms of PostgreSQL and 300 names scored for nothing that ranks."""
    two_of_three = VictimFactory(name_latin="Mohammad Hosseini", name_fa="")
    VictimFactory(name_latin="Ali Karimi", name_fa="")
    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get(reverse("api:victim-list"), {"q": "Mohammad Hosseini Omid"})
    assert [row["ref"] for row in response.json()["results"]] == [two_of_three.ref]
    statements = [q["sql"] for q in queries.captured_queries]
    # A LIKE pattern is a name read as a part of longer keys (prepared or not, the
    # statement as sent carries its parameters). The three names as asked, one probe:
    # three patterns. Before, each pair left by leaving one name out too: six more.
    assert sum(sql.count("'%") for sql in statements) == 3, statements


def test_a_name_two_letters_off_beside_one_spelt_right_is_found_by_a_guess(anonymous, postgres):
    # "Musavianfar" is two letters from "Musavian": no whole token, deletion or part of a
    # longer key finds it; the guess through word similarity does.
    person = VictimFactory(name_latin="Shokat Musavian", name_fa="")
    VictimFactory(name_latin="Shokat Karimi", name_fa="")  # the given name alone
    VictimFactory(name_latin="Hassan Rahimi", name_fa="")
    results = anonymous.get(reverse("api:victim-list"), {"q": "Shokat Musavianfar"}).json()
    assert results["results"][0]["ref"] == person.ref
    assert not results["results"][0]["exact"]


def plan_of(sql: str) -> list[str]:
    """EXPLAIN of a statement as a search sent it (prepared, after its settings: its
    generic plan)."""
    *settings, statement = sql.split("; ")
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(setting)
        cursor.execute("EXPLAIN " + statement)
        return [line for (line,) in cursor.fetchall()]


def test_a_guess_beside_a_name_spelt_right_is_one_scan_of_one_index(postgres):
    """Planned as two index scans ANDed, a guess read every entry of its trigrams: 410,265
    for "ade" at a million people (46 ms), to keep those of the 1,205 names holding the
    name spelt right. The names table keeps keys, deletions, trigrams and initials in one
    index (``search_names.NameIndexesInOne``): one scan answers both."""
    from archive.core.search import Prober
    from archive.core.search.probes import TRIGRAMS, postgres_condition
    from victims.models import Victim

    for latin in ["Shokat Musavian", "Shokat Karimi", "Hassan Musavi", "Shokat Musavianpour"]:
        VictimFactory(name_latin=latin, name_fa="")
    with Prober(Victim.objects.published()) as prober:
        guess = postgres_condition(prober.names, ("fuzzy", "musvinfr", "wkt"), TRIGRAMS)
        with CaptureQueriesContext(connection) as queries:
            found = prober.found([guess])
        assert sorted(keys.split(" | ")[0] for _, _, keys, _ in found) == [
            "wkt musvin wktmusvin",
            "wkt musvinpur wktmusvinpur",
        ]
        plan = plan_of(queries.captured_queries[-1]["sql"])
    scans = [line for line in plan if "Index Scan" in line]
    assert len(scans) == 1 and f"{prober.names}_search" in scans[0], plan
    conditions = " ".join(line for line in plan if "Index Cond" in line)
    assert "@>" in conditions and "%>" in conditions, plan


def test_a_name_with_an_initial_is_one_scan_of_one_index(anonymous, postgres):
    """ "M. Hosseini" asks for the names holding "<letter>.hsini" pairs and "hsini": two
    indexes were two scans ANDed, 18,086 Hosseinis read to keep 5,375 names at a million
    people (4.8 ms, 2.2 in one index)."""
    fitting = VictimFactory(name_latin="Mahmoud Hosseini", name_fa="")
    VictimFactory(name_latin="Ali Hosseini", name_fa="")
    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get(reverse("api:victim-list"), {"q": "M. Hosseini"})
    assert response.json()["results"][0]["ref"] == fitting.ref
    probe = next(q["sql"] for q in queries.captured_queries if "archive_name_initials" in q["sql"])
    plan = plan_of(probe)
    # Both conditions in one scan's condition: an index that holds both.
    assert any(
        "Index Cond" in line and "archive_name_initials" in line and "archive_name_edits" in line
        for line in plan
    ), plan
