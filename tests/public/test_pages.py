"""Every public page answers in English and Persian; unpublished records answer 404."""

import re
from pathlib import Path

import pytest
from django.conf import settings

PAGES = [
    "/",
    "/victims/",
    "/victims/V-0001/",
    "/perpetrators/",
    "/perpetrators/P-0001/",
    "/perpetrators/P-0002/",
    "/perpetrators/P-0003/",
    "/sources/",
    "/sources/2/",
    "/events/",
    "/events/1988-massacre/",
    "/events/november-2019-protests/",
    "/stats/",
    "/about/",
    "/data/",
]


@pytest.mark.parametrize("prefix", ["", "/fa"])
@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_answers_in_english_and_persian(client, seed, prefix, path):
    response = client.get(prefix + path)
    assert response.status_code == 200
    html = response.content.decode()
    if prefix == "/fa":
        assert '<html lang="fa" dir="rtl">' in html
    else:
        assert '<html lang="en" dir="ltr">' in html


def test_pages_carry_a_canonical_link_and_language_alternates(client, seed):
    html = client.get("/fa/perpetrators/P-0001/").content.decode()
    assert '<link rel="canonical" href="http://testserver/fa/perpetrators/P-0001/">' in html
    assert 'hreflang="en" href="http://testserver/perpetrators/P-0001/"' in html
    assert 'hreflang="fa" href="http://testserver/fa/perpetrators/P-0001/"' in html


def test_persian_pages_show_solar_hijri_dates_with_the_gregorian_beside(client, seed):
    html = client.get("/fa/victims/V-0001/").content.decode()
    assert "۱۳۹۹" in html  # executed in August 2020
    assert "۲۰۲۰" in html


@pytest.mark.parametrize(
    "path",
    [
        "/victims/ZZSECRET-V1/",
        "/victims/ZZSECRET-V2/",
        "/perpetrators/ZZSECRET-P1/",
        "/events/zzsecret-event/",
        "/api/victims/ZZSECRET-V1/",
        "/api/perpetrators/ZZSECRET-P1/",
    ],
)
def test_unpublished_records_are_not_found(client, unpublished, path):
    assert client.get(path).status_code == 404


def test_unpublished_and_private_sources_have_no_page(client, unpublished):
    assert client.get(f"/sources/{unpublished['source'].pk}/").status_code == 404
    assert client.get(f"/sources/{unpublished['private'].pk}/").status_code == 404
    assert client.get(f"/api/sources/{unpublished['private'].pk}/").status_code == 404


def test_a_victim_page_links_to_the_form_to_send_information_about_this_person(client, seed):
    html = client.get("/victims/V-0001/").content.decode()
    assert "Send information about this person" in html
    from django.urls import NoReverseMatch, reverse

    try:
        assert f"{reverse('submissions:submit')}?victim=V-0001" in html
    except NoReverseMatch:
        assert "/about/#corrections" in html


