"""Django's SQLite backend, which gives SQLite's query planner statistics.

Without them (``sqlite_stat1``, written by ``ANALYZE``) SQLite takes an equality on an
indexed column to be selective. A search's page, read as ``publication_status = ? AND
id IN (<its 50 ids>)``, went through an index of the status and past every published
victim (12 ms a page at 100,000) instead of looking up its 50 rows; searches under
gunicorn cost 29 ms of CPU, 18 with statistics (docs/benchmarks.md). SQLite's own advice
for applications is ``PRAGMA optimize`` as a connection closes: it analyzes the tables
that connection's statements would have planned better with statistics, and nothing
otherwise. ``analysis_limit`` keeps each analysis to a sample (milliseconds at a
million rows), enough for the planner's choices.
"""

from contextlib import suppress

from django.db.backends.sqlite3 import base

# The most rows ANALYZE reads from each index (SQLite's suggested value).
ANALYSIS_LIMIT = 400
# How long the analysis may wait for another process's write (ms): a worker closing its
# connection never waits for an import to finish (the next close analyzes).
BUSY_MS = 100


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self):
        if self.connection is not None and not self.in_atomic_block:
            with suppress(base.Database.Error):
                self.connection.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
                self.connection.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
                self.connection.execute("PRAGMA optimize")
        super()._close()
