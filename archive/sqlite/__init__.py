"""Django's SQLite backend, with statistics for SQLite's query planner (``base``)."""
