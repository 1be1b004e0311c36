"""Covering indexes for facet counts, and the data version that keys cached facet counts.

The SQL lives in recommendations.search (create_search_speed / drop_search_speed), next to
the queries the indexes serve and to data_version(), which reads what the triggers write.
"""

from __future__ import annotations

from django.db import migrations


def forward(apps, schema_editor):
    from rightstrack.recommendations.search import create_search_speed

    create_search_speed(schema_editor.connection)


def backward(apps, schema_editor):
    from rightstrack.recommendations.search import drop_search_speed

    drop_search_speed(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0002_fulltext")]

    operations = [migrations.RunPython(forward, backward)]
