"""A family finds the form from the pages they land on first, in their language."""

import re

import pytest

pytestmark = pytest.mark.django_db


def links_to(html: str, href: str) -> bool:
    return re.search(rf'<a [^>]*href="{re.escape(href)}"', html) is not None


@pytest.mark.parametrize(("prefix", "form"), [("", "/submit/"), ("/fa", "/fa/submit/")])
@pytest.mark.parametrize("path", ["/", "/about/"])
def test_the_home_and_about_pages_link_to_the_form_in_the_readers_language(
    client, prefix, form, path
):
    html = client.get(prefix + path).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert links_to(main, form)


@pytest.mark.parametrize(("prefix", "form"), [("", "/submit/"), ("/fa", "/fa/submit/")])
@pytest.mark.parametrize("path", ["/", "/victims/", "/sources/", "/stats/"])
def test_the_main_navigation_links_to_the_form(client, prefix, form, path):
    html = client.get(prefix + path).content.decode()
    nav = html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert links_to(nav, form)


def test_the_navigation_marks_the_form_as_the_current_page_on_the_form(client):
    html = client.get("/fa/submit/").content.decode()
    nav = html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.search(r'href="/fa/submit/" aria-current="page"', nav)
