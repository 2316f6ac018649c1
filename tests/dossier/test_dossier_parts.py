"""The shared parts of a dossier: canonical content, sha256sum lines, static files only,
victim counts."""

import hashlib
from datetime import date

import pytest

from archive.core.dates import MONTH, YEAR, PartialDate
from archive.dossiers import common as dossier
from tests.factories import PlaceFactory, VictimFactory
from victims.models import Victim


def test_canonical_json_does_not_depend_on_key_order():
    assert dossier.canonical_json({"b": 1, "a": "ب"}) == dossier.canonical_json({"a": "ب", "b": 1})
    assert dossier.canonical_json({"a": "ب"}) == '{"a":"ب"}\n'.encode()


def test_sha256sum_lines_are_in_sha256sums_own_format():
    digest = hashlib.sha256(b"x").hexdigest()
    assert dossier.sha256sum_text([(digest, "f.json")]) == f"{digest}  f.json\n"


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.org/static/css/dossier.css",  # another origin
        "http://testserver/media/victims/photos/a.jpg",  # not a static file
        "http://testserver/static/../archive/settings.py",
        "http://testserver/static/%2e%2e/archive/settings.py",
        "file:///etc/passwd",
        "http://testserver/static/css/no-such-file.css",
    ],
)
def test_only_our_own_static_files_are_served_to_the_renderer(url):
    with pytest.raises(dossier.RefusedURL):
        dossier.static_file_for(url, "http://testserver/")


def test_a_static_file_is_read_from_disk():
    path = dossier.static_file_for("http://testserver/static/css/dossier.css", "http://testserver/")
    assert path.name == "dossier.css" and path.is_file()


@pytest.mark.django_db
def test_victims_are_counted_by_prison_and_month_and_the_list_is_cut_at_the_limit():
    evin, gohardasht = PlaceFactory(name_en="Evin"), PlaceFactory(name_en="Gohardasht")
    for day in (1, 15, 30):
        VictimFactory(prison=evin, death_date=date(1988, 8, day), death_date_precision="day")
    VictimFactory(prison=gohardasht, death_date=date(1988, 1, 1), death_date_precision=YEAR)
    VictimFactory(prison=None)

    summary = dossier.summarise_victims(Victim.objects.published(), limit=2)
    assert summary.total == 5
    assert summary.by_prison == [(evin, 3), (gohardasht, 1), (None, 1)]
    assert summary.by_date == [
        (PartialDate(date(1988, 8, 1), MONTH), 3),
        (PartialDate(date(1988, 1, 1), YEAR), 1),
        (None, 1),
    ]
    assert len(summary.listed) == 2 and summary.truncated


def test_a_render_past_its_cpu_bound_is_stopped():
    with pytest.raises(dossier.RenderTimeout), dossier.cpu_bound(0.05):
        while True:
            pass
