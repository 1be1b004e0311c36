"""The Django admin for follow-up: for administrators' repairs and lookups.

Day-to-day work happens in the pages, which go through tracking.services (permissions,
conflicts, history). Here the history is read-only, and status updates and assessments are
never edited (they are the record).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from rightstrack.tracking.models import (
    Action,
    Assessment,
    Assignment,
    Event,
    Evidence,
    FollowUp,
    Indicator,
    Measurement,
    StatusUpdate,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ("created", "actor_name", "actor_institution", "kind", "country")
    list_filter = ("kind", "country")
    search_fields = ("actor_name", "note")
    date_hierarchy = "created"


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnly):
    list_display = ("created", "recommendation", "institution", "status", "state", "author")
    list_filter = ("state", "status", "country")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
    list_display = ("date", "recommendation", "institution", "status", "author")
    list_filter = ("status", "country")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnly):
    list_display = ("recommendation", "sub_item", "status", "status_date", "updated")
    list_filter = ("status", "country")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnly):
    list_display = ("name", "kind", "size", "content_type", "created")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ("recommendation", "institution", "role", "due", "active")
    list_filter = ("role", "active", "country")


@admin.register(Action)
class ActionAdmin(ReadOnly):
    list_display = ("title", "institution", "start", "end", "progress")
    list_filter = ("progress", "country")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly):
    list_display = ("name", "institution", "baseline", "target", "frequency")


@admin.register(Measurement)
class MeasurementAdmin(ReadOnly):
    list_display = ("indicator", "date", "value", "sex", "location")
