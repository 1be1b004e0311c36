from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "rightstrack.plans"
    label = "plans"
    verbose_name = "Action plans, funds and exports"
    default_auto_field = "django.db.models.BigAutoField"
