"""Characterisation: what the public reads of each record, byte for byte.

The API (lists and details), the open-data downloads (CSV and JSON), the dossiers'
``dossier.json`` and the citations shown on pages and dossiers are public contracts:
programs parse them, people have saved and cited them, a dossier's digest is the SHA-256
of its JSON. This test holds every one of them, for the seed records and a few synthetic
records that reach every field (a victim with every link, a private testimony cited on
records of each kind), to the bytes stored in ``public_outputs.json``.

A change that is meant (a new field, a closed leak) is written to that file on purpose:
``WRITE_PUBLIC_OUTPUTS=1 .venv/bin/pytest tests/public/test_public_outputs_unchanged.py``
then review the diff of ``public_outputs.json`` like any other change to the contract.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path

import pytest
from django.utils import translation

from archive.core.models import Organisation, Place
from perpetrators.models import CommissionMembership, Perpetrator
from tests.factories import (
    CitationFactory,
    OrganisationFactory,
    PlaceFactory,
    SourceFactory,
    StatementFactory,
    VictimFactory,
)

EXPECTED = Path(__file__).with_name("public_outputs.json")
SECRET = "ZZCHARACTERISED"


@pytest.fixture
def records(seed):
    """Synthetic records with fixed keys and names (no factory sequence: the outputs must
    not depend on which tests ran before)."""
    prison = PlaceFactory(pk=9101, kind=Place.Kind.PRISON, name_en="Test North Prison",
                          name_fa="زندان آزمایشی شمال")  # fmt: skip
    city = PlaceFactory(pk=9102, kind=Place.Kind.CITY, name_en="Test City", name_fa="")
    burial = PlaceFactory(pk=9103, kind=Place.Kind.CEMETERY, name_en="Test Burial Ground",
                          name_fa="گورستان آزمایشی")  # fmt: skip
    party = OrganisationFactory(
        pk=9201, kind=Organisation.Kind.POLITICAL, name_en="Test Organisation A",
        name_fa="سازمان آزمایشی",
    )  # fmt: skip
    victim = VictimFactory(
        pk=9301,
        ref="TEST-V9301",
        name_latin="Testname Characterised",
        name_fa="نام آزمایشی",
        aliases="Alias One\n\nAlias Two",
        father_name="Testfather",
        gender="female",
        birth_year=1961,
        fate="executed",
        arrest_date=datetime.date(1987, 3, 1),
        arrest_date_precision="month",
        death_date=datetime.date(1988, 1, 1),
        death_date_precision="year",
        prison=prison,
        death_place=city,
        burial_place=burial,
        event_id=1,
        commission_id=1,
        affiliation=party,
        biography="A synthetic biography [src:9402].\n\nA second paragraph [src:9401].",
        cited=False,
    )
    private = SourceFactory(
        pk=9401,
        kind="testimony",
        title=f"{SECRET} testimony title",
        publisher=f"{SECRET} publisher",
        author=f"{SECRET} family member",
        url="https://example.org/zzcharacterised-private",
        archived_url="https://archive.example.org/zzcharacterised-private",
        notes=f"{SECRET} staff note",
        is_private=True,
        received_date=datetime.date(2024, 3, 5),
        date=datetime.date(2024, 1, 1),
        date_precision="year",
    )
    report = SourceFactory(
        pk=9402,
        kind="ngo_report",
        title="Test report on the synthetic record",
        publisher="Test Rights Group (TRG)",
        author="Test Author",
        date=datetime.date(2019, 6, 1),
        date_precision="month",
        url="https://example.org/test-report",
        archived_url="https://archive.example.org/test-report",
        language="en",
        notes=f"{SECRET} staff note on a public source",
    )
    draft = SourceFactory(pk=9403, title=f"{SECRET} draft source", publication_status="draft")
    raisi = Perpetrator.objects.get(ref="P-0001")
    membership = CommissionMembership.objects.filter(perpetrator=raisi).first()
    statement = StatementFactory(perpetrator=raisi, summary_en="A test statement.",
                                 quote="Test words.", date=datetime.date(1989, 2, 1),
                                 date_precision="day", cited=False)  # fmt: skip
    cite = [
        (victim, private, "death_date", f"{SECRET} words", f"{SECRET} page"),
        (victim, report, "death_date", "killed in 1988", "p. 3"),
        (victim, report, "general", "", "p. 1"),
        (victim, private, "general", "", ""),
        (victim, draft, "fate", f"{SECRET} draft words", ""),
        (raisi, private, "general", f"{SECRET} words on a perpetrator", "p. 2"),
        (membership, private, "general", "", f"{SECRET} locator"),
        (membership, report, "general", "member in 1988", "p. 7"),
        (statement, private, "general", "", ""),
        (statement, report, "general", "said so", ""),
    ]
    for pk, (obj, source, claim, quote, locator) in enumerate(cite, start=9501):
        CitationFactory(pk=pk, content_object=obj, source=source, claim=claim, quote=quote,
                        locator=locator, confidence="high")  # fmt: skip
    return {"victim": victim}


API = [
    "/api/",
    "/api/victims/",
    "/api/victims/?source=9402",
    "/api/victims/?source=9401",
    "/api/victims/V-0001/",
    "/api/victims/TEST-V9301/",
    "/api/perpetrators/",
    "/api/perpetrators/P-0001/",
    "/api/perpetrators/P-0002/",
    "/api/perpetrators/P-0003/",
    "/api/sources/",
    "/api/sources/2/",
    "/api/sources/9402/",
    "/api/sources/9401/",
]
DOWNLOADS = [
    f"/data/{dataset}.{fmt}"
    for dataset in ("victims", "perpetrators", "sources")
    for fmt in ("csv", "json")
]
DOSSIERS = [
    *(f"/perpetrators/P-000{n}/dossier.json" for n in (1, 2, 3)),
    *(f"/events/{slug}/dossier.json" for slug in ("1988-massacre", "2018-protests")),
]
# The parts of pages that show citations and sources (the rest of a page has its own tests).
PAGES = [
    f"{lang}{path}"
    for lang in ("", "/fa")
    for path in (
        "/victims/TEST-V9301/",
        "/victims/V-0001/",
        "/perpetrators/P-0001/",
        "/events/1988-massacre/",
        "/perpetrators/P-0001/dossier/",
        "/events/1988-massacre/dossier/",
    )
]
SECTIONS = re.compile(
    r'<section class="(?:footnotes|sources)".*?</section>|<p>[^<]*Identified as[^\n]*</p>'
    # A fact's value with its footnotes; a place named is a link to its page.
    r'|(?:<a href="[^"]*" class="place-link"><bdi dir="auto">[^<]*</bdi></a>'
    r'|<bdi dir="auto">[^<]*</bdi>)<sup class="fn">.*?</sup>'
    r'|<details class="quotations">.*?</details>',
    re.S,
)


def _read(client, path: str) -> str:
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    if path in PAGES:
        assert response.status_code == 200, path
        text = "\n".join(SECTIONS.findall(text))
    return f"{response.status_code} {response.get('Content-Type')}\n{text}"


def _outputs(client) -> dict[str, str]:
    out = {}
    for path in [*API, *DOWNLOADS, *DOSSIERS, *PAGES]:
        out[path] = _read(client, path)
        translation.activate("en")
    return out


def test_what_the_public_reads_of_each_record_is_unchanged(client, records):
    outputs = _outputs(client)
    if os.environ.get("WRITE_PUBLIC_OUTPUTS"):
        EXPECTED.write_text(json.dumps(outputs, ensure_ascii=False, indent=1) + "\n")
    expected = json.loads(EXPECTED.read_text())
    assert list(outputs) == list(expected)
    for path, body in outputs.items():
        assert body == expected[path], path


def test_no_private_testimony_or_draft_reaches_any_of_them(client, records):
    """The outputs held above hold no secret either: a private testimony's title,
    author, URL, publisher, notes, words and locator, a draft source, staff notes."""
    for path, body in _outputs(client).items():
        assert SECRET not in body, path
        assert "zzcharacterised" not in body, path
