"""An Event may have no State: a change to an international institution or its people.

SQLite alters a column by building the table anew, which drops its triggers; the append-only
trigger of migration 0002 is therefore created again afterwards (on PostgreSQL it is kept, and
creating it again changes nothing).
"""

from __future__ import annotations

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

append_only = import_module("rightstrack.tracking.migrations.0002_history_append_only")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0008_search_forms"),
        ("tracking", "0002_history_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="country",
            field=models.ForeignKey(
                blank=True,
                help_text="The State concerned (for permissions); empty only for a change to an "
                "international institution or its people.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="recommendations.country",
            ),
        ),
        migrations.RunPython(append_only.forward, migrations.RunPython.noop),
    ]
