"""A new database is set up, not a crash (issue 11 §0).

`rightstrack import`, `search`, `export`, `users`, `tokens`, `serve` and `demo` call
`ensure_database()` first: a new, empty database (a fresh SQLite file, an empty PostgreSQL
database) is migrated on the spot with one line on stderr; a database that cannot be opened,
or one that an older rightstrack created and that lacks migrations, ends with one line saying
what to run (exit status 2), never a traceback.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO


class DatabaseNotReady(Exception):
    """The database cannot be used as it is; the message says what to run."""


def describe(settings_dict: dict) -> str:
    """Return where the database is, without its password."""
    name = str(settings_dict.get("NAME") or "")
    if settings_dict.get("ENGINE", "").endswith("sqlite3"):
        return name
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"{name} on {host}{port}"


def ensure_database(stderr: TextIO | None = None) -> bool:
    """Migrate a new database; raise DatabaseNotReady when it cannot be used.

    Returns True when it set up a new database.
    """
    from django.core.management import call_command
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    stderr = stderr or sys.stderr
    where = describe(connection.settings_dict)
    try:
        connection.ensure_connection()
        tables = set(connection.introspection.table_names())
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        reason = re.sub(r"\s+", " ", str(exc)).strip()
        raise DatabaseNotReady(
            f"cannot open the database {where} ({reason}); check DATABASE_URL, create the "
            "database if needed, then run: rightstrack manage migrate"
        ) from None
    if not plan:
        return False
    if "django_migrations" in tables and tables - {"django_migrations"}:
        raise DatabaseNotReady(
            f"the database {where} needs {len(plan)} migrations from this version of "
            "rightstrack; back it up, then run: rightstrack manage migrate"
        )
    print(f"rightstrack: setting up a new database {where}", file=stderr)
    call_command("migrate", verbosity=0, interactive=False)
    return True
