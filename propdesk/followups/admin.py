from django.contrib import admin

from .models import FollowUpPolicy, FollowUpVisit


@admin.register(FollowUpPolicy)
class FollowUpPolicyAdmin(admin.ModelAdmin):
    list_display = ["company", "max_attempts", "on_dissatisfied"]


@admin.register(FollowUpVisit)
class FollowUpVisitAdmin(admin.ModelAdmin):
    """Read-only here: visits are made and recorded in the console, where each step is on the timeline."""

    list_display = ["request", "rule", "status", "due_by", "visitor", "satisfaction", "late"]
    list_filter = ["status", "rule", "project"]
    list_select_related = ["request", "visitor"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
