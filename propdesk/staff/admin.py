from django.contrib import admin

from .models import ApiToken, StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "role", "company", "branch", "project", "department", "is_active"]
    list_filter = ["role", "is_active", "branch"]
    list_select_related = ["user", "company", "branch", "project", "department"]
    search_fields = ["display_name", "user__username"]
    raw_id_fields = ["user", "department"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked"]
    list_filter = ["scope", "revoked"]
    list_select_related = ["user"]
    readonly_fields = ["prefix", "created_at", "expires_at", "last_used_at"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request):  # tokens are issued with ApiToken.issue, which shows the raw key once
        return False
