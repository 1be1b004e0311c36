"""Django admin for the reference data and the recommendations.

Built for the full UHRI export (about 270,000 recommendations): foreign keys to large tables
use raw id widgets, list pages select their related rows in the same query, and counts on
filtered pages are not shown (show_full_result_count) because they cost a second scan.
"""

from __future__ import annotations

from django.contrib import admin

from rightstrack.recommendations.models import (
    Analysis,
    Body,
    Country,
    Document,
    GroupMembership,
    ImportBatch,
    Label,
    Recommendation,
    RecommendationGroup,
    Review,
    Taxonomy,
    Term,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "alpha2", "name", "region", "un_group"]
    list_filter = ["un_group", "region"]
    search_fields = ["code", "alpha2", "name"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "mechanism"]
    list_filter = ["mechanism"]
    search_fields = ["code", "name"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["body", "country", "session", "cycle", "date"]
    list_filter = ["body__mechanism", "cycle"]
    list_select_related = ["body", "country"]
    search_fields = ["country__name", "session"]
    raw_id_fields = ["country"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["symbol", "kind", "body", "country", "date", "language"]
    list_filter = ["kind", "language", "body__mechanism"]
    list_select_related = ["body", "country"]
    search_fields = ["symbol", "title"]
    raw_id_fields = ["country", "review"]
    date_hierarchy = "date"


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "started",
        "kind",
        "file_name",
        "status",
        "total",
        "created_count",
        "updated_count",
        "unchanged_count",
        "imported_by",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["file_name", "sha256"]
    readonly_fields = ["code", "started", "finished"]
    raw_id_fields = ["imported_by"]


class LabelInline(admin.TabularInline):
    model = Label
    extra = 0
    raw_id_fields = ["term", "author"]
    fields = ["term", "source", "confidence", "origin", "review_state", "author"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "country",
        "body",
        "mechanism",
        "year",
        "cycle",
        "position",
        "follow_up",
    ]
    list_filter = ["mechanism", "position", "follow_up", "cycle", "language"]
    list_select_related = ["country", "body"]
    search_fields = ["document_symbol", "paragraph", "external_id", "text"]
    # Select boxes would list every row of these tables on each change page.
    raw_id_fields = [
        "document",
        "review",
        "country",
        "body",
        "recommending_states",
        "repeats",
        "import_batch",
    ]
    readonly_fields = ["code", "key", "created", "updated"]
    show_full_result_count = False
    inlines = [LabelInline]


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "builtin"]
    list_filter = ["builtin"]
    search_fields = ["slug", "name"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "taxonomy", "parent", "sort"]
    list_filter = ["taxonomy"]
    list_select_related = ["taxonomy", "parent"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successors"]


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["recommendation", "term", "source", "confidence", "review_state", "created"]
    list_filter = ["source", "review_state", "term__taxonomy"]
    list_select_related = ["recommendation__body", "term"]
    search_fields = ["term__name", "origin"]
    raw_id_fields = ["recommendation", "term", "author"]
    show_full_result_count = False


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    list_display = [
        "recommendation",
        "action_category",
        "action_verb",
        "concrete_action",
        "protection_relevant",
        "model_version",
    ]
    list_filter = ["action_category", "concrete_action", "protection_relevant", "model_version"]
    list_select_related = ["recommendation__body"]
    raw_id_fields = ["recommendation"]
    show_full_result_count = False


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["recommendation"]


@admin.register(RecommendationGroup)
class RecommendationGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "method", "created", "confirmed"]
    list_filter = ["status", "method"]
    search_fields = ["title", "key_phrases"]
    raw_id_fields = ["confirmed_by"]
    readonly_fields = ["code", "created"]
    inlines = [GroupMembershipInline]
