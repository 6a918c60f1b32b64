from django.contrib import admin

from .models import Occupancy, Resident


class OccupancyInline(admin.TabularInline):
    model = Occupancy
    raw_id_fields = ["room"]
    exclude = ["project"]
    extra = 0


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """Configuration view only; phones and ID numbers are not shown here (use the console, which masks and logs)."""

    list_display = ["archive_no", "name", "project", "segment", "is_vip"]
    list_filter = ["project", "segment", "is_vip", "is_elderly_alone"]
    list_select_related = ["project"]
    search_fields = ["archive_no", "name"]
    exclude = ["id_number"]
    readonly_fields = ["archive_no"]
    raw_id_fields = ["user"]
    inlines = [OccupancyInline]
    show_full_result_count = False
