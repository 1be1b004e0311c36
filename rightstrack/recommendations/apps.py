from __future__ import annotations

from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "rightstrack.recommendations"
    verbose_name = "Recommendations"
