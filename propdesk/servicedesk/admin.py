from django.contrib import admin

from .models import (
    DispatchRule,
    HolidayCalendarDay,
    HolidayYear,
    Incident,
    IncidentUpdate,
    Payment,
    PriceItem,
    Quote,
    QuoteLine,
    ServicePolicy,
    WorkingHours,
)


@admin.register(PriceItem)
class PriceItemAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "price", "active", "project"]
    list_filter = ["active", "project"]
    list_select_related = ["project"]
    search_fields = ["name"]


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    extra = 0
    can_delete = False
    readonly_fields = ["item", "name", "unit", "quantity", "unit_price", "amount"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    """Read-only: quotes and agreements change only through services/payments.py."""

    list_display = ["work_order", "total", "agreed_at", "agreement_method", "declined_at"]
    list_select_related = ["work_order"]
    inlines = [QuoteLineInline]
    exclude = ["signature", "code_hash"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only: receipts are money documents; void them on the receipt page (the number is kept)."""

    list_display = ["receipt_number", "amount", "method", "payer", "paid_at", "voided_at", "project"]
    list_filter = ["method", "project"]
    list_select_related = ["project"]
    search_fields = ["receipt_number", "payer"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IncidentUpdateInline(admin.TabularInline):
    model = IncidentUpdate
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "text", "actor", "at", "reached"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "is_open", "created_at", "closed_at"]
    list_filter = ["is_open", "project"]
    list_select_related = ["project"]
    search_fields = ["title"]
    readonly_fields = ["project", "is_open", "created_by", "created_at", "closed_at"]
    inlines = [IncidentUpdateInline]

    def has_add_permission(self, request):  # opened in the console, which records who and links requests
        return False


@admin.register(DispatchRule)
class DispatchRuleAdmin(admin.ModelAdmin):
    list_display = ["project", "order", "kind", "buildings", "department", "assignee"]
    list_filter = ["project"]
    list_select_related = ["project", "department", "assignee"]
    raw_id_fields = ["assignee"]


@admin.register(ServicePolicy)
class ServicePolicyAdmin(admin.ModelAdmin):
    list_display = ["company"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ["project", "slots"]


class HolidayCalendarDayInline(admin.TabularInline):
    model = HolidayCalendarDay
    extra = 0
    fields = ["day", "kind", "name"]


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    """The same data as the console page /desk/holidays/ (which checks each line against the year)."""
    list_display = ["year", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
    inlines = [HolidayCalendarDayInline]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
