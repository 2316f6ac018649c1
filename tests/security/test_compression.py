"""Public pages travel compressed (a slow, filtered connection from inside Iran); a page
that holds a secret (a CSRF token, a session) never does, so that its compressed length
tells an observer nothing (BREACH)."""

import gzip

import pytest
from django.test import Client

from tests.conftest import signed_in
from tests.factories import VictimFactory
from tests.submissions.test_submission_form import answers

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def body(response) -> bytes:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(raw) if response.get("Content-Encoding") == "gzip" else raw


@pytest.fixture
def records(db):
    for i in range(30):
        VictimFactory(name_latin=f"Compressed Person {i:02d}")


@pytest.mark.parametrize(
    "path", ["/victims/", "/fa/victims/", "/", "/api/victims/", "/data/victims.csv"]
)
def test_a_public_page_is_compressed_for_a_browser_that_accepts_it(records, path):
    client = Client()
    for expected_cache in ("miss", "hit"):
        response = client.get(path, **GZIP)
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        if "victims" in path:
            assert "Compressed Person 00" in body(response).decode()
        if not path.startswith("/data/"):
            assert response["X-Cache"] == expected_cache


def test_a_browser_that_does_not_accept_gzip_gets_the_plain_page(records):
    response = Client().get("/victims/")
    assert "Content-Encoding" not in response
    assert "Compressed Person 00" in response.content.decode()


@pytest.mark.parametrize("path", ["/submit/", "/fa/submit/", "/submit/receipt/", "/admin/login/"])
def test_a_page_with_a_csrf_token_is_never_compressed(path):
    response = Client().get(path, **GZIP)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "Content-Encoding" not in response


def test_the_answer_to_a_familys_submission_is_never_compressed():
    family = Client()
    response = family.post("/submit/", answers(), **GZIP)
    assert response.status_code == 303
    receipt = family.get(response["Location"], **GZIP)  # the page with the receipt code
    assert receipt.status_code == 200
    assert 'class="code"' in receipt.content.decode()
    assert "Content-Encoding" not in receipt


def test_staff_with_a_session_get_no_compressed_page(records, client, researcher):
    staff = signed_in(client, researcher)
    for path in ("/victims/", "/admin/", "/admin/victims/victim/"):
        response = staff.get(path, **GZIP)
        assert response.status_code == 200
        assert "Content-Encoding" not in response, path


def test_a_304_answers_a_compressed_page_held_by_the_client(records):
    client = Client()
    first = client.get("/api/victims/", **GZIP)
    again = client.get("/api/victims/", HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert again.status_code == 304
