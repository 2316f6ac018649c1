"""``bench/generate_synthetic.py``: clearly synthetic records written like an import."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from archive.core.models import Place
from bench.generate_synthetic import Command
from perpetrators.models import Perpetrator
from sources.models import Source
from victims.models import Victim

pytestmark = pytest.mark.django_db


def test_synthetic_victims_have_syn_refs_names_and_search_keys():
    call_command(Command(), "victims", "30", "--batch-size", "7")
    victims = list(Victim.objects.order_by("ref"))
    assert len(victims) == 30
    assert victims[0].ref == "SYN-0000001" and victims[-1].ref == "SYN-0000030"
    assert all(v.ref.startswith("SYN-") for v in victims)
    assert all(v.name_latin or v.name_fa for v in victims)
    assert all(v.name_keys for v in victims)
    assert {v.event.slug for v in victims} <= {"1988-massacre", "november-2019-protests"}
    assert any(v.prison_id for v in victims)


def test_synthetic_victims_are_found_by_the_public_search():
    call_command(Command(), "victims", "40")
    victim = Victim.objects.published().exclude(name_latin="").first()
    assert victim in Victim.objects.published().search(victim.name_latin)


def test_each_synthetic_victim_gets_a_created_history_entry():
    call_command(Command(), "victims", "5")
    assert Victim.history.filter(history_type="+", ref__startswith="SYN-").count() == 5
    entry = Victim.history.first()
    assert "synthetic" in entry.history_change_reason


def test_start_and_seed_continue_a_build_without_clashing():
    call_command(Command(), "victims", "5", "--seed", "3")
    call_command(Command(), "victims", "5", "--seed", "3", "--start", "6")
    assert Victim.objects.filter(ref__startswith="SYN-").count() == 10
    assert Victim.objects.filter(ref="SYN-0000010").exists()


def test_synthetic_perpetrators_and_sources_are_marked_synthetic():
    call_command(Command(), "perpetrators", "4")
    call_command(Command(), "sources", "3")
    assert Perpetrator.objects.filter(ref__startswith="SYN-", name_keys__gt="").count() == 4
    assert all(s.title.startswith("SYN-") and "ynthetic" in s.title for s in Source.objects.all())
    assert Source.objects.count() == 3


def test_generator_touches_nothing_but_synthetic_records(seed):
    real = set(Victim.objects.values_list("ref", flat=True))
    call_command(Command(), "victims", "10")
    added = set(Victim.objects.values_list("ref", flat=True)) - real
    assert len(added) == 10 and all(ref.startswith("SYN-") for ref in added)


def test_a_negative_count_is_refused():
    with pytest.raises(CommandError, match="N must be"):
        call_command(Command(), "victims", "-1")


def test_the_realistic_make_writes_the_facts_real_lists_give_and_towns_as_cities():
    call_command(Command(), "victims", "300", "--make", "realistic", "--batch-size", "120")
    victims = Victim.objects.filter(ref__startswith="SYN-")
    assert victims.count() == 300
    # Each fact given by some records and not by others, as lists give them.
    for fact in ("occupation", "religion", "ethnicity", "civil_status"):
        given = victims.exclude(**{fact: ""}).count()
        assert 0 < given < 300, fact
    born = victims.exclude(birth_place=None)
    assert 0 < born.count() < 300
    assert {v.birth_place.kind for v in born.select_related("birth_place")} == {"city"}
    assert victims.exclude(arrest_date=None).exclude(arrest_date_precision="").exists()
    # A second build meets the towns it made, rather than making them again.
    towns = Place.objects.filter(kind="city").count()
    call_command(Command(), "victims", "50", "--make", "realistic", "--start", "301")
    assert Place.objects.filter(kind="city").count() == towns


def test_the_realistic_make_has_far_fewer_namesakes_than_the_lexicon_make():
    def namesakes() -> int:
        """Pairs of records with the same name in Latin script."""
        latin = Victim.objects.filter(ref__startswith="SYN-").exclude(name_latin="")
        counts = Counter(latin.values_list("name_latin", flat=True))
        return sum(n * (n - 1) // 2 for n in counts.values())

    call_command(Command(), "victims", "2000", "--seed", "4")
    lexicon = namesakes()
    Victim.objects.filter(ref__startswith="SYN-").update(publication_status="draft")
    Victim.objects.filter(ref__startswith="SYN-").delete()
    call_command(Command(), "victims", "2000", "--seed", "4", "--make", "realistic")
    assert namesakes() * 4 < lexicon  # (21 against 166 when written)
