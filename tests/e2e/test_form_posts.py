"""Every form of the site, public and admin, posted from Chromium with JavaScript on and
off: none is refused. Django's test client sends no Origin and no Referer, so only a real
browser catches a CSRF check that refuses real posts (as Referrer-Policy: no-referrer
once made Chromium send ``Origin: null`` and every form fail)."""

import pytest

from archive.core.groups import RESEARCHER
from tests.e2e.browsing import sign_in, watch_posts
from tests.factories import VictimFactory
from victims.models import Submission, Victim

pytestmark = pytest.mark.e2e

JAVASCRIPT = pytest.mark.parametrize(
    "javascript", [True, False], ids=["javascript-on", "javascript-off"]
)


def _send(page):
    """Presses the form's main button and returns the answer to the post."""
    with page.expect_navigation() as answer:
        page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    return answer.value


@JAVASCRIPT
def test_the_family_form_is_accepted(new_context, live_server, private_media, javascript):
    context = new_context(java_script_enabled=javascript)
    posts = watch_posts(context)
    page = context.new_page()
    page.goto(live_server.url + "/submit/")
    page.fill("[name=name_latin]", "Testname Browserform")
    page.fill("[name=account]", "A synthetic account sent by a browser test.")
    page.check("[name=consent]")
    answer = _send(page)
    # Stored, then redirected to the receipt (a reload sends nothing twice).
    assert answer.status == 200, page.locator("main").inner_text()[:500]
    assert page.url.endswith("/submit/thanks/"), page.url
    assert page.locator(".receipt .code").count() == 1
    assert Submission.objects.filter(name_latin="Testname Browserform").count() == 1
    assert [p.status for p in posts.posts] == [303]


@JAVASCRIPT
def test_the_family_form_with_mistakes_comes_back_with_its_errors(
    new_context, live_server, transactional_db, javascript
):
    context = new_context(java_script_enabled=javascript)
    posts = watch_posts(context)
    page = context.new_page()
    page.goto(live_server.url + "/fa/submit/")
    page.fill("[name=birth_year]", "not a year")
    answer = _send(page)
    assert answer.status == 200
    assert page.locator("#form-errors").is_visible()
    assert page.locator("[name=birth_year]").input_value() == "not a year"
    assert not Submission.objects.exists()
    assert [p.status for p in posts.posts] == [200]


@JAVASCRIPT
def test_a_receipt_look_up_is_answered(new_context, live_server, transactional_db, javascript):
    context = new_context(java_script_enabled=javascript)
    posts = watch_posts(context)
    page = context.new_page()
    page.goto(live_server.url + "/submit/receipt/")
    page.fill("[name=code]", "7KQ2-M9XD-4TPR-HW3N")
    answer = _send(page)
    assert answer.status == 200
    assert "No submission has this code" in page.locator("main").inner_text()
    assert [p.status for p in posts.posts] == [200]


@JAVASCRIPT
def test_the_language_switch_takes_the_reader_to_the_same_page_in_persian(
    new_context, live_server, seeded, javascript
):
    context = new_context(java_script_enabled=javascript)
    posts = watch_posts(context)
    page = context.new_page()
    page.goto(live_server.url + "/victims/")
    switch = page.locator(".language-switch")
    form = switch.locator("form")
    with page.expect_navigation():
        if form.count():  # a set-language form, if the switch becomes one
            form.locator("[type=submit]").first.click()
        else:
            switch.locator("[hreflang=fa]").click()
    assert page.url.endswith("/fa/victims/")
    assert page.locator("html").get_attribute("lang") == "fa"
    assert not posts.refused, posts.refused


@JAVASCRIPT
def test_staff_sign_in_save_a_record_and_sign_out(new_context, live_server, staff, javascript):
    victim = VictimFactory(ref="TEST-E2E-FORM", publication_status="draft")
    researcher = staff("e2e-forms", RESEARCHER)
    context = new_context(java_script_enabled=javascript)
    posts = watch_posts(context)
    page = context.new_page()

    sign_in(page, live_server.url, researcher)
    page.goto(f"{live_server.url}/admin/victims/victim/{victim.pk}/change/")
    page.fill("[name=father_name]", "Testfather Saved")
    with page.expect_navigation() as saved:
        page.click("[name=_save]")
    assert saved.value.ok, saved.value.status
    assert Victim.objects.get(pk=victim.pk).father_name == "Testfather Saved"
    assert page.locator("ul.messagelist .success").count() == 1

    # Signing out is a form too (a POST since Django 5).
    with page.expect_navigation() as signed_out:
        page.locator("#logout-form [type=submit]").click()
    assert signed_out.value.ok, signed_out.value.status
    assert page.goto(live_server.url + "/admin/").url.startswith(live_server.url + "/admin/login/")
    assert len(posts.posts) >= 3 and not posts.refused, posts.posts
