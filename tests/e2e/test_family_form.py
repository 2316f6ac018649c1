"""A family sends what it knows through the Persian form, with JavaScript off and a
photo straight from a phone; it gets a receipt code, the archive keeps the photo without
the place it was taken, and the code later shows the submission's status."""

import re

import pytest

from tests.e2e.browsing import gps_of, jpeg_with_gps, watch_posts
from victims.models import Submission

pytestmark = pytest.mark.e2e

PERSIAN = re.compile(r"[\u0600-\u06FF]")
CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")


def test_a_family_without_javascript_sends_a_photo_and_the_archive_keeps_no_location(
    new_context, live_server, transactional_db, private_media
):
    photo = jpeg_with_gps()
    assert gps_of(photo), "the test photo must carry a GPS position to begin with"
    context = new_context(java_script_enabled=False)
    posts = watch_posts(context)
    page = context.new_page()

    page.goto(live_server.url + "/fa/submit/")
    page.get_by_label("نام به خط فارسی").fill("نام آزمایشی خانواده")
    page.fill("[name=death]", "مرداد ۱۳۶۷، تهران")
    page.fill("[name=account]", "متن آزمایشی: این فرم را یک آزمون مرورگر فرستاده است.")
    page.set_input_files(
        "[name=attachments]",
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo}],
    )
    page.check("[name=consent]")
    with page.expect_navigation() as sent:
        page.locator("form button[type=submit]").click()
    # Stored, then redirected to the receipt (a reload sends nothing twice).
    assert sent.value.status == 200, page.locator("main").inner_text()[:800]
    assert page.url.endswith("/fa/submit/thanks/"), page.url
    code = page.locator(".receipt .code").inner_text().strip()
    assert CODE.match(code), code
    assert PERSIAN.search(page.get_by_role("heading", level=1).inner_text())

    submission = Submission.objects.get()
    assert submission.name_fa == "نام آزمایشی خانواده"
    assert submission.language == "fa"
    (attachment,) = submission.attachments.all()
    with attachment.file.open("rb") as stored:
        kept = stored.read()
    from PIL import Image

    with Image.open(attachment.file.path) as image:
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert gps_of(kept) == {}
    assert b"TestPhone" not in kept and b"SERIAL-E2E-1" not in kept

    # Later, the code (typed in lower case) tells the family its submission was received.
    page.goto(live_server.url + "/fa/submit/receipt/")
    page.fill("[name=code]", code.lower())
    with page.expect_navigation() as looked_up:
        page.locator("form button[type=submit]").click()
    assert looked_up.value.status == 200
    status = page.get_by_role("status")
    assert PERSIAN.search(status.inner_text()), status.inner_text()
    assert page.locator(".errorlist").count() == 0
    assert len(posts.posts) == 2 and not posts.refused, posts.posts
