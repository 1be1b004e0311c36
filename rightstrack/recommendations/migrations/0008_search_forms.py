"""Search that ignores accents on PostgreSQL too.

The stored tsvector column of 0003_search_speed is rebuilt with the `rightstrack_fold` text
search configuration (simple + unaccent), as SQLite's FTS5 index already folds accents.
SQLite needs nothing: word forms are the query's work (lib.wordforms).
"""

from __future__ import annotations

from django.db import migrations


def forward(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    from rightstrack.recommendations.search import (
        PG_TSV_COLUMN,
        PG_TSV_INDEX,
        create_search_speed,
    )

    with conn.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {PG_TSV_INDEX}")
        cursor.execute(
            f"ALTER TABLE recommendations_recommendation DROP COLUMN IF EXISTS {PG_TSV_COLUMN}"
        )
    create_search_speed(conn)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0007_sources_provenance")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
