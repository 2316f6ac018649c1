"""Records for the public-site tests: a small place tree, and unpublished records of
every kind linked from published ones, whose names must never reach the public."""

import datetime

import pytest

from tests.factories import (
    CitationFactory,
    CommissionFactory,
    EventFactory,
    MembershipFactory,
    PerpetratorFactory,
    PlaceFactory,
    SourceFactory,
    VictimFactory,
)

SECRET = "ZZSECRET"


@pytest.fixture
def places(db):
    province = PlaceFactory(kind="province", name_en="Test Province", name_fa="استان آزمایشی")
    city = PlaceFactory(kind="city", name_en="Test City", name_fa="شهر آزمایشی", parent=province)
    prison = PlaceFactory(name_en="Test City Prison", parent=city)
    other = PlaceFactory(name_en="Elsewhere Prison")
    return {"province": province, "city": city, "prison": prison, "other": other}


@pytest.fixture
def unpublished(seed):
    """Unpublished records of every kind, each linked from a published record."""
    event = EventFactory(
        slug="zzsecret-event", name_en=f"{SECRET} event", publication_status="draft"
    )
    commission = CommissionFactory(
        slug="zzsecret-commission", name_en=f"{SECRET} commission", publication_status="in_review"
    )
    source = SourceFactory(
        title=f"{SECRET} source title",
        url="https://example.org/zzsecret",
        publication_status="draft",
    )
    private = SourceFactory(
        title=f"{SECRET} private testimony title",
        author=f"{SECRET} family member",
        url="https://example.org/zzsecret-private",
        notes=f"{SECRET} staff note",
        is_private=True,
        received_date=datetime.date(2024, 3, 5),
        publication_status="published",
    )
    victim = VictimFactory(
        ref="ZZSECRET-V1", name_latin=f"{SECRET} Victim", publication_status="draft"
    )
    withdrawn = VictimFactory(
        ref="ZZSECRET-V2", name_latin=f"{SECRET} Withdrawn", publication_status="withdrawn"
    )
    perpetrator = PerpetratorFactory(
        ref="ZZSECRET-P1", name_latin=f"{SECRET} Perpetrator", publication_status="in_review"
    )
    # Published records that point at the unpublished ones.
    linked = VictimFactory(
        ref="TEST-LINKED",
        name_latin="Linked Published Victim",
        event=event,
        commission=commission,
        death_date=datetime.date(1988, 8, 1),
        death_date_precision="month",
    )
    CitationFactory(content_object=linked, source=source, claim="death_date", locator="p. 9")
    # A canary: the private testimony's words and locator beside a public source's quote
    # on the same claim, where the page shows "what each source says".
    CitationFactory(
        content_object=linked, source=private, claim="fate", quote=f"{SECRET} words",
        locator=f"{SECRET} page",
    )  # fmt: skip
    public_source = SourceFactory(title="Published report quoted beside a testimony")
    CitationFactory(
        content_object=linked, source=public_source, claim="fate", quote="executed in 1988"
    )
    published_perpetrator = PerpetratorFactory(ref="TEST-PERP", name_latin="Published Perpetrator")
    MembershipFactory(perpetrator=published_perpetrator, commission=commission)
    return {
        "event": event,
        "commission": commission,
        "source": source,
        "private": private,
        "victim": victim,
        "withdrawn": withdrawn,
        "perpetrator": perpetrator,
        "linked": linked,
        "published_perpetrator": published_perpetrator,
    }
