"""Synthetic test records (clearly synthetic: refs start with TEST-)."""

import factory
from django.contrib.contenttypes.models import ContentType

from archive.core import provenance
from archive.core.models import Event, Organisation, Place
from perpetrators.models import Commission, CommissionMembership, Perpetrator, Position, Statement
from sources.models import Citation, Source
from victims import receipts
from victims.models import FamilyRelation, Victim


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    kind = Place.Kind.PRISON
    name_en = factory.Sequence(lambda n: f"Test Prison {n}")
    name_fa = factory.Sequence(lambda n: f"زندان آزمایشی {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.POLITICAL
    name_en = factory.Sequence(lambda n: f"Test Organisation {n}")


# --- Citations: a factory record is cited, as the publication gate asks ----------------

FACTORY_SOURCE_TITLE = "Synthetic source citing every factory record (test data)"


def factory_source():
    """The one published source that factory records are cited to."""
    source, _created = Source.objects.get_or_create(
        title=FACTORY_SOURCE_TITLE,
        defaults={"kind": Source.Kind.OTHER, "publication_status": "published"},
    )
    return source


def cite_facts(record, source=None) -> None:
    """Cites every fact ``record``'s public page shows (as it stands) to ``source`` (by
    default the shared synthetic one): a general citation, one per other fact, and one
    per marker in its texts. What a researcher does before a reviewer publishes."""
    source = source or factory_source()
    content_type = ContentType.objects.get_for_model(record)
    claims = {provenance.GENERAL}
    for fact in provenance.shown_facts(record):
        if not (fact.general or fact.text):
            claims.add(fact.claim)
    done = set(
        Citation.objects.filter(content_type=content_type, object_id=record.pk).values_list(
            "claim", "source_id"
        )
    )
    Citation.objects.bulk_create(
        Citation(content_type=content_type, object_id=record.pk, source=source, claim=claim)
        for claim in sorted(claims)
        if (claim, source.pk) not in done
    )


class CitedFactory(factory.django.DjangoModelFactory):
    """``cited=False`` leaves the record without citations (to test the gate)."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def cited(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            cite_facts(obj)


class EventFactory(CitedFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"test-event-{n}")
    name_en = factory.Sequence(lambda n: f"Test event {n}")
    publication_status = "published"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    kind = Source.Kind.NGO_REPORT
    title = factory.Sequence(lambda n: f"Test report {n}")
    publisher = "Test NGO"
    url = factory.Sequence(lambda n: f"https://example.org/report-{n}")
    publication_status = "published"


class PersonFactory(CitedFactory):
    name_latin = factory.Sequence(lambda n: f"Testname Person{n}")
    publication_status = "published"


class VictimFactory(PersonFactory):
    class Meta:
        model = Victim

    ref = factory.Sequence(lambda n: f"TEST-V{n:05d}")
    fate = "executed"


class FamilyRelationFactory(CitedFactory):
    """``FamilyRelationFactory(from_victim=a, kind="parent", to_victim=b)``: A is B's
    parent; cited unless ``cited=False``."""

    class Meta:
        model = FamilyRelation

    from_victim = factory.SubFactory(VictimFactory)
    to_victim = factory.SubFactory(VictimFactory)
    kind = "sibling"


class PerpetratorFactory(PersonFactory):
    class Meta:
        model = Perpetrator

    ref = factory.Sequence(lambda n: f"TEST-P{n:05d}")


class CommissionFactory(CitedFactory):
    class Meta:
        model = Commission

    slug = factory.Sequence(lambda n: f"test-commission-{n}")
    name_en = factory.Sequence(lambda n: f"Test commission {n}")
    publication_status = "published"


class MembershipFactory(CitedFactory):
    class Meta:
        model = CommissionMembership

    perpetrator = factory.SubFactory(PerpetratorFactory)
    commission = factory.SubFactory(CommissionFactory)
    role = "member"


class PositionFactory(CitedFactory):
    class Meta:
        model = Position

    perpetrator = factory.SubFactory(PerpetratorFactory)
    title_en = factory.Sequence(lambda n: f"Test post {n}")


class StatementFactory(CitedFactory):
    class Meta:
        model = Statement

    perpetrator = factory.SubFactory(PerpetratorFactory)
    summary_en = "A test statement."


class CitationFactory(factory.django.DjangoModelFactory):
    """``CitationFactory(content_object=victim, claim="death_date")``."""

    class Meta:
        model = Citation
        exclude = ["content_object"]

    content_object = factory.SubFactory(VictimFactory)
    content_type = factory.LazyAttribute(
        lambda o: ContentType.objects.get_for_model(o.content_object)
    )
    object_id = factory.LazyAttribute(lambda o: o.content_object.pk)
    source = factory.SubFactory(SourceFactory)
    claim = "general"


# --- Families' submissions ---------------------------------------------------------------


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A synthetic submission; ``SubmissionFactory(receipt="7KQ2-M9XD-4TPR-HW3N")`` sets
    the code the family would hold."""

    class Meta:
        model = "victims.Submission"
        exclude = ["receipt"]

    receipt = factory.LazyFunction(receipts.generate_code)
    receipt_hash = factory.LazyAttribute(lambda o: receipts.hash_code(o.receipt))
    name_latin = factory.Sequence(lambda n: f"Testname Submitted{n}")
    name_fa = "نام آزمایشی"
    father_name = "Testfather"
    birth_year = 1960
    fate = "executed"
    account = "A synthetic account written for a test."
    relation = "sister"
    consent = True
    language = "en"


def cite_place(place, *claims, source=None):
    """Cites ``claims`` of a place to a published synthetic gazetteer (or ``source``)."""
    if source is None:
        source = SourceFactory(title="Synthetic gazetteer", publication_status="published")
    for claim in claims:
        citation = Citation(content_object=place, source=source, claim=claim, locator="p. 3")
        citation.full_clean()
        citation.save()
    return source


# --- Hearings (synthetic: no real hearing is described) -----------------------------------


class HearingFactory(CitedFactory):
    """A synthetic hearing of a victim, cited (``cited=False`` leaves it uncited)."""

    class Meta:
        model = "victims.Hearing"

    victim = factory.SubFactory(VictimFactory)
    date = factory.LazyFunction(lambda: __import__("datetime").date(1988, 8, 1))
    date_precision = "month"
    court_en = "Test Revolutionary Court (synthetic)"
    court_fa = "دادگاه انقلاب آزمایشی"
    charges_en = "Synthetic charge text"
    decision_en = "Synthetic decision"


class HearingOfficialFactory(CitedFactory):
    class Meta:
        model = "victims.HearingOfficial"

    hearing = factory.SubFactory(HearingFactory)
    perpetrator = factory.SubFactory(PerpetratorFactory)
    role = "religious_judge"


class ChargeCategoryFactory(factory.django.DjangoModelFactory):
    """A charge category (the migration's vocabulary is emptied by the flush between
    browser tests: a test that needs one names it)."""

    class Meta:
        model = "victims.ChargeCategory"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"test-charge-{n}")
    name_en = factory.Sequence(lambda n: f"Test charge category {n}")
    name_fa = factory.Sequence(lambda n: f"دستهٔ اتهام آزمایشی {n}")
