"""Persian pages in a real browser: the layout reads right to left, and the families'
form speaks Persian."""

import re

import pytest

pytestmark = pytest.mark.e2e

PERSIAN = re.compile(r"[\u0600-\u06FF]")


def _direction(page, selector):
    return page.eval_on_selector(selector, "el => getComputedStyle(el).direction")


def test_a_persian_record_page_reads_right_to_left(page, live_server, seeded):
    page.goto(live_server.url + "/fa/perpetrators/P-0001/")
    assert _direction(page, "html") == "rtl"
    assert _direction(page, "main") == "rtl"
    assert _direction(page, "h1") == "rtl"
    # The heading starts at the right edge, as Persian text does.
    heading = page.get_by_role("heading", level=1)
    box = heading.bounding_box()
    main = page.locator("main").bounding_box()
    assert box["x"] + box["width"] == pytest.approx(main["x"] + main["width"], abs=40)
    # Footnote markers are links that still lead to their note.
    marker = page.locator("sup.fn a").first
    marker.click()
    assert re.search(r"#fn-\d+$", page.url)


def test_the_persian_form_reads_right_to_left_with_persian_labels(page, live_server, seeded):
    page.goto(live_server.url + "/fa/submit/")
    assert page.locator("html").get_attribute("lang") == "fa"
    assert _direction(page, "form") == "rtl"
    labels = page.locator("form label")
    assert labels.count() >= 8
    texts = [text.strip() for text in labels.all_inner_texts() if text.strip()]
    english = [text for text in texts if not PERSIAN.search(text)]
    assert english == []
    # The first field a Persian family meets asks for the name in Persian script.
    assert page.get_by_label("نام به خط فارسی").count() == 1
    assert "فرستادن" in page.get_by_role("button").last.inner_text()
