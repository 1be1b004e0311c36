from __future__ import annotations

from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "rightstrack.front"
    verbose_name = "Web pages"
