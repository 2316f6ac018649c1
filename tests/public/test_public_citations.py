"""The public citations of many records, read one way (``Citation.objects.public()
.for_objects(records)``) by the pages, the dossiers and the API."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Citation
from tests.factories import (
    CitationFactory,
    MembershipFactory,
    PerpetratorFactory,
    PositionFactory,
    SourceFactory,
    StatementFactory,
    VictimFactory,
)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_a_perpetrators_api_detail_reads_its_citations_at_once_however_many_posts(client, db):
    source = SourceFactory()
    few = PerpetratorFactory(ref="TEST-FEW")
    many = PerpetratorFactory(ref="TEST-MANY")
    for perpetrator, n in ((few, 1), (many, 6)):
        for i in range(n):
            for part in (
                PositionFactory(perpetrator=perpetrator, title_en=f"Post {i}"),
                StatementFactory(perpetrator=perpetrator),
                MembershipFactory(perpetrator=perpetrator),
            ):
                CitationFactory(content_object=part, source=source)
    PerpetratorFactory(ref="TEST-WARM")
    _queries(client, "/api/perpetrators/TEST-WARM/")  # the first answer reads what is kept
    few_queries = _queries(client, "/api/perpetrators/TEST-FEW/")
    assert _queries(client, "/api/perpetrators/TEST-MANY/") == few_queries


def test_the_public_citations_of_records_of_several_kinds_come_in_the_order_entered(db):
    draft = SourceFactory(publication_status="draft")
    victim, perpetrator = VictimFactory(cited=False), PerpetratorFactory(cited=False)
    first = CitationFactory(content_object=perpetrator)
    CitationFactory(content_object=victim, source=draft)
    second = CitationFactory(content_object=victim)
    CitationFactory(content_object=VictimFactory(cited=False))  # another record's
    found = Citation.objects.public().for_objects([victim, None, perpetrator])
    assert list(found) == [first, second]
    assert list(Citation.objects.public().for_objects([])) == []
