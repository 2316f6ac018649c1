"""A misspelt name is found through the deletions stored for each key (issue 26: a
search looks up a misspelling by its own few deletions, not its ~260 one-letter
variants): every kind of one-letter slip, in keys of every length, still finds the
person, on whichever database runs, and the stored deletions follow an edited name."""

import random

import pytest
from django.db import connection
from django.urls import reverse

from archive.core import names
from archive.core.search import edit_terms, one_edit_variants, stored_edits
from tests.factories import VictimFactory


def refs(client, q):
    response = client.get(reverse("api:victim-list"), {"q": q})
    assert response.status_code == 200
    return [row["ref"] for row in response.json()["results"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Hassan Bakhtiari", "Hassan Bakhtiar"),  # a letter dropped (key of 6 letters)
        ("Hassan Bakhtiari", "Hassan Bakhtiyarri"),  # a letter added
        ("Nasrin Sotoudeh", "Nasrin Sotoodeb"),  # a letter changed
        ("Nasrin Sotoudeh", "Nasrin Sotuodeh"),  # two neighbours swapped
        ("Rahim Sabet", "Rahim Sabez"),  # a letter changed in a 3-letter key
        ("Rahim Sabet", "Rahim Sbabet"),  # a 3-letter key with a letter added
        ("Shahrokh Esfandiarpour", "Shahrokh Esfandiarpoor"),  # a long key (9 letters and more)
        ("Shahrokh Esfandiarpour", "Shahrokh Esfandarpour"),  # ... with a letter dropped
        ("Mahmoud Kamalvand", "Mahmoud Kamalvant"),  # a key of 8 letters, a letter changed
    ],
)
def test_a_name_one_letter_off_is_found_first(anonymous, stored, query):
    VictimFactory(name_latin="Hassan Karimi", name_fa="", father_name="")
    VictimFactory(name_latin="Rahim Moradi", name_fa="", father_name="")
    person = VictimFactory(name_latin=stored, name_fa="", father_name="")
    assert refs(anonymous, query)[:1] == [person.ref]


@pytest.mark.django_db
def test_a_renamed_person_is_found_by_a_slip_in_the_new_name_only(anonymous):
    person = VictimFactory(name_latin="Farhad Tabrizian", name_fa="", father_name="")
    assert refs(anonymous, "Tabrizain") == [person.ref]
    person.name_latin = "Farhad Golestanian"
    person.save()
    assert refs(anonymous, "Golestanain") == [person.ref]
    assert refs(anonymous, "Tabrizain") == []


def test_the_terms_asked_for_reach_every_key_one_letter_away():
    """What the probe sends for a query key meets what the index holds for every stored
    key among its one-letter variants (edit_terms against stored_edits)."""
    rng = random.Random(3)
    letters = "abdfhiklmnqrstuvwz"
    for _ in range(300):
        token = "".join(rng.choice(letters) for _ in range(rng.randint(3, 10)))
        terms, _shared = edit_terms(token)
        variants = one_edit_variants(token)
        for key in rng.sample(variants, 20):
            assert set(terms) & set(stored_edits(f"ale {key} | mhmd")), (token, key)
        # A key as asked is never a term the probe needs: its holders were found before.
        assert token not in terms


def test_a_row_holding_the_key_as_asked_shows_the_shared_deletions():
    terms, shared = edit_terms("krime")
    assert shared and set(terms) & set(stored_edits("krime"))
    assert not edit_terms("hsn")[1] and not edit_terms("asfndiarpur")[1]


@pytest.mark.django_db
def test_the_index_holds_what_python_says_it_holds():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL keeps the deletions in an expression index")
    samples = [
        names.name_keys("Seyyed Zabihollah Moradian") + " | " + names.name_keys("Sadegh"),
        names.name_keys("Ali Hassanpour", "علی حسن‌پور"),
        names.name_keys("Shahrokh Esfandiarpour"),
        "ab hsn",
    ]
    with connection.cursor() as cursor:
        for keys in samples:
            cursor.execute("SELECT archive_name_edits(%s)", [keys])
            assert cursor.fetchone()[0] == stored_edits(keys), keys
