"""A researcher enters who a victim was, what happened to the family and a family
relation on the victim's admin page, in Chromium against a live server: a bad number of
children is refused naming the field, with everything typed still there; once corrected,
all of it is saved. The people are synthetic (refs TEST-E2E-P...)."""

import pytest

from archive.core.groups import RESEARCHER
from tests.e2e.browsing import sign_in, watch_posts
from tests.factories import VictimFactory
from victims.models import FamilyRelation, Victim

pytestmark = pytest.mark.e2e


def _choose(page, select, typed: str, shown: str) -> None:
    """An autocomplete box: typed into, then the option clicked (a plain list without
    JavaScript)."""
    row = select.locator("xpath=ancestor::*[self::tr or self::div[contains(@class,'form-row')]][1]")
    box = row.locator(".select2-selection")
    if box.count():
        box.first.click()
        page.locator(".select2-search__field").fill(typed)
        page.locator(".select2-results__option", has_text=shown).first.click()
    else:
        select.select_option(label=shown)


def test_a_researcher_enters_the_person_the_family_and_a_relation_and_fixes_a_bad_number(
    new_context, live_server, staff
):
    victim = VictimFactory(ref="TEST-E2E-P1", name_latin="Synthetic Elder Sibling",
                           publication_status="draft")  # fmt: skip
    VictimFactory(ref="TEST-E2E-P2", name_latin="Synthetic Younger Sibling",
                  publication_status="draft")  # fmt: skip
    researcher = staff("e2e-person-researcher", RESEARCHER)
    context = new_context()
    posts = watch_posts(context)
    page = context.new_page()
    sign_in(page, live_server.url, researcher)

    page.goto(f"{live_server.url}/admin/victims/victim/{victim.pk}/change/")
    page.select_option("[name=occupation]", "teacher")
    page.fill("[name=education_en]", "Synthetic diploma in physics")
    page.select_option("[name=religion]", "bahai")
    page.select_option("[name=civil_status]", "married")
    page.fill("[name=children]", "-1")
    page.fill("[name=family_told_how_en]", "Synthetic: told at the prison gate")
    page.select_option("[name=body_returned]", "no")
    page.locator("#relations_from-group .add-row a").click()
    page.select_option("[name=relations_from-0-kind]", "sibling")
    _choose(page, page.locator("[name=relations_from-0-to_victim]"), "Younger",
            "Synthetic Younger Sibling")  # fmt: skip
    with page.expect_navigation():
        page.click("[name=_save]")

    # Refused, naming the field; nothing saved, nothing typed lost.
    error = page.locator(".field-children .errorlist")
    assert error.count() == 1, page.locator(".errornote").all_inner_texts()
    assert "greater than or equal to 0" in error.inner_text()
    assert Victim.objects.get(pk=victim.pk).occupation == ""
    assert not FamilyRelation.objects.exists()
    assert page.input_value("[name=education_en]") == "Synthetic diploma in physics"
    assert page.input_value("[name=family_told_how_en]") == "Synthetic: told at the prison gate"
    assert page.input_value("[name=occupation]") == "teacher"
    assert page.input_value("[name=relations_from-0-kind]") == "sibling"
    assert page.input_value("[name=relations_from-0-to_victim]") != ""

    page.fill("[name=children]", "2")
    with page.expect_navigation():
        page.click("[name=_save]")

    assert "/change/" not in page.url, page.locator(".errornote, .errorlist").all_inner_texts()
    saved = Victim.objects.get(pk=victim.pk)
    assert (saved.occupation, saved.religion, saved.civil_status, saved.children) == (
        "teacher", "bahai", "married", 2
    )  # fmt: skip
    assert saved.body_returned == "no"
    relation = FamilyRelation.objects.select_related("to_victim").get()
    assert (relation.from_victim_id, relation.kind, relation.to_victim.ref) == (
        victim.pk, "sibling", "TEST-E2E-P2"
    )  # fmt: skip
    assert not posts.refused, posts.refused
