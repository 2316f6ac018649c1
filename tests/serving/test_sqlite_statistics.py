"""On SQLite a connection leaves statistics for the query planner as it closes
(``archive.sqlite``): a page of rows read by their ids is then looked up by id, not read
through an index of their status past every published row."""

import sqlite3

from archive.sqlite.base import DatabaseWrapper

PAGE = "SELECT * FROM people WHERE status = ? AND id IN ({})"


def _wrapper(path) -> DatabaseWrapper:
    return DatabaseWrapper(
        {
            "NAME": str(path), "OPTIONS": {}, "TIME_ZONE": None, "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False,
            "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "TEST": {},
        },
        alias="statistics",
    )  # fmt: skip


def _people(path, count: int) -> None:
    """A synthetic table of ``count`` published people, its status indexed."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, status TEXT, name TEXT)")
        db.execute("CREATE INDEX people_status ON people (status)")
        db.executemany(
            "INSERT INTO people (status, name) VALUES (?, ?)",
            [("published", f"Synthetic {n}") for n in range(count)],
        )


def _page_plan(path) -> str:
    ids = list(range(1, 2001, 40))
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "EXPLAIN QUERY PLAN " + PAGE.format(", ".join("?" * len(ids))), ["published", *ids]
        ).fetchall()
    return " ".join(str(cell) for row in rows for cell in row)


def test_a_closing_connection_leaves_statistics_and_a_page_is_then_read_by_its_ids(
    tmp_path, django_db_blocker
):
    path = tmp_path / "statistics.sqlite3"
    _people(path, 5000)
    assert "people_status" in _page_plan(path)  # no statistics: past every published row

    connection = _wrapper(path)  # its own file, not the tests' database
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(PAGE.format("%s, %s"), ["published", 1, 2])
    connection.close()

    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0
    assert "INTEGER PRIMARY KEY" in _page_plan(path)


def test_a_connection_that_cannot_analyze_while_another_process_writes_still_closes(
    tmp_path, django_db_blocker
):
    path = tmp_path / "busy.sqlite3"
    _people(path, 500)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        connection = _wrapper(path)
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(PAGE.format("%s"), ["published", 1])
        connection.close()  # the analysis gives way, with no error; the connection closes
        assert connection.connection is None
    finally:
        writer.execute("ROLLBACK")
        writer.close()
