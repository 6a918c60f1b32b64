from django.contrib import admin

from .models import Branch, Building, CommonArea, Company, Department, Project, Room, Unit


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "company"]
    list_select_related = ["company"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "number_prefix", "branch", "city", "service_phone"]
    list_filter = ["branch"]
    list_select_related = ["branch"]
    search_fields = ["name", "code", "number_prefix"]
    exclude = ["company"]

    def get_readonly_fields(self, request, obj=None):
        # Numbers already issued carry the prefix: changing it would let another project take the old one.
        return ["number_prefix"] if obj is not None else []


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "project", "branch"]
    list_filter = ["kind", "branch"]
    list_select_related = ["project", "branch"]
    autocomplete_fields = ["project"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "project", "floors"]
    list_filter = ["project"]
    list_select_related = ["project"]
    search_fields = ["number", "name", "project__name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "building", "project"]
    list_select_related = ["building", "project"]
    raw_id_fields = ["building", "project"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["code", "project", "floor", "area", "room_type", "status"]
    list_filter = ["status", "room_type", "project"]
    list_select_related = ["project"]
    search_fields = ["code"]
    raw_id_fields = ["building", "unit", "project"]
    show_full_result_count = False


@admin.register(CommonArea)
class CommonAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "project", "building"]
    list_filter = ["kind", "project"]
    list_select_related = ["project", "building"]
    raw_id_fields = ["building"]
