from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _repair_fulltext(using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from rightstrack.recommendations.search import ensure_fulltext

    ensure_fulltext(connections[using])


class FrontConfig(AppConfig):
    name = "rightstrack.front"
    verbose_name = "Web pages"

    def ready(self) -> None:
        post_migrate.connect(_repair_fulltext, sender=self, dispatch_uid="rightstrack-fulltext")
