from __future__ import annotations

from django.urls import path

from rightstrack.front import views

urlpatterns = [
    path("", views.search_page, name="front-search"),
    path("recommendations/<uuid:code>/", views.recommendation, name="front-recommendation"),
    path("countries/", views.countries, name="front-countries"),
    path("countries/<str:code>/", views.country, name="front-country"),
    path("import/", views.import_page, name="front-import"),
    path("import/<str:job>/", views.import_progress, name="front-import-progress"),
]
