"""Full-text search: an FTS5 table with triggers on SQLite, a GIN index on PostgreSQL.

The SQL lives in recommendations.search (create_fulltext / drop_fulltext) so that the
post_migrate check in front.apps can restore the SQLite triggers after a later migration
rebuilds the recommendations table (SQLite's ALTER TABLE emulation drops triggers).
"""

from __future__ import annotations

from django.db import migrations


def forward(apps, schema_editor):
    from rightstrack.recommendations.search import create_fulltext

    create_fulltext(schema_editor.connection)


def backward(apps, schema_editor):
    from rightstrack.recommendations.search import drop_fulltext

    drop_fulltext(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
