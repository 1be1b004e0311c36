"""Load today's follow-up rules (rightstrack/deadlines/defaults.py), each with its source."""

from django.db import migrations


def load(apps, schema_editor):
    from rightstrack.deadlines import defaults

    defaults.load_rules(
        apps.get_model("deadlines", "FollowUpRule"),
        apps.get_model("deadlines", "UprRule"),
        schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
