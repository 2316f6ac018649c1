"""Persian pages as a Persian reader meets them: right to left, Persian words and
digits, Solar Hijri dates, names in Persian script first, nothing from other hosts."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CommissionFactory, EventFactory, PlaceFactory, VictimFactory

PERSIAN_PAGES = [
    "/fa/",
    "/fa/victims/",
    "/fa/perpetrators/",
    "/fa/submit/",
    "/fa/sources/",
    "/fa/about/",
    "/fa/stats/",
    "/fa/events/",
]
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"


LOADED = [
    # Scripts, images, frames and media load by themselves.
    re.compile(r'<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc="([^"]+)"'),
    # Stylesheets, fonts and preloads; canonical and hreflang links are only named.
    re.compile(r'<link\b(?![^>]*\brel="(?:canonical|alternate)")[^>]*\bhref="([^"]+)"'),
    re.compile(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)"),
    re.compile(r"@import\s+['\"]?((?:https?:)?//[^'\";]+)"),
]


def _third_party_resources(html):
    """Addresses on other hosts that the page would load by itself. Links a reader may
    follow (a cited source) are not loads."""
    found = [address for pattern in LOADED for address in pattern.findall(html)]
    return [a for a in found if urlsplit(a).hostname not in (None, "testserver")]


@pytest.mark.parametrize("path", PERSIAN_PAGES)
def test_persian_pages_are_right_to_left_and_load_nothing_from_other_hosts(client, seed, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert _third_party_resources(html) == []


@pytest.mark.parametrize("path", PERSIAN_PAGES)
def test_persian_pages_speak_persian(client, seed, path):
    html = client.get(path).content.decode()
    # The main navigation, in Persian, on every page.
    for word in ["قربانیان", "عاملان", "منابع", "آمار", "درباره"]:
        assert word in html
    assert ">Victims<" not in html and ">Perpetrators<" not in html


@pytest.mark.parametrize("path", ["/fa/", "/fa/victims/"])
def test_a_printed_persian_page_gives_its_date_and_version_in_persian_digits(client, seed, path):
    html = client.get(path).content.decode()
    footer = re.search(r'<p class="print-only">(.*?)</p>', html, re.S).group(1)
    shown = re.sub(r"<bdi[^>]*>.*?</bdi>", "", footer, flags=re.S)  # the page's address
    assert re.search(r"[0-9]", shown) is None, shown
    assert re.search(f"[{PERSIAN_DIGITS}]{{4}}-[{PERSIAN_DIGITS}]{{2}}", shown), shown


def test_the_page_of_a_victim_executed_in_august_2020_gives_the_solar_hijri_year_first(
    client, seed
):
    html = client.get("/fa/victims/V-0001/").content.decode()
    facts = html[html.index('<dl class="facts"') :]
    facts = facts[: facts.index("</dl>")]
    assert "۱۳۹۹" in facts
    assert "۲۰۲۰" in facts
    assert facts.index("۱۳۹۹") < facts.index("۲۰۲۰")
    assert "1399" not in facts  # Persian digits, not Latin ones


def test_statistics_are_written_in_persian_digits(client, seed):
    html = client.get("/fa/stats/").content.decode()
    cells = re.findall(r'<td class="number">([^<]+)</td>', html)
    assert cells
    assert all(cell.strip() and set(cell.strip()) <= set(PERSIAN_DIGITS + "٬,") for cell in cells)
    english = client.get("/stats/").content.decode()
    assert all(
        set(cell.strip()) <= set("0123456789,")
        for cell in re.findall(r'<td class="number">([^<]+)</td>', english)
    )


@pytest.mark.parametrize(
    "persian, english",
    [
        ("/fa/victims/V-0001/", "/victims/V-0001/"),
        ("/fa/perpetrators/P-0001/", "/perpetrators/P-0001/"),
    ],
)
def test_the_language_switch_keeps_the_reader_on_the_same_record(client, seed, persian, english):
    html = client.get(persian).content.decode()
    switch = html[html.index('class="language-switch"') :]
    switch = switch[: switch.index("</nav>")]
    assert f'href="{english}"' in switch
    back = client.get(english).content.decode()
    switch = back[back.index('class="language-switch"') :]
    assert f'href="{persian}"' in switch[: switch.index("</nav>")]


def test_persian_pages_show_the_persian_name_first_and_english_pages_the_latin(client, db):
    VictimFactory(
        ref="I18N-1",
        name_latin="Reza Testi",
        name_fa="رضا تستی",
        death_date=datetime.date(1988, 8, 1),
        death_date_precision="month",
    )
    persian = client.get("/fa/victims/I18N-1/").content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", persian, re.S).group(1)
    assert heading.index("رضا تستی") < heading.index("Reza Testi")
    english = client.get("/victims/I18N-1/").content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", english, re.S).group(1)
    assert heading.index("Reza Testi") < heading.index("رضا تستی")
    # A month alone is shown as a month: the Solar Hijri months it spans, in 1367.
    assert "۱۳۶۷" in persian and "مرداد" in persian


def test_the_persian_list_gives_persian_names_first(client, db):
    VictimFactory(ref="I18N-2", name_latin="Reza Testi", name_fa="رضا تستی")
    html = client.get("/fa/victims/").content.decode()
    row = html[html.index("رضا تستی") - 400 : html.index("رضا تستی") + 400]
    assert row.index("رضا تستی") < row.index("Reza Testi")


def test_the_admin_speaks_persian_to_a_browser_that_asks_for_it(client, db):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "نام کاربری" in html  # Django's own catalogue: "Username"
    english = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en" dir="ltr">' in english


def test_the_admin_names_our_models_in_persian(researcher_client):
    html = researcher_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "قربانیان" in html  # Victim's verbose_name_plural
    assert "منابع" in html  # Source's verbose_name_plural
    html = researcher_client.get(
        "/admin/victims/victim/add/", HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()
    assert "نام پدر" in html  # the father's name field


def test_the_public_persian_pages_keep_their_language_whatever_the_browser_asks(client, seed):
    html = client.get("/victims/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert '<html lang="en" dir="ltr">' in html


PERSIAN_LINKS = ["کشتار آزمایشی", "زندان ساختگی"]
ENGLISH_LINKS = ["Synthetic test killings", "Synthetic Test Prison"]


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("fa", PERSIAN_LINKS, ENGLISH_LINKS), ("en", ENGLISH_LINKS, PERSIAN_LINKS)],
)
def test_the_admins_list_names_events_and_prisons_in_the_readers_language(
    researcher_client, language, shown, hidden
):
    event = EventFactory(name_en=ENGLISH_LINKS[0], name_fa=PERSIAN_LINKS[0])
    prison = PlaceFactory(name_en=ENGLISH_LINKS[1], name_fa=PERSIAN_LINKS[1])
    VictimFactory(event=event, prison=prison)
    html = researcher_client.get(
        "/admin/victims/victim/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    # The event in its filter; the prison in its filter and in the victim's row.
    assert [html.count(name) for name in shown] == [1, 2]
    assert [html.count(name) for name in hidden] == [0, 0]


def test_the_persian_admins_counts_are_in_persian_digits(researcher_client):
    for n in range(2):
        VictimFactory(name_latin=f"Synthetic Countname {n}", name_fa="")
    html = researcher_client.get(
        "/admin/victims/victim/", {"q": "Countname"}, HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()
    assert "۲ نتیجه" in html  # the search's count (Django wrote "2 نتیجه")
    paginator = re.search(r'<p class="paginator">(.*?)</p>', html, re.S).group(1)
    assert "۲ قربانیان" in paginator and "2" not in paginator


def test_the_admins_list_reads_the_places_it_names_with_its_rows(
    researcher_client, django_assert_max_num_queries
):
    """A column naming a linked record in the reader's language is a function, which
    Django does not join for itself as it joins a link named as a field: the list joins it
    (a commission's place read once per commission, before)."""
    url = "/admin/perpetrators/commission/"
    CommissionFactory(place=PlaceFactory())
    with CaptureQueriesContext(connection) as one:
        researcher_client.get(url, HTTP_ACCEPT_LANGUAGE="fa")
    for _ in range(5):
        CommissionFactory(place=PlaceFactory())
    with django_assert_max_num_queries(len(one)):
        html = researcher_client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert html.count("زندان آزمایشی") >= 6  # each commission's place, in Persian


def _admin_victims_list(client, monkeypatch, language, *, per_page: int, people: int) -> str:
    """The admin's list of ``people`` synthetic victims, ``per_page`` a page, as HTML."""
    from django.contrib import admin

    from victims.models import Victim

    monkeypatch.setattr(admin.site._registry[Victim], "list_per_page", per_page)
    for n in range(people):
        VictimFactory(name_latin=f"Synthetic Listname {n}", name_fa="")
    return client.get("/admin/victims/victim/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(
    ("language", "pages", "current"),
    [("fa", "۱ ۲ ۳ ۴ … ۱۱ ۱۲", "۱"), ("en", "1 2 3 4 … 11 12", "1")],
)
def test_the_admin_lists_page_numbers_are_in_the_readers_digits_and_link_as_before(
    researcher_client, monkeypatch, language, pages, current
):
    html = _admin_victims_list(researcher_client, monkeypatch, language, per_page=1, people=12)
    paginator = re.search(r'<p class="paginator">(.*?)</p>', html, re.S).group(1)
    shown = " ".join(re.sub(r"<[^>]+>", " ", paginator).split()[:7])
    assert shown == pages  # Django's own paginator wrote "1 2 3 4 … 11 12" in Persian too
    assert f'<span class="this-page">{current}</span>' in paginator
    # The links are Django's: the page in ASCII digits in the address.
    links = re.findall(r'<a href="([^"]*)"( class="end")?>', paginator)
    assert links[0] == ("?p=2", "") and links[-1] == ("?p=12", ' class="end"')


@pytest.mark.parametrize(
    ("language", "counter", "question"),
    [
        ("fa", "۰ از ۲ انتخاب شده‌اند", "انتخاب همهٔ ۳ قربانیان"),
        ("en", "0 of 2 selected", "Select all 3 victims"),
    ],
)
def test_the_admin_lists_actions_bar_counts_in_the_readers_digits_before_any_script(
    researcher_client, monkeypatch, language, counter, question
):
    html = _admin_victims_list(researcher_client, monkeypatch, language, per_page=2, people=3)
    actions = re.search(r'<div class="actions">(.*?)</div>', html, re.S).group(1)
    # As the page comes (and stays without JavaScript); Django wrote "0 از 2 انتخاب شده‌اند".
    assert f'data-actions-icnt="2">{counter}</span>' in actions
    assert question in " ".join(re.sub(r"<[^>]+>", " ", actions).split())


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        # The open data page's files and the API's addresses.
        ("/fa/data/", 'places.json</a>، <a href="/fa/data/places.geojson"'),
        ("/fa/data/", "<code>/api/victims/&lt;ref&gt;/</code>، <code>"),
        # A place's commissions: each member and their role.
        ("/fa/places/iran/", '<bdi lang="en">Ebrahim Raisi</bdi></a>، عضو'),
        # A source's document: its type and its size.
        ("/fa/sources/10/", '<bdi dir="ltr">text/plain</bdi>، ۱۲٬۸۳۸ بایت'),
    ],
)
def test_lists_inside_a_persian_sentence_are_joined_by_the_persian_comma(
    client, seed, path, fragment
):
    # These templates wrote ", " whatever the language: "places.json, places.geojson".
    assert fragment in client.get(path).content.decode()


