"""Error pages in the reader's language; under /api/, every error is JSON in the API's one
shape; the 500 page reads nothing from the database, so it shows when the database is
down."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client

from archive.public import views
from tests.submissions.test_submission_form import answers

pytestmark = pytest.mark.django_db

HEADINGS = {
    400: ("This request could not be understood", "این درخواست قابل فهم نبود"),
    403: ("You may not open this page", "شما اجازهٔ باز کردن این صفحه را ندارید"),
    404: ("This page does not exist", "این صفحه وجود ندارد"),
    429: ("Please wait before trying again", "لطفاً پیش از تلاش دوباره کمی صبر کنید"),
    500: ("The archive could not answer", "آرشیو نتوانست پاسخ دهد"),
}


def _raise(exception):
    def view_part(*args, **kwargs):
        raise exception

    return view_part


def error_response(monkeypatch, settings, status, prefix):
    client = Client(raise_request_exception=False)
    if status == 400:
        return client.get(f"{prefix}victims/", HTTP_HOST="not-our-name.example")
    if status == 403:
        monkeypatch.setattr(views.AboutView, "get_context_data", _raise(PermissionDenied()))
        return client.get(f"{prefix}about/")
    if status == 404:
        return client.get(f"{prefix}no-such-page/")
    if status == 429:
        settings.SUBMISSION_LOOKUP_RATE = "1/h"
        client.post(f"{prefix}submit/receipt/", {"code": "AAAA-BBBB"})
        return client.post(f"{prefix}submit/receipt/", {"code": "AAAA-BBBB"})
    monkeypatch.setattr(views.AboutView, "get_context_data", _raise(RuntimeError("boom")))
    return client.get(f"{prefix}about/")


@pytest.mark.parametrize("status", sorted(HEADINGS))
@pytest.mark.parametrize(("prefix", "lang"), [("/", "en"), ("/fa/", "fa")])
def test_every_error_page_speaks_the_readers_language(monkeypatch, settings, status, prefix,
                                                      lang):  # fmt: skip
    response = error_response(monkeypatch, settings, status, prefix)
    assert response.status_code == status
    page = response.content.decode()
    english, persian = HEADINGS[status]
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "fa" else "ltr"}"' in page
    assert (persian if lang == "fa" else english) in page
    assert "not-our-name.example" not in page


def test_the_500_page_reads_nothing_from_the_database(rf, django_assert_num_queries):
    request = rf.get("/fa/victims/")
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500
    assert "آرشیو نتوانست پاسخ دهد" in response.content.decode()


def test_with_the_database_down_a_persian_reader_gets_the_persian_500_page():
    def down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(down):
        response = Client(raise_request_exception=False).get("/fa/victims/")
    assert response.status_code == 500
    assert "آرشیو نتوانست پاسخ دهد" in response.content.decode()


# --- The API --------------------------------------------------------------------------


def assert_api_error(response, status, key):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"errors"}
    assert key in body["errors"]
    assert all(
        isinstance(messages, list) and all(isinstance(m, str) and m for m in messages)
        for messages in body["errors"].values()
    )


def test_api_errors_are_json_in_one_shape(client, monkeypatch):
    assert_api_error(client.get("/api/victims/?event=nothing"), 400, "event")
    assert_api_error(client.get("/api/victims/NO-SUCH-REF/"), 404, "path")
    assert_api_error(client.get("/api/no-such-endpoint/"), 404, "path")
    assert_api_error(client.get("/api/victims/", HTTP_HOST="not-our-name.example"), 400, "request")
    for method in ("post", "put", "delete", "options"):
        # As a browser or a program sends it: the CSRF check is on.
        response = getattr(Client(enforce_csrf_checks=True), method)("/api/victims/")
        assert_api_error(response, 405, "method")
        assert response["Allow"] == "GET, HEAD"
    from archive.api import views as api

    monkeypatch.setattr(api, "_datasets", _raise(RuntimeError("boom")))
    crashed = Client(raise_request_exception=False).get("/api/victims/")
    assert_api_error(crashed, 500, "server")
    assert "boom" not in crashed.content.decode()


def test_a_429_under_the_api_is_json_and_keeps_its_retry_after(rf):
    from archive.middleware import ApiMiddleware

    def too_many(request):
        response = HttpResponse("<h1>Too many</h1>", status=429)
        response["Retry-After"] = "120"
        return response

    response = ApiMiddleware(too_many)(rf.get("/api/victims/"))
    assert_api_error(response, 429, "request")
    assert response["Retry-After"] == "120"


# --- HEAD wherever GET ----------------------------------------------------------------

GET_PATHS = [
    "/", "/fa/", "/victims/", "/fa/victims/", "/victims/V-0001/", "/perpetrators/",
    "/perpetrators/P-0001/", "/sources/", "/events/", "/stats/", "/about/", "/data/",
    "/data/victims.csv", "/data/perpetrators.json", "/sitemap.xml", "/submit/",
    "/submit/receipt/", "/api/", "/api/victims/", "/api/victims/V-0001/",
    "/api/perpetrators/", "/api/perpetrators/P-0001/", "/api/sources/",
    "/perpetrators/P-0001/dossier.json", "/no-such-page/", "/api/victims/NO-SUCH/",
]  # fmt: skip


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("path", GET_PATHS)
def test_head_answers_wherever_get_does(client, seed, path):
    head = client.head(path)  # first: not answered from a GET kept in the page cache
    got = client.get(path)
    assert got.status_code == (404 if "no-such" in path.lower() else 200), got.status_code
    assert body(got)  # read whole: a download's cursor closes
    assert head.status_code == got.status_code
    assert body(head) == b""
    assert head.get("Content-Type") == got.get("Content-Type")


# --- Conditional GET, caching and CORS of the API --------------------------------------


@pytest.mark.parametrize("page_cache_seconds", [0, 600])
@pytest.mark.parametrize("path", ["/api/", "/api/victims/", "/api/victims/V-0001/",
                                  "/api/sources/?page_size=2"])  # fmt: skip
def test_a_client_holding_the_current_answer_gets_a_304(client, seed, settings, path,
                                                         page_cache_seconds):  # fmt: skip
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    first = client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]
    for _ in range(2):  # a miss of the page cache, then a hit
        again = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again.content == b""
        assert again["Access-Control-Allow-Origin"] == "*"


def test_a_change_to_the_data_gives_a_new_answer_and_a_new_etag(client, seed):
    from victims.models import Victim

    first = client.get("/api/victims/")
    victim = Victim.objects.get(ref="V-0001")
    victim.name_latin += " (corrected)"
    victim.save()
    again = client.get("/api/victims/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "(corrected)" in again.content.decode()


def test_the_read_only_api_may_be_read_from_any_site_without_credentials(client, seed):
    for path in ("/api/", "/api/victims/", "/api/victims/V-0001/", "/api/no-such/"):
        response = client.get(path, HTTP_ORIGIN="https://researcher.example")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert not response.cookies


def test_a_form_post_still_works_beside_the_error_handlers(client):
    # The 400/403 handlers do not swallow the submission form's own answers.
    response = client.post("/submit/", answers())
    assert response.status_code == 303
    assert client.get(response["Location"]).status_code == 200
