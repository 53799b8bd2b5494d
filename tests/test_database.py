"""SQLite's planner gets table statistics: after migrating and every hour (beat)."""

import pytest
from django.db import connection

from cms.celery import app
from news57.database import refresh_statistics
from news57.tasks import refresh_database_statistics

pytestmark = pytest.mark.django_db


def analyzed_tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's autovacuum keeps its own statistics")
def test_refreshing_gives_the_search_index_its_statistics(platform):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
    assert "wagtailsearch_indexentry" not in analyzed_tables()
    refresh_statistics()
    # Without them, SQLite reads a search by matching the full-text table once per index entry.
    assert {"wagtailsearch_indexentry", "wagtailcore_page", "wagtailcore_site"} <= analyzed_tables()


def test_beat_refreshes_them_every_hour():
    app.finalize()
    entry = app.conf.beat_schedule["database: planner statistics"]
    assert entry["task"] == refresh_database_statistics.name and entry["schedule"] == 3600.0
