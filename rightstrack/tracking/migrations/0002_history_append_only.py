"""History is append-only: the database refuses to change an Event row.

Deleting is refused by the code (Event.delete, and PROTECT on what events refer to) rather
than by a trigger, so that a test database can still be emptied between tests and a backup
restored into a fresh database. See docs/decisions/0003-one-history-table.md.
"""

from __future__ import annotations

from django.db import migrations

SQLITE = """
CREATE TRIGGER IF NOT EXISTS tracking_event_append_only
BEFORE UPDATE ON tracking_event
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: an Event is never changed');
END;
"""
POSTGRES = """
CREATE OR REPLACE FUNCTION tracking_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: an Event is never changed';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS tracking_event_append_only ON tracking_event;
CREATE TRIGGER tracking_event_append_only BEFORE UPDATE ON tracking_event
    FOR EACH ROW EXECUTE FUNCTION tracking_event_append_only();
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS tracking_event_append_only ON tracking_event")
            cursor.execute("DROP FUNCTION IF EXISTS tracking_event_append_only()")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS tracking_event_append_only")


class Migration(migrations.Migration):
    dependencies = [("tracking", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
