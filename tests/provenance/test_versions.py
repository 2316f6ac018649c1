"""Every source's version of a fact: a citation may carry the value its source gives
where it differs from the record's; the page, the API and the dossiers show each version
with its own footnotes, search finds a name only one source gives, and a merge keeps
every value it does not choose as a version."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from archive.core.models import PublicationStatus
from sources.models import Citation
from tests.factories import CitationFactory, SourceFactory, VictimFactory
from victims.models import MergeRecord, Victim
from victims.services import merge_victims, unmerge_victims

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def death_line(response) -> str:
    """The 'Date of death' line of a record page, as text (footnote numbers included)."""
    html = response.content.decode()
    start = html.index('<div class="fact"><dt>' + "Date of death" if "/fa/" not in
                       response.wsgi_request.path else 'class="fact"><dt>تاریخ مرگ')  # fmt: skip
    end = html.index("</div>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end])).strip()


def victim_dated(month: int, **fields) -> Victim:
    """A synthetic published victim executed in ``month`` of 1988, every fact cited."""
    return VictimFactory(
        death_date=datetime.date(1988, month, 1), death_date_precision="month", **fields
    )


def test_a_date_given_by_a_source_is_read_and_kept_at_its_precision(db):
    victim = victim_dated(8)
    citation = CitationFactory(content_object=victim, claim="death_date", value=" 1988/9 ")

    citation.full_clean()

    assert citation.value == "1988-09"


def test_a_value_is_refused_on_a_general_citation_and_when_it_is_not_a_date(db):
    victim = victim_dated(8)
    general = CitationFactory.build(content_object=victim, claim="general", value="1988-09")
    wrong = CitationFactory.build(content_object=victim, claim="death_date", value="soon")

    with pytest.raises(ValidationError) as on_general:
        general.full_clean()
    with pytest.raises(ValidationError) as not_a_date:
        wrong.full_clean()

    assert "value" in on_general.value.message_dict
    assert "'soon' is not a date" in str(not_a_date.value)


def test_the_page_shows_the_record_value_and_another_source_version_each_with_footnotes(
    client,
):
    victim = victim_dated(8, ref="TEST-VERSIONS")
    second = SourceFactory(title="Second synthetic list")
    third = SourceFactory(title="Third synthetic list")
    CitationFactory(content_object=victim, claim="death_date", source=second)
    CitationFactory(content_object=victim, claim="death_date", source=third, value="1988-09")

    line = death_line(client.get("/victims/TEST-VERSIONS/"))

    assert re.fullmatch(r"Date of death August 1988 \d , \d ; September 1988 according to \d", line)


def test_the_persian_page_shows_each_version_in_persian_dates_and_digits(client):
    victim = victim_dated(8, ref="TEST-VERSIONS-FA")
    CitationFactory(content_object=victim, claim="death_date", value="1988-09")

    line = death_line(client.get("/fa/victims/TEST-VERSIONS-FA/"))

    assert "سپتامبر ۱۹۸۸" in line  # the other version, its Gregorian month in Persian
    assert "به گفتهٔ" in line
    assert not re.search(r"[0-9]", line)  # Persian digits only


def test_a_fact_supported_only_by_another_version_is_not_cited_for_the_gate(reviewer):
    victim = victim_dated(8, publication_status="draft")
    Citation.objects.filter(victim=victim, claim="death_date").update(value="1988-09")

    with pytest.raises(ValidationError) as refused:
        victim.move_to(PublicationStatus.PUBLISHED, user=reviewer)

    assert "Date of death: no citation" in str(refused.value)


def test_the_api_gives_each_citation_value_and_a_versions_map(client):
    victim = victim_dated(8, ref="TEST-VERSIONS-API")
    source = SourceFactory()
    CitationFactory(content_object=victim, claim="death_date", source=source, value="1988-09")

    answer = client.get("/api/victims/TEST-VERSIONS-API/").json()

    assert answer["versions"] == {"death_date": [{"value": "1988-09", "sources": [source.pk]}]}
    assert {"claim": "death_date", "value": "1988-09"}.items() <= next(
        c for c in answer["citations"] if c["value"]
    ).items()


def test_search_finds_a_person_by_a_name_only_one_source_gives(client):
    victim = VictimFactory(ref="TEST-VERSION-NAME", name_latin="Testname Shirazeh")
    CitationFactory(content_object=victim, claim="name_latin", value="Testname Qarabaghloo")

    found = client.get("/api/victims/", {"q": "Qarabaghloo"}).json()

    assert [row["ref"] for row in found["results"]] == ["TEST-VERSION-NAME"]


def test_a_name_given_only_by_a_draft_source_does_not_find_the_person(client):
    victim = VictimFactory(ref="TEST-VERSION-DRAFT", name_latin="Testname Shirazeh")
    draft = SourceFactory(publication_status="draft")
    CitationFactory(content_object=victim, claim="name_latin", source=draft, value="Qarabaghloo")

    found = client.get("/api/victims/", {"q": "Qarabaghloo"}).json()

    assert found["results"] == []


def test_a_merge_keeps_the_date_it_does_not_choose_as_a_version_and_undo_restores(client, reviewer):
    keep = victim_dated(9, ref="TEST-MERGE-KEEP", name_latin="Testname Merged")
    other = victim_dated(8, ref="TEST-MERGE-OTHER", name_latin="Testname Merged")
    cited_other = list(Citation.objects.filter(victim=other, claim="death_date"))

    record = merge_victims(keep=keep, other=other, user=reviewer)

    line = death_line(client.get("/victims/TEST-MERGE-KEEP/"))
    assert re.fullmatch(r"Date of death September 1988 \d ; August 1988 according to \d", line)
    assert record.moved["uncited_versions"] == {}

    unmerge_victims(keep=keep, other=other, user=reviewer)

    for citation in cited_other:
        citation.refresh_from_db()
        assert (citation.object_id, citation.value) == (other.pk, "")
    assert "according to" not in death_line(client.get("/victims/TEST-MERGE-KEEP/"))
    assert "according to" not in death_line(client.get("/victims/TEST-MERGE-OTHER/"))


def test_a_merge_choosing_the_other_value_makes_the_kept_record_value_a_version(client, reviewer):
    keep = victim_dated(9, ref="TEST-MERGE-KEEP2", name_latin="Testname Merged")
    other = victim_dated(8, ref="TEST-MERGE-OTHER2", name_latin="Testname Merged")

    merge_victims(keep=keep, other=other, user=reviewer, choices={"death_date": "other"})

    line = death_line(client.get("/victims/TEST-MERGE-KEEP2/"))
    assert re.fullmatch(r"Date of death August 1988 \d ; September 1988 according to \d", line)


def test_a_losing_value_no_source_supports_is_kept_in_the_merge_record_and_history(reviewer):
    keep = victim_dated(9, ref="TEST-MERGE-KEEP3", name_latin="Testname Merged")
    other = victim_dated(8, ref="TEST-MERGE-OTHER3", name_latin="Testname Merged",
                         publication_status="draft")  # fmt: skip
    Citation.objects.filter(victim=other, claim="death_date").delete()

    record = merge_victims(keep=keep, other=other, user=reviewer)

    assert MergeRecord.objects.get(pk=record.pk).moved["uncited_versions"] == {
        "death_date": "1988-08"
    }
    assert "death_date=1988-08" in keep.history.latest().history_change_reason
