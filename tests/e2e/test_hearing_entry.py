"""The admin's hearing form sent from Chromium, with JavaScript (the officials' box
suggests perpetrators found by the people search) and without: a bad date is refused
naming the field and keeping everything typed; corrected, the hearing is saved with its
officials (one new, made a draft) and its citations. The records are synthetic."""

import datetime

import pytest

from archive.core.groups import RESEARCHER
from perpetrators.models import Perpetrator
from sources.models import Citation
from tests.e2e.browsing import sign_in, watch_posts
from tests.factories import ChargeCategoryFactory, PerpetratorFactory, SourceFactory, VictimFactory
from victims.hearings import Hearing

pytestmark = pytest.mark.e2e

SOURCE_TITLE = "Synthetic prisoner testimony (browser test)"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_researcher_adds_a_hearing_from_the_victims_page_in_one_form(
    new_context, live_server, staff, javascript
):
    victim = VictimFactory(
        ref="TEST-E2E-H1", name_latin="Testvictim Browserheard", publication_status="draft",
        death_date=datetime.date(1988, 8, 20), death_date_precision="day",
    )  # fmt: skip
    PerpetratorFactory(ref="TEST-E2E-PJ", name_latin="Browserjudge Synthname")
    SourceFactory(title=SOURCE_TITLE)
    ChargeCategoryFactory(slug="test-e2e-charge", name_en="synthetic charge category")
    researcher = staff("e2e-hearing-researcher", RESEARCHER)
    context = new_context(java_script_enabled=javascript)
    posts = watch_posts(context)
    page = context.new_page()
    sign_in(page, live_server.url, researcher)

    page.goto(f"{live_server.url}/admin/victims/victim/{victim.pk}/change/")
    with page.expect_navigation():
        page.get_by_role("link", name="Add a hearing (with its officials and citations)").click()

    page.fill("[name=date]", "1988-09-02")  # after the death: refused
    page.fill("[name=court_en]", "Synthetic Revolutionary Court")
    page.fill("[name=charges_en]", "Synthetic charge typed in the browser")
    page.check("input[name=categories] >> nth=0")
    page.fill("[name=decision_en]", "Synthetic decision typed in the browser")
    official = page.locator("[name=officials-0-official]")
    if javascript:
        official.press_sequentially("Browserjudge", delay=30)
        option = page.locator("#hearing-officials option")
        option.first.wait_for(state="attached")
        assert option.first.get_attribute("value").startswith("TEST-E2E-PJ")
        official.fill(option.first.get_attribute("value"))
    else:
        official.fill("TEST-E2E-PJ")
    page.select_option("[name=officials-0-role]", "religious_judge")
    page.fill("[name=officials-1-official]", "Newbrowser Officialname")
    page.select_option("[name=officials-1-role]", "prosecutor")
    page.select_option("[name=citations-0-source]", label=SOURCE_TITLE)
    page.select_option("[name=citations-0-claim]", "general")
    page.fill("[name=citations-0-locator]", "p. 7")
    page.select_option("[name=citations-1-source]", label=SOURCE_TITLE)
    page.select_option("[name=citations-1-claim]", "officials")
    page.fill("[name=citations-1-locator]", "p. 8")
    with page.expect_navigation():
        page.click("input[type=submit][value='Save the hearing']")

    summary = page.locator("#hearing-errors").inner_text()
    assert "Date of the hearing" in summary and "after the date of death" in summary
    assert not Hearing.objects.exists()
    # Nothing typed is lost.
    assert page.input_value("[name=court_en]") == "Synthetic Revolutionary Court"
    assert page.input_value("[name=officials-1-official]") == "Newbrowser Officialname"
    assert page.input_value("[name=citations-1-locator]") == "p. 8"
    assert page.locator("input[name=categories] >> nth=0").is_checked()

    page.fill("[name=date]", "1988-08")
    with page.expect_navigation():
        page.click("input[type=submit][value='Save the hearing']")
    assert f"/admin/victims/victim/{victim.pk}/change/" in page.url
    assert "The hearing was added." in page.locator("ul.messagelist").inner_text()

    hearing = Hearing.objects.get(victim=victim)
    assert hearing.partial("date").iso() == "1988-08"
    assert hearing.charge_categories.count() == 1
    roles = {s.perpetrator.ref: s.role for s in hearing.officials.select_related("perpetrator")}
    new = Perpetrator.objects.get(name_latin="Newbrowser Officialname")
    assert roles == {"TEST-E2E-PJ": "religious_judge", new.ref: "prosecutor"}
    assert new.publication_status == "draft"
    assert Citation.objects.for_object(hearing).get().locator == "p. 7"
    assert not posts.refused, posts.refused
