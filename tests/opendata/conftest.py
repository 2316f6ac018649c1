"""Records for the open-data tests: the seed, published records that reach every entity
of the exports, and records the public must never see (drafts, a withdrawn record, a
record in review, an unpublished commission, and a private testimony whose every
identifying field carries ``SECRET``)."""

import datetime

import pytest

from archive.core.models import Organisation
from tests.factories import (
    CitationFactory,
    CommissionFactory,
    MembershipFactory,
    OrganisationFactory,
    PerpetratorFactory,
    PositionFactory,
    SourceFactory,
    VictimFactory,
)

SECRET = "ZZHIDDEN"


@pytest.fixture
def records(seed):
    party = OrganisationFactory(
        kind=Organisation.Kind.POLITICAL, name_en="Test Party (synthetic)", name_fa="حزب آزمایشی"
    )
    private = SourceFactory(
        title=f"{SECRET} testimony title",
        author=f"{SECRET} family member",
        url="https://example.org/zzhidden-private",
        notes=f"{SECRET} staff note",
        is_private=True,
        received_date=datetime.date(2024, 3, 5),
    )
    victim = VictimFactory(
        ref="TEST-OPEN-V1",
        name_latin="Testname Opendata",
        name_fa="نام آزمایشی",
        aliases="Testalias One\nTestalias Two",
        father_name="Testfather",
        gender="female",
        birth_year=1961,
        death_date=datetime.date(1988, 8, 1),
        death_date_precision="month",
        affiliation=party,
    )
    CitationFactory(
        content_object=victim, source=private, claim="fate",
        quote=f"{SECRET} words", locator=f"{SECRET} page",
    )  # fmt: skip
    hidden_commission = CommissionFactory(
        slug="zzhidden-commission", name_en=f"{SECRET} commission", publication_status="draft"
    )
    perpetrator = PerpetratorFactory(ref="TEST-OPEN-P1", name_latin="Testname Official")
    MembershipFactory(perpetrator=perpetrator, commission=hidden_commission)
    commission = CommissionFactory(slug="test-open-commission", name_en="Test open commission")
    membership = MembershipFactory(perpetrator=perpetrator, commission=commission)
    CitationFactory(content_object=membership, source=private, claim="general")
    PositionFactory(
        perpetrator=perpetrator,
        organisation=OrganisationFactory(kind=Organisation.Kind.STATE, name_en="Test ministry"),
    )
    hidden = [
        VictimFactory(ref="ZZHIDDEN-V1", name_latin=f"{SECRET} Draft", publication_status="draft"),
        VictimFactory(
            ref="ZZHIDDEN-V2", name_latin=f"{SECRET} Withdrawn", publication_status="withdrawn"
        ),
        PerpetratorFactory(
            ref="ZZHIDDEN-P1", name_latin=f"{SECRET} Review", publication_status="in_review"
        ),
        SourceFactory(title=f"{SECRET} draft source", publication_status="draft"),
    ]
    return {"victim": victim, "perpetrator": perpetrator, "private": private, "hidden": hidden}
