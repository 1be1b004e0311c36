from __future__ import annotations

from django.urls import path

from rightstrack.front import followup, manage, views

urlpatterns = [
    path("", views.search_page, name="front-search"),
    path("recommendations/<uuid:code>/", views.recommendation, name="front-recommendation"),
    path("countries/", views.countries, name="front-countries"),
    path("countries/<str:code>/", views.country, name="front-country"),
    path("import/", views.import_page, name="front-import"),
    path("import/<str:job>/", views.import_progress, name="front-import-progress"),
    # Follow-up (docs/follow-up.md, "Using the pages")
    path("recommendations/<uuid:code>/assign/", followup.assign, name="front-assign"),
    path("recommendations/<uuid:code>/update/", followup.submit_update, name="front-update"),
    path("recommendations/<uuid:code>/assess/", followup.assess, name="front-assess"),
    path("recommendations/<uuid:code>/actions/", followup.create_action, name="front-action-new"),
    path(
        "recommendations/<uuid:code>/indicators/",
        followup.create_indicator,
        name="front-indicator-new",
    ),
    path("assign-results/", followup.assign_results, name="front-assign-results"),
    path("assignments/<uuid:code>/", followup.assignment_page, name="front-assignment"),
    path("assignments/<uuid:code>/end/", followup.end_assignment, name="front-assignment-end"),
    path("updates/<uuid:code>/decide/", followup.decide, name="front-decide"),
    path("assessments/<uuid:code>/", followup.assessment_page, name="front-assessment"),
    path("actions/<uuid:code>/", followup.action_page, name="front-action"),
    path("indicators/<uuid:code>/", followup.indicator_page, name="front-indicator"),
    path(
        "indicators/<uuid:code>/measurements/",
        followup.add_measurement,
        name="front-measurement-new",
    ),
    path("work/", followup.work, name="front-work"),
    path("validation/", followup.validation_queue, name="front-validation"),
    # Evidence is only ever downloaded through this permission-checked view.
    path("evidence/<uuid:code>/", followup.evidence, name="tracking-evidence"),
    # Management (administrators and coordinators)
    path("manage/institutions/", manage.institutions, name="front-institutions"),
    path("manage/institutions/<uuid:code>/", manage.institution, name="front-institution"),
    path("manage/people/", manage.people, name="front-people"),
    path("manage/people/<int:pk>/", manage.membership, name="front-membership"),
]
