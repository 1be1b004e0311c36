from __future__ import annotations

from django.urls import path

from rightstrack.plans import views

urlpatterns = [
    path("exports/", views.export_log, name="plans-export-log"),
    path("exports/<str:kind>/", views.download, name="plans-export"),
    path("countries/<str:code>/charts/", views.infographic, name="plans-infographic"),
    path(
        "countries/<str:code>/charts/<str:chart>.svg",
        views.infographic_svg,
        name="plans-infographic-svg",
    ),
]
