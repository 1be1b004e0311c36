from __future__ import annotations

from django.contrib import admin

from rightstrack.accounts.models import ApiToken, Institution, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user", "country"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "parent"]
    list_filter = ["kind"]
    list_select_related = ["country", "parent"]
    search_fields = ["name"]
    raw_id_fields = ["country", "parent"]
    readonly_fields = ["code"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "institution", "country", "created"]
    list_filter = ["role", "institution__kind"]
    list_select_related = ["user", "institution", "country"]
    search_fields = ["user__username", "user__email", "institution__name"]
    raw_id_fields = ["user", "institution", "country"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    # The digest is only a hash; the token itself is shown once, by `rightstrack tokens create`.
    list_display = ["name", "user", "created", "last_used"]
    search_fields = ["name", "user__username", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["digest", "created", "last_used"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
