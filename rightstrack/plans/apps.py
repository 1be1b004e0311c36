from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_funds(using: str = "default", **kwargs: Any) -> None:
    """Load the shipped funds into an empty fund table (a new database, or one a test flushed).

    Migration 0002 loads them first; this puts them back after a flush, as Django does for
    content types. A table that holds any fund is left as its administrators made it.
    """
    from rightstrack.plans.funds import load_funds
    from rightstrack.plans.models import Fund

    if using == "default" and not Fund.objects.exists():
        load_funds(Fund)


class PlansConfig(AppConfig):
    name = "rightstrack.plans"
    label = "plans"
    verbose_name = "Action plans, funds and exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_load_funds, sender=self, dispatch_uid="rt-plans-funds")
