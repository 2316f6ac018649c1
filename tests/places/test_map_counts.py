"""The map's counts as victims are written: each publication, withdrawal, move, merge,
import and deletion shows on the next map exactly (the tallies the database keeps,
``victims.tallies``), and a place only drafts use is never linked."""

import re
import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from tests.factories import VictimFactory, cite_facts
from tests.imports.conftest import write_csv
from tests.places.test_places import linked, map_svg
from victims import tallies
from victims.models import Victim
from victims.services import merge_victims

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr>\s*<th scope="row"><a href="/places/([^/]+)/">.*?</tr>', re.S)
NUMBER = re.compile(r'<td class="number"[^>]*>([^<]*)</td>')


def counts(client=None) -> dict[str, tuple[int, int, int, int]]:
    """The map table's figures per place slug: (held, killed, buried, victim records)."""
    page = (client or Client()).get("/map/").content.decode()
    table = page[page.index('id="places-table"') :]
    out = {}
    for row in ROW.finditer(table):
        figures = NUMBER.findall(row.group(0))
        out[row.group(1)] = tuple(int(n.replace(",", "") or 0) for n in figures)
    return out


def exact():
    """The kept tallies are what a fresh count of the published victims gives."""
    assert tallies.differences() == {}
    return True


def test_each_publication_withdrawal_and_move_shows_on_the_next_map(places, reviewer):
    assert counts()["test-prison"] == (1, 0, 0, 1)
    assert counts()["test-grave"] == (0, 0, 1, 1)
    draft = Victim.objects.get(name_latin="Testname Draftonly")
    assert "draft-prison" not in counts()

    cite_facts(draft)
    draft.publish(user=reviewer)
    assert counts()["draft-prison"] == (1, 0, 0, 1)
    assert "/places/draft-prison/" in linked(map_svg(Client()))
    assert exact()

    # Held, killed and buried in the one place: three roles, one person.
    draft.death_place = draft.burial_place = places["draft-prison"]
    draft.save()
    assert counts()["draft-prison"] == (1, 1, 1, 1)
    assert exact()

    # Moved to another prison: the figures move with it.
    draft.prison = places["test-prison"]
    draft.save()
    assert counts()["test-prison"] == (2, 0, 0, 2)
    assert counts()["draft-prison"] == (0, 1, 1, 1)
    assert exact()

    draft.withdraw(user=reviewer, reason="checked: not this prison")
    assert counts()["test-prison"] == (1, 0, 0, 1)
    assert "draft-prison" not in counts()
    assert "/places/draft-prison/" not in linked(map_svg(Client()))
    assert exact()


def test_a_merge_counts_the_person_once(places, reviewer):
    twin = VictimFactory(name_latin="Testname Heldandburied", prison=places["test-prison"])
    assert counts()["test-prison"] == (2, 0, 0, 2)
    keep = Victim.objects.get(name_latin="Testname Heldandburied", burial_place__isnull=False)

    merge_victims(keep=keep, other=twin, user=reviewer)

    assert counts()["test-prison"] == (1, 0, 0, 1)
    assert counts()["test-grave"] == (0, 0, 1, 1)
    assert exact()


def test_an_import_counts_its_published_victims_and_links_no_place_only_its_drafts_use(
    places, tmp_path, manage, cited, reviewer
):
    rows = [
        {"ref": "T-1", "name_latin": "Testname Importone", "publication_status": "published",
         "prison": "Test Prison", "burial_place": "Test Mass Grave"},
        {"ref": "T-2", "name_latin": "Testname Importtwo", "publication_status": "published",
         "prison": "Test Prison", "burial_place": ""},
        {"ref": "T-3", "name_latin": "Testname Importdraft", "publication_status": "draft",
         "prison": "Draft-only Prison", "burial_place": "Test Mass Grave"},
    ]  # fmt: skip
    path = write_csv(tmp_path / "victims.csv", rows)

    run = manage("import_records", "victims", path, "--as", "reviewer", *cited)

    assert run.code == 0, run.text
    assert counts()["test-prison"] == (3, 0, 0, 3)
    assert counts()["test-grave"] == (0, 0, 2, 2)
    assert "draft-prison" not in counts()
    assert "/places/draft-prison/" not in linked(map_svg(Client()))
    assert exact()

    # Imported again, updated: the second prisoner now buried in the grave too.
    rows[1]["burial_place"] = "Test Mass Grave"
    path = write_csv(tmp_path / "again.csv", rows)
    run = manage("import_records", "victims", path, "--as", "reviewer", *cited, "--update")

    assert run.code == 0, run.text
    assert counts()["test-grave"] == (0, 0, 3, 3)
    assert exact()


def test_deleting_drafts_and_writing_in_bulk_keep_the_counts_exact(places, reviewer):
    drafts = VictimFactory.create_batch(3, prison=places["test-prison"], publication_status="draft")
    Victim.objects.filter(pk=drafts[0].pk).delete()
    assert counts()["test-prison"] == (1, 0, 0, 1)
    # Statements that write many rows at once (as the import and the admin's actions do).
    Victim.objects.filter(pk__in=[d.pk for d in drafts[1:]]).update(
        publication_status="published", death_place=places["test-city"]
    )
    assert exact()
    Victim.objects.filter(pk=drafts[1].pk).update(publication_status="withdrawn")
    Victim.objects.filter(pk=drafts[1].pk).delete()
    assert exact()
    assert tallies.place_tallies()[places["test-prison"].pk] == tallies.Tally(2, 0, 0, 2)
    assert tallies.place_tallies()[places["test-city"].pk] == tallies.Tally(0, 1, 0, 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_two_writers_of_one_place_at_once_neither_waits_and_both_are_counted(places):
    """Two transactions publish victims of the same prison at once: the second writes
    while the first is still open (it does not wait for the first's tally), and once
    both commit the tally counts both."""
    prison = places["test-prison"]
    first_wrote, second_done = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                VictimFactory(name_latin="Testname Firstwriter", prison=prison, cited=False)
                first_wrote.set()
                # Still open: the second writes now.
                assert second_done.wait(20), "the second writer waited for the first"
        except Exception as exc:  # reported below, from the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    def second():
        try:
            assert first_wrote.wait(20)
            with transaction.atomic():
                VictimFactory(name_latin="Testname Secondwriter", prison=prison, cited=False)
            second_done.set()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert tallies.place_tallies()[prison.pk] == tallies.Tally(3, 0, 0, 3)
    assert exact()
    # The two writers left a row each, at most: the next write folds them into one.
    VictimFactory(name_latin="Testname Thirdwriter", prison=prison, cited=False)
    from victims.models import PlaceTally

    assert PlaceTally.objects.filter(place=prison).count() == 1
    assert counts()["test-prison"] == (4, 0, 0, 4)
