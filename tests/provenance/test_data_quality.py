"""The data-quality view (issue 18, item 6): what researchers should look at next."""

import datetime
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    CitationFactory,
    PerpetratorFactory,
    SourceFactory,
    VictimFactory,
)
from victims.models import Victim

pytestmark = pytest.mark.django_db

PAGE = "/admin/data-quality/"


def section(response, name) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return re.search(rf'<section class="module" id="{name}".*?</section>', html, re.S).group(0)


def test_a_draft_waiting_longest_comes_first_with_its_age(researcher_client):
    VictimFactory(publication_status="draft", name_latin="Testname Recent")
    old = VictimFactory(publication_status="in_review", name_latin="Testname Forgotten")
    Victim.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=90))
    VictimFactory(publication_status="published", name_latin="Testname Public")

    waiting = section(researcher_client.get(PAGE), "waiting")

    assert waiting.index("Testname Forgotten") < waiting.index("Testname Recent")
    assert f'href="/admin/victims/victim/{old.pk}/change/"' in waiting
    assert "<td>90</td>" in waiting
    assert "Testname Public" not in waiting


def test_a_public_source_without_an_archived_copy_is_listed(researcher_client):
    SourceFactory(title="Test report unarchived", archived_url="")
    SourceFactory(title="Test report archived", archived_url="https://web.archive.org/x")
    SourceFactory(
        title="Test testimony private", archived_url="", is_private=True,
        received_date="2020-01-01",
    )  # fmt: skip

    unarchived = section(researcher_client.get(PAGE), "unarchived")

    assert "Test report unarchived" in unarchived
    assert "Test report archived" not in unarchived
    assert "Test testimony private" not in unarchived


def test_people_without_a_name_in_the_other_script_are_listed(researcher_client):
    VictimFactory(name_latin="Testname Latin Only", name_fa="")
    VictimFactory(name_latin="Testname Both", name_fa="نام آزمایشی")
    PerpetratorFactory(name_latin="", name_fa="مأمور آزمایشی")

    one_script = section(researcher_client.get(PAGE), "one-script")

    assert "Testname Latin Only" in one_script
    assert "no name in Persian script" in one_script
    assert "مأمور آزمایشی" in one_script and "no name in Latin script" in one_script
    assert "Testname Both" not in one_script


def test_a_fact_with_no_citation_to_a_published_source_is_listed(researcher_client):
    cited = VictimFactory(name_latin="Testname Cited", name_fa="", fate="executed", cited=False)
    for claim in ("name_latin", "fate"):
        CitationFactory(content_object=cited, claim=claim)
    draft_only = VictimFactory(
        name_latin="Testname Draft Source", name_fa="", fate="executed", cited=False
    )
    CitationFactory(content_object=draft_only, claim="name_latin")
    CitationFactory(
        content_object=draft_only, claim="fate", source=SourceFactory(publication_status="draft")
    )

    uncited = section(researcher_client.get(PAGE), "uncited")

    assert "Testname Cited" not in uncited
    row = re.search(r"<tr>(?:(?!</tr>).)*Testname Draft Source.*?</tr>", uncited, re.S).group(0)
    assert "Fate" in row
    assert "Name in Latin script" not in row


def test_the_page_costs_a_fixed_number_of_queries(researcher_client, django_assert_max_num_queries):
    def page_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert researcher_client.get(PAGE).status_code == 200
        return len(queries)

    VictimFactory(publication_status="draft", name_fa="")
    few = page_queries()
    for _ in range(60):
        VictimFactory(publication_status="draft", name_fa="")
        SourceFactory(publication_status="draft", archived_url="")
        PerpetratorFactory(publication_status="draft", name_latin="")
    with django_assert_max_num_queries(few):
        researcher_client.get(PAGE)


def test_strangers_are_sent_to_the_staff_sign_in(anonymous):
    response = anonymous.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/data-quality/"


def test_the_admin_home_links_to_both_tools(researcher_client):
    html = researcher_client.get("/admin/").content.decode()
    assert 'href="/admin/changes/"' in html
    assert 'href="/admin/data-quality/"' in html


def test_a_fact_that_a_source_gives_otherwise_is_listed_with_its_label(researcher_client):
    differs = VictimFactory(
        name_latin="Testname Two Dates",
        death_date=datetime.date(1988, 8, 1),
        death_date_precision="month",
    )
    CitationFactory(content_object=differs, claim="death_date", value="1988-09")
    agrees = VictimFactory(name_latin="Testname One Date")
    CitationFactory(content_object=agrees, claim="death_date")

    disagree = section(researcher_client.get(PAGE), "disagree")

    row = re.search(r"<tr>(?:(?!</tr>).)*Testname Two Dates.*?</tr>", disagree, re.S).group(0)
    assert "Date of death" in row
    assert "Testname One Date" not in disagree


def test_in_persian_a_records_uncited_facts_are_joined_the_persian_way(researcher_client):
    VictimFactory(name_latin="Testname Uncited", name_fa="", fate="executed", cited=False)

    persian = section(researcher_client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fa"), "uncited")

    row = re.search(r"<tr>(?:(?!</tr>).)*Testname Uncited.*?</tr>", persian, re.S).group(0)
    assert "، " in row and ", " not in row


def test_uncited_published_records_come_before_those_in_review_and_drafts(researcher_client):
    # Created drafts first, so that their keys come first: the list still puts them last.
    for n in range(3):
        VictimFactory(name_latin=f"Testname Uncited Draft{n}", publication_status="draft",
                      cited=False)  # fmt: skip
    VictimFactory(name_latin="Testname Uncited Review", publication_status="in_review",
                  cited=False)  # fmt: skip
    published = VictimFactory(name_latin="Testname Uncited Published", cited=False)
    Victim.objects.filter(pk=published.pk).update(publication_status="published")

    uncited = section(researcher_client.get(PAGE), "uncited")

    order = re.findall(r"Testname Uncited (\w+)", uncited)
    assert order[:2] == ["Published", "Review"]
    assert sorted(order[2:]) == ["Draft0", "Draft1", "Draft2"]
