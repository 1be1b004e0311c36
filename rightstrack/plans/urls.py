from __future__ import annotations

from django.urls import path

from rightstrack.plans import views

urlpatterns = [
    path("plans/", views.plans, name="plans-list"),
    path("plans/<uuid:code>/", views.plan_page, name="plans-plan"),
    path("funds/", views.funds, name="plans-funds"),
    path("funds/unfunded/", views.unfunded, name="plans-unfunded"),
    path("actions/<uuid:code>/funding/", views.set_funding, name="plans-set-funding"),
    path("exercise/", views.exercise, name="plans-exercise"),
    path("exports/", views.export_log, name="plans-export-log"),
    path("exports/jobs/<str:job>/", views.export_job, name="plans-export-job"),
    path("exports/jobs/<str:job>/file/", views.export_job_file, name="plans-export-file"),
    path("exports/<str:kind>/", views.download, name="plans-export"),
    path("countries/<str:code>/charts/", views.infographic, name="plans-infographic"),
    path(
        "countries/<str:code>/charts/<str:chart>.svg",
        views.infographic_svg,
        name="plans-infographic-svg",
    ),
]
