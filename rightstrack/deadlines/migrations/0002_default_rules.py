"""Load today's follow-up rules (rightstrack/deadlines/defaults.py), each with its source."""

from django.db import migrations


def load(apps, schema_editor):
    from rightstrack.deadlines import defaults

    FollowUpRule = apps.get_model("deadlines", "FollowUpRule")
    UprRule = apps.get_model("deadlines", "UprRule")
    for data in defaults.FOLLOW_UP_RULES:
        fields = {k: v for k, v in data.items() if k not in ("body_code", "valid_from")}
        FollowUpRule.objects.get_or_create(
            body_code=data["body_code"], valid_from=data["valid_from"], defaults=fields
        )
    for data in defaults.UPR_RULES:
        fields = {k: v for k, v in data.items() if k != "valid_from"}
        UprRule.objects.get_or_create(valid_from=data["valid_from"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
