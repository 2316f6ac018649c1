"""The seed records: what the NGOs' statement says, each claim cited."""

import pytest
from django.contrib.contenttypes.models import ContentType

from perpetrators.models import CommissionMembership, Perpetrator, Position
from sources.models import Citation, Source
from victims.models import Victim

pytestmark = pytest.mark.django_db

FOOTNOTE_URLS = {
    1: "https://twitter.com/statedeptspox/status/1284216751941652484",
    2: "https://iran1988.org/new-report-published-1988massacre-iran-evidence-crime-humanity/",
    3: "https://www.amnesty.org/en/documents/mde13/9421/2018/en/",
    4: "https://undocs.org/A/72/322",
    6: "https://youtu.be/uAo6w1QOFqw",
}


def cited_sources(obj, claim=None):
    qs = Citation.objects.for_object(obj)
    if claim:
        qs = qs.filter(claim=claim)
    return {c.source.url for c in qs.select_related("source")}


def test_seed_has_the_nine_footnoted_sources_and_the_statement(seed):
    urls = set(Source.objects.published().values_list("url", flat=True))
    for url in FOOTNOTE_URLS.values():
        assert url in urls
    assert Source.objects.count() == 10


def test_seed_perpetrators_are_published(seed):
    names = set(Perpetrator.objects.published().values_list("name_latin", flat=True))
    assert names == {"Ebrahim Raisi", "Alireza Avaei", "Mostafa Pour-Mohammadi"}


@pytest.mark.parametrize(
    ("name", "footnotes"),
    [("Ebrahim Raisi", [1, 2]), ("Alireza Avaei", [1, 2]), ("Mostafa Pour-Mohammadi", [6])],
)
def test_each_commission_membership_is_cited_to_its_footnote(seed, name, footnotes):
    membership = CommissionMembership.objects.get(perpetrator__name_latin=name)
    urls = cited_sources(membership)
    for n in footnotes:
        assert FOOTNOTE_URLS[n] in urls


def test_every_seed_position_and_membership_has_a_citation(seed):
    for model in (Position, CommissionMembership, Perpetrator, Victim):
        ct = ContentType.objects.get_for_model(model)
        for obj in model.objects.all():
            assert Citation.objects.filter(content_type=ct, object_id=obj.pk).exists(), obj


def test_salehi_execution_date_is_cited_at_month_precision(seed):
    salehi = Victim.objects.get(name_latin="Mostafa Salehi")
    assert salehi.fate == "executed"
    assert salehi.partial("death_date").iso() == "2020-08"
    assert Citation.objects.for_object(salehi).filter(claim="death_date").exists()


def test_seed_people_get_search_keys_when_loaded(seed):
    assert Perpetrator.objects.get(ref="P-0001").name_keys
    assert Victim.objects.get(ref="V-0001").name_keys


def test_every_footnote_marker_points_at_a_cited_source(seed):
    from archive.core.models import Event
    from perpetrators.models import Commission
    from sources.footnotes import markers

    texts = [(p, p.biography) for p in [*Perpetrator.objects.all(), *Victim.objects.all()]]
    texts += [(r, r.description_en + r.description_fa) for r in Event.objects.all()]
    texts += [(r, r.description_en + r.description_fa) for r in Commission.objects.all()]
    for record, text in texts:
        cited = {c.source_id for c in Citation.objects.for_object(record)}
        assert markers(text), record
        for source_id in markers(text):
            assert source_id in cited, (record, source_id)
