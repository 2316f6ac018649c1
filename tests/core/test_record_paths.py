"""A record's page's path, made from its URL reversed once (``archive.core.paths``), is
the path ``reverse`` gives, in either language, whatever the record's key."""

import pytest
from django.urls import reverse
from django.utils import translation

from archive.core.paths import record_path

PAGES = [
    ("victims:victim-detail", "ref", "V-0001"),
    ("victims:victim-detail", "ref", "HRANA:12@list (2019)"),
    ("victims:victim-detail", "ref", "Ref with ümlaut & ampersand"),
    ("victims:victim-detail", "ref", "~tilde;semi=colon+plus"),
    ("victims:victim-detail", "ref", "SYN-0012345_a.b~c"),  # kept as it is, unquoted
    ("victims:victim-detail", "ref", "١٢-V"),  # Persian digits: quoted
    ("perpetrators:perpetrator-detail", "ref", "P-0002"),
    ("sources:source-detail", "pk", 12),
    ("archive:event-detail", "slug", "1988-massacre"),
]


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize(("name", "key", "value"), PAGES)
def test_a_records_path_is_the_one_reverse_gives(name, key, value, language):
    with translation.override(language):
        expected = reverse(name, kwargs={key: value})

    assert record_path(name, key, value, language) == expected
    with translation.override(language):
        assert record_path(name, key, value) == expected  # the active language
