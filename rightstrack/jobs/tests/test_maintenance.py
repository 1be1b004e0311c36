from __future__ import annotations

from django.db import connection
from django.test import TestCase, TransactionTestCase

from rightstrack.jobs.maintenance import compact_search_version
from rightstrack.recommendations.search import CHANGE_TABLE, data_version
from rightstrack.test import make_recommendation


def _log_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {CHANGE_TABLE}")
        return cursor.fetchone()[0]


class CompactSearchVersionTestCase(TransactionTestCase):
    """On PostgreSQL the facet-cache version log gets a row per writing transaction; the
    hourly job keeps one, and the version still changes at every later write."""

    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("the version log is PostgreSQL's (SQLite keeps one row)")

    def test_it_keeps_one_row_and_the_version_keeps_moving(self) -> None:
        for _ in range(5):
            make_recommendation()  # each in a transaction of its own (autocommit)
        grown = _log_rows()
        before = data_version()

        deleted = compact_search_version()
        compacted = data_version()
        make_recommendation()
        after = data_version()

        self.assertGreaterEqual(grown, 5)
        self.assertEqual(deleted, grown - 1)
        self.assertEqual(_log_rows(), 2)
        self.assertNotEqual(compacted, before)
        self.assertNotIn(after, (before, compacted))


class CompactOnSqliteTestCase(TestCase):
    def test_it_does_nothing_on_sqlite(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only")
        make_recommendation()

        self.assertEqual(compact_search_version(), 0)
