from __future__ import annotations

from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "rightstrack.tracking"
    label = "tracking"
    verbose_name = "Follow-up"
    default_auto_field = "django.db.models.BigAutoField"
