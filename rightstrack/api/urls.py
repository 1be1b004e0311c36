from __future__ import annotations

from django.urls import path

from rightstrack.api.api import api

urlpatterns = [path("", api.urls)]
