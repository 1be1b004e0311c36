"""The action category and protection facets read the analysis table: count it in the data
version (cached facet counts must change when it does) and give it a covering index.

create_search_speed is idempotent: on a database migrated to 0003 it only adds the analysis
table's triggers (VERSIONED_TABLES now names it) and the `analysis_facets` index.
"""

from __future__ import annotations

from django.db import migrations


def forward(apps, schema_editor):
    from rightstrack.recommendations.search import create_search_speed

    create_search_speed(schema_editor.connection)


def backward(apps, schema_editor):
    from rightstrack.recommendations.search import drop_version_triggers

    drop_version_triggers(schema_editor.connection, "recommendations_analysis")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS analysis_facets")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_search_speed")]

    operations = [migrations.RunPython(forward, backward)]
