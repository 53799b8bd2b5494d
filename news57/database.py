"""Upkeep of the database itself."""

from django.db import connection

# Rows read per index: enough for the planner, and milliseconds on any size of file.
ANALYSIS_LIMIT = 1000


def refresh_statistics():
    """Give SQLite's query planner fresh table statistics (PostgreSQL's autovacuum keeps its own).

    Without them it plans a search by walking the search index's entries and matching the
    full-text table once for each: over a second at 10,000 articles, 12 ms with them.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