def test_an_attribution_to_several_sources_reads_with_the_persian_comma_and_and(db):
    from django.template.loader import render_to_string
    from django.utils import translation

    from tests.factories import SourceFactory

    sources = [
        SourceFactory(publisher=f"Synthetic Group {letter}", date=datetime.date(2019, 1, 1))
        for letter in "ABC"
    ]
    with translation.override("fa"):
        html = render_to_string(
            "includes/attribution.html", {"attributions": list(enumerate(sources, 1))}
        )
    text = " ".join(re.sub(r"<sup.*?</sup>|<[^>]+>", "", html).split())
    assert text == "Synthetic Group A (۲۰۱۹)، Synthetic Group B (۲۰۱۹) و Synthetic Group C (۲۰۱۹)"


@pytest.mark.parametrize(("code", "shown"), [("en", "انگلیسی"), ("de", "آلمانی"), ("fa", "فارسی")])
def test_a_sources_language_is_named_in_persian_on_a_persian_page(client, db, code, shown):
    from tests.factories import SourceFactory

    source = SourceFactory(language=code)
    html = client.get(f"/fa/sources/{source.pk}/").content.decode()
    # The catalogue kept "English" as "English" (the language switcher names each
    # language in its own script already): a Persian page read "زبان: English".
    assert f"<dt>زبان</dt><dd>{shown}</dd>" in html
    # The switcher still offers English in English.
    assert 'hreflang="en">English</a>' in html


