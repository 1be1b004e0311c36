from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "rightstrack.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_migrate

        from rightstrack.jobs import kinds  # noqa: F401  (registers the built-in job kinds)
        from rightstrack.jobs.routers import (
            create_cache_table,
            migrate_jobs_database,
            migration_finished,
            migration_started,
        )

        pre_migrate.connect(migration_started, dispatch_uid="rightstrack-jobs-migrating")
        post_migrate.connect(migration_finished, dispatch_uid="rightstrack-jobs-migrated")
        post_migrate.connect(create_cache_table, sender=self)
        post_migrate.connect(migrate_jobs_database, sender=self)
