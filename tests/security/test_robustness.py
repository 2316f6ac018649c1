"""No request gives a server error, whatever its query string, method or path."""

import base64
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.core.models import NAME_ORDER
from tests.factories import PerpetratorFactory, SourceFactory, VictimFactory

pytestmark = pytest.mark.django_db

LISTS = ["/victims/", "/perpetrators/", "/sources/", "/api/victims/", "/api/perpetrators/",
         "/api/sources/", "/fa/victims/", "/fa/perpetrators/", "/fa/sources/", "/events/",
         "/stats/", "/api/"]  # fmt: skip
PARAMS = ["q", "page", "page_size", "cursor", "prison", "event", "fate", "gender", "year",
          "death_year", "province", "city", "affiliation", "commission", "role", "position",
          "format", "ordering", "source", "place", "kind", "language", "organisation"]  # fmt: skip
# The paged lists and the tag their cursors carry (archive.public.views, archive.api.views).
EN, FA = "-".join(NAME_ORDER["en"]), "-".join(NAME_ORDER["fa"])
CURSOR_TAGS = {
    "/victims/": f"victim-{EN}", "/fa/victims/": f"victim-{FA}",
    "/perpetrators/": f"perpetrator-{EN}", "/fa/perpetrators/": f"perpetrator-{FA}",
    "/sources/": "source-title-id", "/fa/sources/": "source-title-id",
    "/api/victims/": "api-victims", "/api/perpetrators/": "api-perpetrators",
    "/api/sources/": "api-sources",
}  # fmt: skip

ODD_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "\x00",
            "%00",
            "-1",
            "0",
            "99999999999999999999",
            "1e9",
            "NaN",
            "' OR 1=1 --",
            "<script>",
            "محمد\u200cرضا",
            "علي",
            "\ufeff",
            "\ud7ff",
            "a" * 5000,
            "[]",
            "../../etc/passwd",
            "%",
            "%%",
            "\\",
            "M.",
            ".",
            "99999999999999999999999",
            "-99999999999999999999999",
            "1e400",
            "1.5",
            "0x10",
            "١٢٣",
            "۱۳۶۷",
        ]
    ),
)
# What a forged cursor can hold once decoded: any JSON value, of any type or size.
JSON_VALUE = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.text(max_size=20),
    st.dates().map(str),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["\ud800", "\x00", "", "9" * 30, "1988-08-01", "1988-02-30", "-1"]),
)


def forged_cursor(tag, direction, values) -> str:
    raw = json.dumps([tag, direction, values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@pytest.fixture
def some_records(db):
    VictimFactory.create_batch(3)
    VictimFactory(publication_status="draft")
    PerpetratorFactory.create_batch(2)
    SourceFactory.create_batch(2)


def assert_answered_or_refused_clearly(response, path):
    """The list, or a 400 that says what is wrong: never a server error, and never a
    redirect or a missing page for a list that is there."""
    assert response.status_code in (200, 400), (path, response.status_code)
    if response.status_code == 400 and path.startswith("/api/"):
        assert response.json()["errors"], path


@FAST
@given(path=st.sampled_from(LISTS), params=st.dictionaries(st.sampled_from(PARAMS), ODD_TEXT,
                                                           max_size=4))  # fmt: skip
def test_lists_never_fail_whatever_the_query_string(client, some_records, path, params):
    query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in params.items())
    response = client.get(f"{path}?{query}")
    assert_answered_or_refused_clearly(response, path)


@FAST
@given(
    path=st.sampled_from(LISTS),
    raw=st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)
def test_raw_query_strings_never_fail(client, path, raw):
    # A WSGI server hands the query string over as bytes decoded as latin-1 (PEP 3333).
    response = client.get(path, QUERY_STRING=raw)
    assert_answered_or_refused_clearly(response, path)


def _path_and_values(path):
    # As many values as the list's ordering has columns, so that they reach the query.
    size = 2 if "sources" in path else len(NAME_ORDER["en"])
    return st.tuples(st.just(path), st.lists(JSON_VALUE, min_size=size, max_size=size))


@FAST
@given(
    path_values=st.sampled_from(sorted(CURSOR_TAGS)).flatmap(_path_and_values),
    direction=st.sampled_from(["n", "p"]),
)
def test_forged_cursors_never_fail(client, some_records, path_values, direction):
    """A cursor is base64 anyone can write: the right tag and length, values of any
    type, is a 400 from the API and the first page on a list, never a server error."""
    path, values = path_values
    cursor = forged_cursor(CURSOR_TAGS[path], direction, values)
    response = client.get(path, {"cursor": cursor})
    if path.startswith("/api/"):
        assert response.status_code in (200, 400), (path, values)
        if response.status_code == 400:
            assert "cursor" in response.json()["errors"]
    else:
        assert response.status_code == 200, (path, values)
        assert "<main" in response.content.decode()  # a page of the list


BIG = "99999999999999999999999"


@pytest.mark.parametrize(
    "query",
    [f"source={BIG}", "source=1e400", f"source=-{BIG}", f"prison={BIG}", f"page={BIG}",
     "year=1e400"],
)  # fmt: skip
@pytest.mark.parametrize("path", ["/victims/", "/fa/victims/", "/api/victims/"])
def test_numbers_out_of_range_never_fail(client, some_records, path, query):
    """The API refuses a filter it cannot read with a 400 naming it; a page past the end
    is an empty page; the public lists show their page."""
    response = client.get(f"{path}?{query}")
    name = query.split("=")[0]
    if path.startswith("/api/") and name != "page":
        assert response.status_code == 400
        assert name in response.json()["errors"]
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("suffix", ["dossier/", "dossier.json", "dossier.pdf", "dossier.sha256"])
@pytest.mark.parametrize("prefix", ["/perpetrators/", "/fa/perpetrators/"])
def test_a_dossier_of_a_reference_with_a_nul_is_not_found(client, some_records, prefix, suffix):
    assert client.get(f"{prefix}%00/{suffix}").status_code == 404


@FAST
@given(segment=st.text(max_size=80))
def test_unknown_paths_answer_404_not_500(client, segment):
    for prefix in ("/victims/", "/perpetrators/", "/sources/", "/events/", "/fa/victims/"):
        path = prefix + quote(segment, safe="") + "/"
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/", "/victims/", "/api/victims/", "/perpetrators/"])
def test_other_methods_are_refused_cleanly(client, some_records, method, path):
    """Refused with 405 and the methods that are allowed; OPTIONS, which asks for those
    methods, is told them (the API refuses it too: it answers GET and HEAD only)."""
    response = getattr(client, method)(path)
    if method == "options" and not path.startswith("/api/"):
        assert response.status_code == 200
    else:
        assert response.status_code == 405
    allowed = {m.strip() for m in response["Allow"].split(",")}
    assert {"GET", "HEAD"} <= allowed
    assert not allowed & {"POST", "PUT", "PATCH", "DELETE"}
