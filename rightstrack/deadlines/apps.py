from __future__ import annotations

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "rightstrack.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines, procedures and reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rightstrack.deadlines import signals  # noqa: F401
