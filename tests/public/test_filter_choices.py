"""The list's long choices (prisons, regions, events) are written in Python
(``archive.core.filters.QuickSelect``): the same select Django's templates write, every
label escaped, the chosen one selected."""

import re

import pytest
from django import forms
from django.test import Client

from archive.core.filters import QuickSelect
from tests.factories import PlaceFactory, VictimFactory

CHOICES = [
    ("", "Any"),
    ("1", 'Evin & "Ward 209"'),
    ("2", "<script>alert(1)</script>"),
    ("3", "زندان اوین"),
    ("Group", [("4", "Gohardasht"), ("5", "Qezel Hesar")]),
]


def tidy(html: str) -> str:
    return re.sub(r">\s+<", "><", html)


@pytest.mark.parametrize("chosen", ["", "2", "5"])
def test_the_quick_select_writes_what_django_writes(chosen):
    attrs = {"id": "id_prison", "aria-describedby": "id_prison_helptext", "disabled": False}
    django = forms.Select(choices=CHOICES).render("prison", chosen, attrs)
    quick = QuickSelect(choices=CHOICES).render("prison", chosen, attrs)
    assert tidy(quick) == tidy(django)
    assert "<script>" not in quick
    assert "&lt;script&gt;" in quick


@pytest.mark.django_db
def test_the_prison_chosen_on_the_list_is_selected_and_every_public_prison_offered():
    prisons = [PlaceFactory(name_en=f"Testname Prison {n} & Ward") for n in range(3)]
    for prison in prisons:
        VictimFactory(prison=prison)
    html = Client().get(f"/victims/?prison={prisons[1].pk}").content.decode()
    select = html[html.index('<select name="prison"') :]
    select = select[: select.index("</select>")]
    assert select.count("<option") == 4  # "Any" and the three prisons
    assert (
        f'<option value="{prisons[1].pk}" selected>Testname Prison 1 &amp; Ward</option>' in select
    )
