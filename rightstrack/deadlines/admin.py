from __future__ import annotations

from django.contrib import admin

from rightstrack.deadlines.models import CommitteeGrade, Deadline, FollowUpRule, UprRule


@admin.register(FollowUpRule)
class FollowUpRuleAdmin(admin.ModelAdmin):
    list_display = (
        "body_code",
        "valid_from",
        "valid_to",
        "runs_follow_up",
        "reply_months",
        "grading",
        "simplified_reporting",
    )
    list_filter = ("body_code", "runs_follow_up", "grading")
    search_fields = ("body_code", "source", "note")


@admin.register(UprRule)
class UprRuleAdmin(admin.ModelAdmin):
    list_display = ("valid_from", "valid_to", "midterm_months", "adoption_months", "cycle_months")


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "title", "country", "institution")
    list_filter = ("kind",)
    search_fields = ("title", "key")
    raw_id_fields = (
        "recommendation",
        "review",
        "document",
        "institution",
        "assignment",
        "indicator",
    )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # derived from the rules: change a rule or a date instead


@admin.register(CommitteeGrade)
class CommitteeGradeAdmin(admin.ModelAdmin):
    list_display = ("recommendation", "body", "grade", "date", "document_symbol")
    list_filter = ("body", "grade")
    raw_id_fields = ("recommendation", "sub_item", "document")
    readonly_fields = ("created", "created_by")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # recorded through services.record_grade, with its history

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