def test_the_persian_admin_says_in_persian_what_djangos_own_catalogue_left_english(
    researcher_client,
):
    # Django's Persian catalogue leaves these empty (locale/libraries fills them in).
    index = researcher_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert '<th scope="col">نوع پرونده</th>' in index and "Model name" not in index
    assert (
        'aria-label="مسیر صفحه"'
        in researcher_client.get(
            "/admin/victims/victim/", HTTP_ACCEPT_LANGUAGE="fa"
        ).content.decode()
    )
    # A form sent with one field wrong: the note above it.
    VictimFactory(ref="TEST-TAKEN")
    page = researcher_client.post(
        "/admin/victims/victim/add/",
        {"ref": "TEST-TAKEN", "name_latin": "Synthetic Formname", "publication_status": "draft"},
        HTTP_ACCEPT_LANGUAGE="fa",
    ).content.decode()
    note = re.search(r'<p class="errornote">\s*(.*?)\s*</p>', page, re.S).group(1)
    assert note.startswith("لطفاً خطا"), note


@pytest.mark.parametrize(("language", "year"), [("fa", "۲۰"), ("en", "20")])
def test_the_admin_lists_dates_and_times_are_in_the_readers_digits(
    researcher_client, language, year
):
    from tests.factories import PerpetratorFactory

    PerpetratorFactory(ref="TEST-P-DIGITS", name_latin="Synthetic Datename")
    html = researcher_client.get(
        "/admin/perpetrators/perpetrator/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    cell = re.search(r'<td class="field-updated_at_in_readers_digits">(.*?)</td>', html).group(1)
    # The last change, as Django's admin writes it, in the reader's digits (the Persian
    # admin read "25 نوامبر 2026، 0:00").
    assert year in cell and not (language == "fa" and re.search(r"[0-9]", cell)), cell


@pytest.mark.parametrize(("language", "pattern"), [("fa", r"^[^0-9]*۲۰[^0-9]*$"), ("en", r"20")])
def test_a_records_workflow_dates_are_in_the_readers_digits_on_its_page(
    researcher_client, language, pattern
):
    victim = VictimFactory(name_latin="Synthetic Datepage", name_fa="")
    html = researcher_client.get(
        f"/admin/victims/victim/{victim.pk}/change/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    # Django wrote the record's "created" and "updated" itself, in Latin digits.
    for name in ("created_at_shown", "updated_at_shown"):
        shown = re.search(
            rf'<div class="form-row field-{name}">.*?<div class="readonly">(.*?)</div>', html, re.S
        ).group(1)
        assert re.search(pattern, shown), shown


def test_a_birth_year_typed_in_persian_digits_in_the_admin_reads_as_that_year(rf, researcher):
    from django.contrib import admin

    from victims.models import Victim

    request = rf.get("/admin/victims/victim/add/")
    request.user = researcher
    form_class = admin.site._registry[Victim].get_form(request)
    form = form_class({"birth_year": "۱۹۶۱"})
    form.is_valid()
    # The help gives "مثلاً ۱۹۶۱": a Persian keyboard types those digits.
    assert "birth_year" not in form.errors
    assert form.cleaned_data["birth_year"] == 1961


def test_the_persian_admins_search_box_is_labelled_in_persian(researcher_client):
    html = researcher_client.get("/admin/victims/victim/", HTTP_ACCEPT_LANGUAGE="fa").content
    # The search icon is the box's label: a screen reader read it as "Search".
    assert 'alt="جستجو"' in html.decode()
