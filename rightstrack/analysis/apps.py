from __future__ import annotations

from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "rightstrack.analysis"
    label = "analysis"
    verbose_name = "Analysis and review"
