"""PostgreSQL: indexes that hold the id after the year (search.PG_ORDER_INDEXES), so that a
newest-first page of results reads 25 rows instead of a whole year's. SQLite needs nothing
(its indexes end with the rowid).
"""

from __future__ import annotations

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from rightstrack.recommendations.search import create_search_speed

    create_search_speed(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from rightstrack.recommendations.search import PG_ORDER_INDEXES

    with schema_editor.connection.cursor() as cursor:
        for name in PG_ORDER_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0008_search_forms")]

    operations = [migrations.RunPython(forward, backward)]
