from __future__ import annotations

from django.urls import path

from rightstrack.deadlines import dashboards, views

urlpatterns = [
    path("calendar/", views.calendar_page, name="deadlines-calendar"),
    path("procedures/", views.procedures, name="deadlines-procedures"),
    path("procedures/rules/new/", views.edit_rule, name="deadlines-rule-new"),
    path("procedures/rules/<int:pk>/", views.edit_rule, name="deadlines-rule"),
    path("procedures/upr/new/", views.edit_upr_rule, name="deadlines-upr-rule-new"),
    path("procedures/upr/<int:pk>/", views.edit_upr_rule, name="deadlines-upr-rule"),
    path("me/calendar/", views.my_calendar, name="deadlines-me"),
    path("me/calendar/renew/", views.renew_calendar, name="deadlines-renew"),
    path("dashboard/", dashboards.dashboard, name="deadlines-dashboard"),
    path("dashboard/chart/<str:name>.svg", dashboards.chart_svg, name="deadlines-chart"),
]
