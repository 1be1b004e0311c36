from django.db import migrations


def load(apps, schema_editor):
    from rightstrack.plans.funds import load_funds

    load_funds(apps.get_model("plans", "Fund"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
