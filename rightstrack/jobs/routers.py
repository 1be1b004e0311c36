"""Where the job queue lives: the `jobs` database alias (see docs/jobs.md).

On PostgreSQL `jobs` is the same database as `default` reached through a second connection, so
a job's progress commits at once even while the job's own work (an import) is inside one long
transaction on `default`. On SQLite, which has one writer at a time, `jobs` is a second file
beside the main one (`rightstrack-jobs.sqlite`), so progress can be written while an import
holds the main file's write lock.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

#: Apps whose tables live in the `jobs` alias.
JOB_APPS = frozenset({"jobs", "django_tasks_database"})
JOBS_DB = "jobs"


def separate() -> bool:
    """True when `jobs` is a database of its own (SQLite), not a second connection."""
    return bool(getattr(settings, "JOBS_SEPARATE_DATABASE", False))


#: True while `migrate` runs: a data migration of the queue's tables must then use the
#: migrating connection, not the second one (on PostgreSQL it would wait for the first's locks).
MIGRATING = False


def migration_started(**kwargs: Any) -> None:
    global MIGRATING
    MIGRATING = True


def migration_finished(**kwargs: Any) -> None:
    global MIGRATING
    MIGRATING = False


class JobsRouter:
    def _route(self, model: Any) -> str | None:
        if model._meta.app_label not in JOB_APPS or (MIGRATING and not separate()):
            return None
        return JOBS_DB

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return self._route(model)

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return self._route(model)

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        if not separate():
            # One database: everything is created through `default`, never twice.
            return db != JOBS_DB
        if app_label in JOB_APPS:
            return db == JOBS_DB
        return db != JOBS_DB


def create_cache_table(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """Create the shared cache's table after `migrate` (DatabaseCache needs one)."""
    from django.core import mail
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.core.management import call_command

    # Tests: the test runner creates the cache table of every test database itself.
    if (using == JOBS_DB and separate()) or hasattr(mail, "outbox"):
        return
    if any(isinstance(caches[alias], DatabaseCache) for alias in settings.CACHES):
        call_command("createcachetable", database=using, verbosity=0)


def migrate_jobs_database(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """After `migrate` on default, migrate the separate SQLite jobs file too (one command).

    Not inside tests: the test runner creates and migrates every alias's test database itself.
    """
    from django.core import mail
    from django.core.management import call_command

    if not separate() or using != "default" or hasattr(mail, "outbox"):
        return
    call_command("migrate", database=JOBS_DB, verbosity=0, interactive=False)
