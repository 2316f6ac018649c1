"""The provenance forms staff send from the admin, sent from Chromium against a live server:
deleting a citation (refused where it would leave a published fact uncited, done where it
would not) and importing a list whose source is preferred over the record's values.

The test client sends these forms without a browser's CSRF cookie handling, autocomplete
widgets or file inputs; here each is sent as a reviewer sends it. Every person and source
is synthetic (refs TEST-E2E-PROV-...)."""

import datetime

import pytest

from archive.core.groups import REVIEWER
from sources.models import Citation
from tests.e2e.browsing import sign_in, watch_posts
from tests.factories import CitationFactory, SourceFactory, VictimFactory
from victims.models import Victim

pytestmark = pytest.mark.e2e


def _published_victim(ref: str):
    """A synthetic published victim whose date of death one citation alone supports."""
    return VictimFactory(
        ref=ref, name_latin="Testname Provenance", fate="executed",
        death_date=datetime.date(1988, 8, 1), death_date_precision="month",
    )  # fmt: skip


def _messages(page) -> str:
    return " / ".join(page.locator("ul.messagelist li").all_inner_texts())


def _reviewer_page(new_context, live_server, staff):
    context = new_context()
    posts = watch_posts(context)
    page = context.new_page()
    sign_in(page, live_server.url, staff("e2e-prov-reviewer", REVIEWER))
    return page, posts


def test_a_reviewer_is_refused_deleting_the_only_citation_of_a_published_date(
    new_context, live_server, staff
):
    victim = _published_victim("TEST-E2E-PROV-1")
    citation = Citation.objects.for_object(victim).get(claim="death_date")
    page, posts = _reviewer_page(new_context, live_server, staff)

    page.goto(f"{live_server.url}/admin/sources/citation/{citation.pk}/delete/")
    text = page.locator("#content").inner_text()

    assert "This citation stays" in text
    assert "Date of death: no citation" in text
    # No button to confirm: the refusal is the whole page.
    assert page.locator("#content form [type=submit]").count() == 0
    assert Citation.objects.filter(pk=citation.pk).exists()
    assert not posts.refused, posts.refused


def test_a_reviewer_is_refused_a_bulk_delete_that_would_leave_a_published_fact_uncited(
    new_context, live_server, staff
):
    victim = _published_victim("TEST-E2E-PROV-2")
    before = Citation.objects.for_object(victim).count()
    page, posts = _reviewer_page(new_context, live_server, staff)

    page.goto(f"{live_server.url}/admin/sources/citation/?q=TEST-E2E-PROV-2")
    if not page.locator("#result_list").count():  # the list may not search by ref
        page.goto(f"{live_server.url}/admin/sources/citation/")
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "delete_selected")
    with page.expect_navigation():
        page.locator("button[name=index], input[name=index]").first.click()
    text = page.locator("#content").inner_text()

    assert "This citation stays" in text or "Date of death" in text, text[:400]
    assert page.locator("#content form input[name=post]").count() == 0
    assert Citation.objects.for_object(victim).count() == before
    assert posts.posts and not posts.refused, posts.refused


def test_a_reviewer_deletes_a_citation_another_published_source_duplicates(
    new_context, live_server, staff
):
    victim = _published_victim("TEST-E2E-PROV-3")
    other = SourceFactory(title="Synthetic second report (browser test)")
    spare = CitationFactory(content_object=victim, source=other, claim="death_date")
    page, posts = _reviewer_page(new_context, live_server, staff)

    page.goto(f"{live_server.url}/admin/sources/citation/{spare.pk}/delete/")
    with page.expect_navigation():
        page.locator("#content form [type=submit]").first.click()

    assert not Citation.objects.filter(pk=spare.pk).exists(), _messages(page)
    assert Citation.objects.for_object(victim).filter(claim="death_date").count() == 1
    assert posts.posts and not posts.refused, posts.refused


FIRST_LIST = "ref,name_latin,death_date\nTEST-E2E-PROV-4,Testname Importa,1988-08\n"
SECOND_LIST = "ref,name_latin,death_date\nTEST-E2E-PROV-4,Testname Importa,1988-09\n"


def _import(page, live_server, tmp_path, text: str, source_title: str, *, prefer: bool):
    path = tmp_path / "synthetic-list.csv"
    path.write_text(text, encoding="utf-8")
    page.goto(f"{live_server.url}/admin/victims/victim/import/")
    page.set_input_files("input[name=import_file]", str(path))
    fmt = page.locator("select[name=format]")
    if fmt.count():
        csv = [o for o in fmt.locator("option").all_inner_texts() if o.strip().lower() == "csv"]
        fmt.select_option(label=csv[0])
    page.select_option("select[name=source]", label=source_title)
    if prefer:
        page.check("input[name=prefer_source]")
    with page.expect_navigation():
        page.locator("#content form [type=submit]").first.click()
    # The preview writes nothing; its confirm button imports.
    confirm = page.locator("form[action*='process_import'] [type=submit]")
    assert confirm.count(), page.locator("#content").inner_text()[:600]
    with page.expect_navigation():
        confirm.first.click()


@pytest.mark.parametrize(
    ("prefer", "record_date", "second_version", "first_version"),
    [(True, "1988-09", "", "1988-08"), (False, "1988-08", "1988-09", "")],
    ids=["source-preferred", "record-kept"],
)
def test_a_reviewer_imports_a_second_list_and_no_date_is_lost(
    new_context, live_server, staff, tmp_path, prefer, record_date, second_version, first_version
):
    first = SourceFactory(title="Synthetic first list (browser test)")
    second = SourceFactory(title="Synthetic second list (browser test)")
    page, posts = _reviewer_page(new_context, live_server, staff)

    _import(page, live_server, tmp_path, FIRST_LIST, first.title, prefer=False)
    _import(page, live_server, tmp_path, SECOND_LIST, second.title, prefer=prefer)

    victim = Victim.objects.get(ref="TEST-E2E-PROV-4")
    assert victim.death_date.isoformat()[:7] == record_date
    # The date the record does not keep stays as its source's version.
    assert victim.citations.get(source=second, claim="death_date").value == second_version
    assert victim.citations.get(source=first, claim="death_date").value == first_version
    assert posts.posts and not posts.refused, posts.refused
