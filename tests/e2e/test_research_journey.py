"""A record's way from a researcher's keyboard to a reader's screen, in Chromium against a
live server: a researcher enters a victim with a cited fact and sends it for review, a
reviewer publishes it, and the public finds it by another spelling and follows its
footnote to the source.

Each step starts from the state the previous one leaves (built directly), so that one
step's failure does not hide the others'. The person is synthetic (refs TEST-E2E-...)."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType

from archive.core.groups import RESEARCHER, REVIEWER
from sources.models import Citation
from tests.e2e.browsing import sign_in, watch_posts
from tests.factories import CitationFactory, SourceFactory, VictimFactory
from victims.models import Victim

pytestmark = pytest.mark.e2e

REF = "TEST-E2E-0001"
NAME = "Mohammad Hosseini"
NAME_FA = "محمد حسینی"
SOURCE_TITLE = "Synthetic report on prison deaths (browser test)"


def _source():
    return SourceFactory(title=SOURCE_TITLE, publisher="Test NGO", url="https://example.org/r")


def _victim(status: str, source) -> Victim:
    """The record as the researcher leaves it: death date cited to a published source."""
    victim = VictimFactory(
        ref=REF, name_latin=NAME, name_fa=NAME_FA, fate="executed",
        death_date=datetime.date(1988, 8, 1), death_date_precision="month",
        publication_status=status, cited=False,
    )  # fmt: skip
    CitationFactory(content_object=victim, source=source, claim="general", locator="p. 3")
    CitationFactory(content_object=victim, source=source, claim="death_date", locator="p. 3")
    CitationFactory(content_object=victim, source=source, claim="fate", locator="p. 3")
    return victim


def _run_action(page, row_text: str, action: str) -> None:
    """Ticks the changelist row that holds ``row_text`` and runs ``action`` on it."""
    row = page.locator("#result_list tbody tr", has_text=row_text)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", action)
    with page.expect_navigation():
        page.locator("button[name=index], input[name=index]").first.click()


def _messages(page) -> str:
    return " / ".join(page.locator("ul.messagelist li").all_inner_texts())


def test_a_researcher_enters_a_victim_with_a_cited_death_date_and_sends_it_for_review(
    new_context, live_server, staff
):
    source = _source()
    researcher = staff("e2e-researcher", RESEARCHER)
    context = new_context()
    posts = watch_posts(context)
    page = context.new_page()

    sign_in(page, live_server.url, researcher)
    page.goto(live_server.url + "/admin/victims/victim/add/")
    page.fill("[name=ref]", REF)
    page.fill("[name=name_latin]", NAME)
    page.fill("[name=name_fa]", NAME_FA)
    page.select_option("[name=fate]", "executed")
    page.fill("[name=death_date]", "1988-08-01")
    page.select_option("[name=death_date_precision]", "month")
    # The first citation row: the source is chosen by typing part of its title (an
    # autocomplete box with JavaScript; a plain list would do as well).
    source_field = page.locator("select[name$='-0-source']")
    row = source_field.locator(
        "xpath=ancestor::*[self::tr or contains(@class, 'inline-related')][1]"
    )
    autocomplete = row.locator(".select2-selection")
    if autocomplete.count():
        autocomplete.click()
        page.locator(".select2-search__field").fill("prison deaths")
        page.locator(".select2-results__option", has_text=SOURCE_TITLE).click()
    else:
        source_field.select_option(label=SOURCE_TITLE)
    claim = row.locator("[name$='-0-claim']")
    if claim.evaluate("el => el.tagName") == "SELECT":
        claim.select_option("death_date")
    else:
        claim.fill("death_date")
    row.locator("[name$='-0-locator']").fill("p. 3")
    with page.expect_navigation():
        page.click("[name=_save]")
    assert "/admin/victims/victim/" in page.url and "/add/" not in page.url, _messages(page)

    _run_action(page, NAME, "send_for_review")
    assert "sent for review" in _messages(page)

    victim = Victim.objects.get(ref=REF)
    assert victim.publication_status == "in_review"
    citation = Citation.objects.get(
        content_type=ContentType.objects.get_for_model(Victim), object_id=victim.pk
    )
    assert (citation.source, citation.claim, citation.locator) == (source, "death_date", "p. 3")
    assert posts.posts and not posts.refused, posts.refused
    # Not public before a reviewer publishes it.
    assert page.goto(f"{live_server.url}/victims/{REF}/").status == 404


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_reviewer_publishes_a_record_sent_for_review(new_context, live_server, staff, javascript):
    _victim("in_review", _source())
    reviewer = staff("e2e-reviewer", REVIEWER)
    context = new_context(java_script_enabled=javascript)
    posts = watch_posts(context)
    page = context.new_page()
    assert page.goto(f"{live_server.url}/victims/{REF}/").status == 404

    sign_in(page, live_server.url, reviewer)
    page.goto(live_server.url + "/admin/victims/victim/?publication_status__exact=in_review")
    _run_action(page, NAME, "publish")
    assert "published" in _messages(page)

    assert Victim.objects.get(ref=REF).publication_status == "published"
    assert not posts.refused, posts.refused
    public = context.new_page()
    assert public.goto(f"{live_server.url}/victims/{REF}/").status == 200
    assert public.get_by_role("heading", level=1).inner_text().startswith(NAME)


def _follow_first_footnote_to_its_source(page, source) -> None:
    marker = page.locator("sup.fn a").first
    target = marker.get_attribute("href")
    assert re.fullmatch(r"#fn-\d+", target), target
    marker.click()
    assert page.url.endswith(target)
    note = page.locator(target)
    assert note.is_visible()
    link = note.locator('a[href*="/sources/"]')
    assert link.inner_text() == source.title
    link.click()
    assert re.search(rf"/sources/{source.pk}/$", page.url)
    assert page.get_by_role("heading", level=1).inner_text().startswith(source.title)


def test_the_public_finds_the_record_by_another_spelling_and_follows_its_footnote(
    page, page_without_js, live_server, transactional_db
):
    source = _source()
    _victim("published", source)
    VictimFactory(ref="TEST-E2E-0002", name_latin="Hossein Mohammadi", name_fa="حسین محمدی")

    page.goto(live_server.url + "/victims/")
    page.fill("input[name=q]", "Mohamad Hoseini")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    first = page.locator("table.records tbody tr").first
    assert first.inner_text().startswith(NAME), page.locator("main").inner_text()[:500]
    first.get_by_role("link", name=NAME).click()
    assert page.url.endswith(f"/victims/{REF}/")
    # The date of death carries its footnote marker.
    death = page.locator("dl.facts").inner_text()
    assert "1988" in death
    _follow_first_footnote_to_its_source(page, source)

    # In Persian, without JavaScript, by the name written with Arabic letter forms (ي).
    fa = page_without_js
    fa.goto(live_server.url + "/fa/victims/")
    fa.fill("input[name=q]", "محمد حسيني")
    with fa.expect_navigation():
        fa.press("input[name=q]", "Enter")
    first = fa.locator("table.records tbody tr").first
    assert first.inner_text().startswith(NAME_FA), fa.locator("main").inner_text()[:500]
    first.get_by_role("link", name=NAME_FA).click()
    assert fa.url.endswith(f"/fa/victims/{REF}/")
    assert "۱۳۶۷" in fa.locator("dl.facts").inner_text()  # the Solar Hijri year of 1988
    _follow_first_footnote_to_its_source(fa, source)
    assert "/fa/sources/" in fa.url
