"""No request gives a server error, whatever its query string, method or path."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PerpetratorFactory, VictimFactory

pytestmark = pytest.mark.django_db

LISTS = ["/victims/", "/perpetrators/", "/sources/", "/api/victims/", "/api/perpetrators/",
         "/api/sources/", "/fa/victims/", "/events/", "/stats/"]  # fmt: skip
PARAMS = ["q", "page", "page_size", "cursor", "prison", "event", "fate", "gender", "year",
          "death_year", "province", "city", "affiliation", "commission", "role", "position",
          "format", "ordering"]  # fmt: skip

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
        ]
    ),
)
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@pytest.fixture
def some_records(db):
    VictimFactory.create_batch(3)
    VictimFactory(publication_status="draft")
    PerpetratorFactory.create_batch(2)


@FAST
@given(path=st.sampled_from(LISTS), params=st.dictionaries(st.sampled_from(PARAMS), ODD_TEXT,
                                                           max_size=4))  # fmt: skip
def test_lists_never_fail_whatever_the_query_string(client, some_records, path, params):
    query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in params.items())
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500, (path, params)


@FAST
@given(raw=st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_raw_query_strings_never_fail(client, raw):
    # A WSGI server hands the query string over as bytes decoded as latin-1 (PEP 3333).
    response = client.get("/victims/", QUERY_STRING=raw)
    assert response.status_code < 500


@FAST
@given(segment=st.text(max_size=80))
def test_unknown_paths_answer_404_not_500(client, segment):
    for prefix in ("/victims/", "/perpetrators/", "/sources/", "/events/", "/fa/victims/"):
        response = client.get(prefix + quote(segment, safe="") + "/")
        assert response.status_code < 500


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/", "/victims/", "/api/victims/", "/perpetrators/"])
def test_other_methods_are_refused_cleanly(client, some_records, method, path):
    response = getattr(client, method)(path)
    assert response.status_code < 500
