"""The OpenAPI description at /api/schema/ is true: every answer of every endpoint,
errors included, is checked against it by openapi-core (the answer as the client gets
it: status, headers, body)."""

import json

import pytest
from django.http import HttpResponse
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate

from archive.api.views import as_api_error
from tests.factories import CitationFactory, SourceFactory, VictimFactory


@pytest.fixture
def spec(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    description = response.json()
    validate(description)  # a valid OpenAPI 3.1 document
    return OpenAPI.from_dict(description)


def checked(spec, response):
    """The response, after openapi-core found it to be as described (raises if not)."""
    spec.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )
    return response


@pytest.fixture
def private_citation(seed):
    private = SourceFactory(is_private=True, received_date="2024-03-05", title="ZZPRIVATE")
    victim = VictimFactory(ref="TEST-API-V1", birth_year=1960)
    CitationFactory(content_object=victim, source=private, claim="fate")
    CitationFactory(content_object=victim, claim="death_date", value="1988-09")
    return victim


ANSWERS = [
    # (path, status): every endpoint, with and without its parameters, and its errors
    ("/api/", 200),
    ("/api/schema/", 200),
    ("/api/victims/", 200),
    ("/api/victims/?page_size=1", 200),
    ("/api/victims/?q=Mostafa+Salehi", 200),
    ("/api/victims/?q=%D9%85%D8%B5%D8%B7%D9%81%DB%8C", 200),
    ("/api/victims/?fate=executed&gender=male&year=2020", 200),
    ("/api/victims/?fate=", 200),
    ("/api/victims/?event=nothing", 400),
    ("/api/victims/?fate=nothing", 400),
    ("/api/victims/?cursor=garbage", 400),
    ("/api/victims/?q=" + "x" * 5000, 200),  # a q too long is cut, never an error
    ("/api/victims/?q=%00%01", 200),
    ("/api/victims/V-0001/", 200),
    ("/api/victims/TEST-API-V1/", 200),
    ("/api/victims/NOBODY-HERE/", 404),
    ("/api/victims/%20bad%20/", 404),
    ("/api/perpetrators/", 200),
    ("/api/perpetrators/?q=Ebrahim+Raisi", 200),
    ("/api/perpetrators/?role=religious_judge", 200),
    ("/api/perpetrators/?commission=nothing", 400),
    ("/api/perpetrators/P-0001/", 200),
    ("/api/perpetrators/P-9999/", 404),
    ("/api/sources/", 200),
    ("/api/sources/?kind=ngo_report&year=2017", 200),
    ("/api/sources/?year=abc", 400),
    ("/api/sources/2/", 200),
    ("/api/sources/99999/", 404),
    ("/api/places/", 200),
    ("/api/places/?kind=prison", 200),
    ("/api/places/?kind=volcano", 400),
]


@pytest.mark.parametrize(("path", "status"), ANSWERS)
def test_every_answer_is_as_the_description_says(client, spec, private_citation, path, status):
    response = checked(spec, client.get(path))
    assert response.status_code == status, response.content[:300]


def test_the_next_page_and_a_conditional_get_are_as_described(client, spec, seed):
    for i in range(3):
        VictimFactory(name_latin=f"Testname Paged {i}")
    first = checked(spec, client.get("/api/victims/?page_size=2"))
    following = checked(spec, client.get(first.json()["next"]))
    assert following.status_code == 200 and following.json()["previous"]
    again = checked(spec, client.get("/api/victims/", HTTP_IF_NONE_MATCH=first["ETag"]))
    assert again.status_code == 304 and not again.content


def test_a_write_is_a_405_as_described(client, spec, db, rf):
    # OpenAPI describes the methods an address answers; the 405 that any other gets is
    # described with them (components/responses/MethodNotAllowed).
    response = client.post("/api/victims/")
    assert response.status_code == 405 and response["Allow"]
    response.wsgi_request = rf.get("/api/victims/")
    checked(spec, response)


def test_a_429_is_an_error_as_described_with_its_wait(client, spec, db, rf):
    # No limit of the API's own answers 429 today; a proxy or a future limit does, and
    # the middleware makes it the API's error (archive.middleware.ApiMiddleware).
    limited = HttpResponse("slow down", status=429)
    limited["Retry-After"] = "60"
    response = as_api_error(limited)
    response.wsgi_request = rf.get("/api/victims/")
    checked(spec, response)
    assert json.loads(response.content)["errors"] and response["Retry-After"] == "60"


def test_a_field_the_description_does_not_know_is_caught(client, spec, seed, monkeypatch):
    """The description is strict: a serialiser that grows a field fails here until the
    field is described."""
    from archive.api import views

    original = views.source_row
    monkeypatch.setattr(views, "source_row", lambda *a: {**original(*a), "undescribed": 1})
    with pytest.raises(Exception, match=r"undescribed|Additional properties"):
        checked(spec, client.get("/api/sources/2/"))


def test_the_persian_documentation_page_gives_its_numbers_in_persian_digits(client, db):
    """The page's prose in Persian digits throughout ("۱ تا ۱۰۰", not "۱ تا 100"), and
    each answer's meaning in Persian (not HTTP's "OK")."""
    page = client.get("/fa/data/api/").content.decode()
    assert "۱ تا ۱۰۰" in page and "۱ تا 100" not in page
    assert ">OK<" not in page
