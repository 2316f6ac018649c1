from django.db import migrations

from archive.core.linkage_facts import LinkageFacts


class Migration(migrations.Migration):
    """The victims' clustered facts beside the linkage store, and how many hold each value
    within their event, kept by triggers (PostgreSQL; nothing on SQLite): an import's
    check reads the counts instead of grouping every victim (``archive.core.linkage_facts``).
    The columns are ``CLUSTERED_FIELDS``'s as they are now; a test holds the two alike."""

    dependencies = [("victims", "0031_linkage_change_log")]

    operations = [
        LinkageFacts(
            "victims_victim",
            "event_id",
            [
                ["prison_id"],
                ["fate"],
                ["birth_year"],
                ["death_date", "death_date_precision"],
                ["birth_place_id"],
                ["occupation"],
                ["ethnicity"],
                ["religion"],
                ["civil_status"],
                ["arrest_date", "arrest_date_precision"],
            ],
        )
    ]
