from __future__ import annotations

from django.urls import path

from rightstrack.analysis import views

urlpatterns = [
    path("review/", views.review_queue, name="analysis-review"),
    path("review/bulk/", views.review_bulk, name="analysis-review-bulk"),
    path("review/<int:pk>/", views.review_row, name="analysis-review-row"),
    path("review/<int:pk>/accept/", views.accept, name="analysis-review-accept"),
    path("review/<int:pk>/reject/", views.reject, name="analysis-review-reject"),
    path("review/<int:pk>/correct/", views.correct, name="analysis-review-correct"),
    path(
        "review/training-data/<slug:taxonomy>.csv",
        views.training_data,
        name="analysis-training-data",
    ),
    path("groups/", views.groups, name="analysis-groups"),
    path("groups/propose/", views.propose, name="analysis-groups-propose"),
    path("groups/<uuid:code>/", views.group, name="analysis-group"),
    path("groups/<uuid:code>/confirm/", views.confirm, name="analysis-group-confirm"),
    path("groups/<uuid:code>/split/", views.split, name="analysis-group-split"),
    path("groups/<uuid:code>/merge/", views.merge, name="analysis-group-merge"),
]
