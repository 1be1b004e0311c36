from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_default_rules(using: str = "default", **kwargs: Any) -> None:
    """Load today's rules into an empty rule table (a new database, or one a test flushed).

    Migration 0002 loads them first; this puts them back after a flush, as Django does for
    content types. A table that holds any rule is left as its administrators made it.
    """
    from rightstrack.deadlines import defaults
    from rightstrack.deadlines.models import FollowUpRule, UprRule

    if using != "default":
        return  # the job queue's own database holds no rules
    if FollowUpRule.objects.using(using).exists() or UprRule.objects.using(using).exists():
        return
    defaults.load_rules(FollowUpRule, UprRule, using)


class DeadlinesConfig(AppConfig):
    name = "rightstrack.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines, procedures and reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rightstrack.deadlines import signals  # noqa: F401

        post_migrate.connect(_load_default_rules, sender=self, dispatch_uid="rt-deadline-rules")
