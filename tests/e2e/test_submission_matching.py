"""A researcher moderates a family's submission in Chromium: the page names the record it
is about, and one button adds it there, citing the testimony. Synthetic people."""

import pytest

from archive.core.groups import RESEARCHER
from sources.models import Citation
from tests.e2e.browsing import sign_in
from tests.factories import SubmissionFactory, VictimFactory


@pytest.mark.django_db(transaction=True)
def test_a_researcher_adds_a_submission_to_the_record_it_is_about(new_context, live_server, staff):
    same = VictimFactory(ref="TEST-SAME", name_latin="Mohammad Hosseini Tabrizi",
                         father_name="Ali", birth_year=None, fate="unknown",
                         publication_status="draft", cited=False)  # fmt: skip
    VictimFactory(ref="TEST-NAMESAKE", name_latin="Mohammad Hosseini Tabrizi", father_name="Hassan")
    submission = SubmissionFactory(name_latin="", name_fa="محمد حسینی تبریزی", father_name="علی",
                                   birth_year=1961, gender="male")  # fmt: skip
    researcher = staff("e2e-moderator", RESEARCHER)
    page = new_context().new_page()
    sign_in(page, live_server.url, researcher)
    page.goto(f"{live_server.url}/admin/victims/submission/{submission.pk}/change/")

    rows = page.locator("tr.possible-record")
    assert "TEST-SAME" in rows.first.inner_text()
    assert "same father's name" in rows.first.inner_text()
    assert "TEST-NAMESAKE" not in page.locator("table.possible-records").inner_text()
    # What the family wrote keeps its own direction on a page of either direction.
    account = page.locator(".field-account .readonly")
    assert account.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
    page.screenshot(path="/tmp/families-moderation.png", full_page=True)

    with page.expect_navigation():
        rows.first.get_by_role("button", name="Add to this record").click()
    assert "added to TEST-SAME" in page.locator("ul.messagelist").inner_text()
    same.refresh_from_db()
    assert same.birth_year == 1961
    assert Citation.objects.for_object(same).filter(source__kind="testimony").exists()