def test_the_pages_load_nothing_from_another_site(client, seed):
    import re

    for path in ["/", "/fa/perpetrators/P-0001/", "/stats/", "/victims/"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        html = response.content.decode()
        for tag in re.findall(r"<(?:link|script|img)[^>]*>", html):
            assert "http" not in tag.split("href=")[-1] or "testserver" in tag, tag
        # No script runs: the only script elements are JSON-LD data blocks (citation
        # metadata), which a browser never executes.
        scripts = re.findall(r"<script[^>]*>", html)
        assert all(tag == '<script type="application/ld+json">' for tag in scripts), scripts


def test_persian_pages_preload_their_fonts_and_english_pages_do_not(client, seed):
    fa = client.get("/fa/").content.decode()
    for weight in ("Regular", "Bold"):
        assert re.search(
            rf'<link rel="preload" href="/static/fonts/Vazirmatn-{weight}\.woff2" as="font" '
            r'type="font/woff2" crossorigin>',
            fa,
        )
    english = client.get("/")
    assert english.status_code == 200
    assert '<link rel="stylesheet"' in english.content.decode()  # the page's head is there
    assert "Vazirmatn-Regular.woff2" not in english.content.decode()


def test_a_late_font_never_moves_the_text():
    """The Vazirmatn faces swap in only before the first paint (font-display: optional),
    and the fallback carries Vazirmatn's metrics."""
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    faces = re.findall(r"@font-face\s*{[^}]*}", css)
    vazirmatn = [f for f in faces if 'font-family: "Vazirmatn";' in f]
    assert len(vazirmatn) == 2 and all("font-display: optional" in f for f in vazirmatn)
    fallback = next(f for f in faces if '"Vazirmatn Fallback"' in f)
    assert "size-adjust" in fallback and "ascent-override" in fallback
    assert '"Vazirmatn", "Vazirmatn Fallback"' in css


# The admin's pages too: without an icon a browser asks for /favicon.ico (not served: a 404
# on every admin page).
@pytest.mark.parametrize("path", ["/", "/fa/submit/", "/victims/V-0001/", "/admin/login/"])
def test_every_page_has_a_bundled_favicon(client, seed, path):
    html = client.get(path).content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', html)
    assert len(icons) == 3
    for href in icons:
        assert href.startswith("/static/")
        assert (Path(settings.BASE_DIR) / "static" / href.removeprefix("/static/")).exists()


# A phone's screen in Chromium.


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "path", ["/data/", "/fa/data/", "/victims/", "/fa/victims/", "/stats/", "/fa/stats/"]
)
def test_list_and_data_pages_never_scroll_sideways_on_a_phone(browser, live_server, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    status = page.goto(live_server.url + path).status
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert status == 200, f"{path} answered {status}"
    assert overflow <= 0, f"{path} is {overflow} px wider than the screen"


ALL_PAGES = [*PAGES, "/submit/", "/submit/receipt/"]


@pytest.mark.parametrize("prefix", ["", "/fa"])
def test_no_page_title_shows_markup(client, seed, prefix):
    for path in ALL_PAGES:
        response = client.get(prefix + path)
        assert response.status_code == 200, (path, response.status_code)
        html = response.content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title and "&lt;" not in title, (path, title)


def idrefs_and_ids(html: str):
    ids = re.findall(r'\sid="([^"]+)"', html)
    refs = []
    for attribute in ("aria-describedby", "aria-labelledby", "for"):
        for value in re.findall(rf'\s{attribute}="([^"]+)"', html):
            refs += value.split()
    refs += re.findall(r'href="#([^"]+)"', html)
    return ids, refs


@pytest.mark.parametrize("prefix", ["", "/fa"])
def test_every_id_is_unique_and_every_reference_to_one_finds_it(client, seed, prefix):
    responses = {path: client.get(prefix + path) for path in ALL_PAGES}
    responses["form with errors"] = client.post(prefix + "/submit/", {"account": ""})
    # Pages, not redirects or error pages, which would have no ids to check.
    assert {p: r.status_code for p, r in responses.items() if r.status_code != 200} == {}
    pages = {path: response.content.decode() for path, response in responses.items()}
    for path, html in pages.items():
        ids, refs = idrefs_and_ids(html)
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        assert duplicates == [], (path, duplicates)
        missing = sorted(set(refs) - set(ids))
        assert missing == [], (path, missing)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("path", ["/submit/", "/fa/submit/"])
def test_every_form_control_shows_a_focus_ring(browser, live_server, path):
    context = browser.new_context()
    page = context.new_page()
    assert page.goto(live_server.url + path).status == 200
    controls = page.locator("form input:visible, form select, form textarea, form button")
    assert controls.count() >= 10, "the form's fields are on the page"
    unringed = []
    for i in range(controls.count()):
        control = controls.nth(i)
        control.focus()
        style = control.evaluate(
            "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }"
        )
        if style[0] == "none" or float(style[1].rstrip("px")) < 2:
            unringed.append(control.evaluate("e => e.name || e.outerHTML.slice(0, 60)"))
    context.close()
    assert unringed == []
