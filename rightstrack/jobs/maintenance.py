"""Housekeeping the worker's scheduler runs."""

from __future__ import annotations

from django.db import connection

from rightstrack.recommendations.search import CHANGE_TABLE


def compact_search_version(conn=None) -> int:  # type: ignore[no-untyped-def]
    """Delete all but the newest row of the PostgreSQL facet-cache version log; return how many.

    search.data_version() on PostgreSQL is (count, sum of txids) of a log that gets one row per
    writing transaction. Keeping only the newest row changes the version once (cached facet
    counts are counted again once) and never gives back an earlier version: every later state
    holds the newest txid plus only larger ones. SQLite keeps one row already: nothing to do.
    """
    conn = conn or connection
    if conn.vendor != "postgresql":
        return 0
    with conn.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [CHANGE_TABLE])
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(
            f"DELETE FROM {CHANGE_TABLE} WHERE txid < (SELECT max(txid) FROM {CHANGE_TABLE})"
        )
        return cursor.rowcount
