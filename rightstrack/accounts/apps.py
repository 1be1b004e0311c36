from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rightstrack.accounts"
    verbose_name = "People and institutions"
