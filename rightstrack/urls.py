from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("rightstrack.api.urls")),
    path("", include("rightstrack.analysis.urls")),
    path("", include("rightstrack.deadlines.urls")),
    path("", include("rightstrack.plans.urls")),
    path("", include("rightstrack.front.urls")),
]
