"""PostgreSQL settings for a block of statements (``archive.core.pg_settings``)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from archive.core.pg_settings import settings_for


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's settings")


def test_a_setting_holds_within_the_block_and_is_put_back_after_it(postgres):
    before = setting("jit"), setting("work_mem")
    with settings_for(connection, jit="off", work_mem="7MB"):
        assert (setting("jit"), setting("work_mem")) == ("off", "7MB")
    assert (setting("jit"), setting("work_mem")) == before


def test_a_setting_is_put_back_when_the_block_fails_and_the_callers_transaction_goes_on(
    postgres,
):
    from victims.models import Victim

    before = setting("work_mem")
    with transaction.atomic():
        count = Victim.objects.count()
        with pytest.raises(ZeroDivisionError), settings_for(connection, work_mem="7MB"):
            assert setting("work_mem") == "7MB"
            1 / 0  # noqa: B018
        assert setting("work_mem") == before
        assert Victim.objects.count() == count  # the transaction is not aborted


def test_nothing_is_sent_to_sqlite(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite")
    with CaptureQueriesContext(connection) as sent, settings_for(connection, jit="off"):
        pass
    assert len(sent) == 0
