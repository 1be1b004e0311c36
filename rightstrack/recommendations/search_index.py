"""Keep the search index and the data version in step during a big write (an import), in bulk.

On SQLite the full-text index (an FTS5 external-content table) and the data version that facet
caching keys on are kept by row triggers (`search._SQLITE_TRIGGERS`, `_sqlite_version_triggers`):
every inserted recommendation tokenises its text into the index on its own, and every row
written to a versioned table rewrites the version row. At the size of the UHRI export those
triggers cost more than the inserts themselves. `bulk_writes` takes them off for the length of
one transaction and does their work once per chunk instead: the chunk's new and changed texts
go into the index with one INSERT ... SELECT, and the version changes once when the import
ends. The trigger changes are part of the transaction, so a failed or killed import (rolled
back, by SQLite itself at the next open) leaves the triggers as they were; nothing else can
write meanwhile, since SQLite has one writer and the import holds the write lock.

The delete trigger stays: an import deletes only the rare recommendations it absorbs into
another.

On PostgreSQL there is nothing to do: the tsvector is a stored generated column computed by
the database in the INSERT itself, and the data version is kept by statement triggers (one
per statement, not per row).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from rightstrack.recommendations.search import (
    FTS_TABLE,
    VERSION_TABLE,
    VERSIONED_TABLES,
    _sqlite_version_triggers,
)

REC_TABLE = "recommendations_recommendation"
#: The full-text triggers bulk_writes replaces by per-chunk statements (not the delete one).
_BULK_FTS_TRIGGERS = ("recommendation_fts_insert", "recommendation_fts_update")
#: SQLite page cache for a big import, in KiB (the default is 2 MiB): the recommendations
#: table has some twenty indexes, and with the default cache each insert rereads their pages.
IMPORT_CACHE_KIB = 256 * 1024


class BulkIndex:
    """What a bulk writer calls around its writes to recommendations (no-op unless SQLite)."""

    def __init__(self, conn: Any, active: bool) -> None:
        self.conn = conn
        self.active = active

    def before_update(self, ids: Sequence[int]) -> None:
        """Take the texts of recommendations *ids* out of the index (they are to be rewritten)."""
        if self.active and ids:
            self._each(
                ids,
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) "
                f"SELECT 'delete', id, text FROM {REC_TABLE} WHERE id IN ({{marks}})",
            )

    def added(self, ids: Sequence[int]) -> None:
        """Put the texts of recommendations *ids* (inserted or rewritten) into the index."""
        if self.active and ids:
            self._each(
                ids,
                f"INSERT INTO {FTS_TABLE}(rowid, text) "
                f"SELECT id, text FROM {REC_TABLE} WHERE id IN ({{marks}})",
            )

    def _each(self, ids: Sequence[int], sql: str) -> None:
        with self.conn.cursor() as cursor:
            for start in range(0, len(ids), 500):
                part = list(ids[start : start + 500])
                cursor.execute(sql.format(marks=", ".join(["%s"] * len(part))), part)


def _present(cursor: Any, names: Sequence[str]) -> set[str]:
    marks = ", ".join(["%s"] * len(names))
    cursor.execute(
        f"SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN ({marks})",
        list(names),
    )
    return {row[0] for row in cursor.fetchall()}


@contextmanager
def bulk_writes(conn: Any = None, *, fulltext: bool = True) -> Iterator[BulkIndex]:
    """Inside a transaction: replace SQLite's per-row index and version triggers by bulk work.

    Yields a BulkIndex whose before_update/added the writer calls for every recommendation it
    inserts or rewrites. On leaving (without an error) the triggers come back as they were and
    the data version changes once. On an error the caller's transaction rollback undoes the
    trigger changes with everything else. *fulltext*=False: the full-text triggers stay (for
    writers that never write a recommendation's text, such as the analysis).
    """
    conn = conn or connection
    if conn.vendor != "sqlite" or not conn.in_atomic_block:
        yield BulkIndex(conn, active=False)
        return
    version_triggers = _sqlite_version_triggers(VERSIONED_TABLES)
    with conn.cursor() as cursor:
        present = _present(cursor, [FTS_TABLE, VERSION_TABLE, *_BULK_FTS_TRIGGERS])
        fts = (
            fulltext
            and FTS_TABLE in present
            and all(name in present for name in _BULK_FTS_TRIGGERS)
        )
        present_version = _present(cursor, list(version_triggers))
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
            f"({', '.join(['%s'] * (len(_BULK_FTS_TRIGGERS) + len(present_version)))})",
            [*_BULK_FTS_TRIGGERS, *present_version],
        )
        # Recreated from their own stored text, so that they come back exactly as they were.
        saved = dict(cursor.fetchall())
        if not fts:
            saved = {k: v for k, v in saved.items() if k not in _BULK_FTS_TRIGGERS}
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        for name in saved:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield BulkIndex(conn, active=fts)
        with conn.cursor() as cursor:
            for sql in saved.values():
                cursor.execute(sql)
            if VERSION_TABLE in present:
                cursor.execute(
                    f"UPDATE {VERSION_TABLE} SET token = hex(randomblob(8)) WHERE id = 1"
                )
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
