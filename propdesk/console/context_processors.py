from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

# (url name, label, capability needed or None): the main menu, in order.
NAVIGATION = [
    ("home", _("Workbench"), None),
    ("servicedesk:intake", _("Record"), Capability.RECORD_REQUESTS),
    ("servicedesk:dispatch_queue", _("Dispatch"), Capability.DISPATCH),
    ("servicedesk:my_orders", _("My work orders"), Capability.HANDLE_ORDERS),
    ("servicedesk:request_list", _("Requests"), Capability.RECORD_REQUESTS),
    ("servicedesk:overdue", _("Overdue"), Capability.VIEW_ARCHIVE),
    ("servicedesk:incident_list", _("Incidents"), Capability.DISPATCH),
    ("notices:list", _("Notices"), Capability.PUBLISH_NOTICES),
    ("servicedesk:price_list", _("Price list"), Capability.VIEW_PRICES),
    ("fees:search", _("Fees"), Capability.VIEW_ACCOUNTS),
    ("servicedesk:holiday_calendar", _("Holidays"), Capability.EDIT_CALENDAR),
    ("followups:visit_queue", _("Follow-up visits"), Capability.VISIT),
    # The steward's and the center's day (issue 13)
    ("stewardship:morning", _("Morning page"), Capability.VIEW_LOGS),
    ("stewardship:patrol_today", _("Patrols"), Capability.PATROL),
    ("stewardship:contacts", _("First contact"), Capability.CONTACT_RESIDENTS),
    ("stewardship:visits", _("Home visits"), Capability.HOME_VISITS),
    ("stewardship:vacant_list", _("Vacant homes"), Capability.VIEW_VACANT),
    ("duty:log_today", _("Logs"), Capability.WRITE_LOGS),
    ("duty:roster", _("Roster"), Capability.VIEW_ROSTERS),
    ("stewardship:zones", _("Zones"), Capability.VIEW_ZONES),
    ("team:list", _("Project staff"), Capability.MANAGE_STAFF),
    # Renovation, move-in and violations (issue 14)
    ("renovation:inspection_worklist", _("Renovation inspections"), Capability.INSPECT_RENOVATIONS),
    ("renovation:list", _("Renovations"), Capability.VIEW_RENOVATIONS),
    ("movein:handover_list", _("Handovers"), Capability.VIEW_HANDOVERS),
    ("violations:violation_list", _("Violations"), Capability.VIEW_VIOLATIONS),
    ("violations:violation_new", _("Record a violation"), Capability.RECORD_VIOLATIONS),
    # The knowledge of the center (issue 16)
    ("knowledge:answer_list", _("Standard answers"), Capability.VIEW_KNOWLEDGE),
    ("knowledge:case_list", _("Case library"), Capability.VIEW_KNOWLEDGE),
    ("followups:rates", _("Satisfaction rates"), Capability.VIEW_RATES),
    ("reports:dashboard", _("Dashboard"), Capability.VIEW_DASHBOARD),
    ("customers:resident_list", _("Customer archive"), Capability.VIEW_ARCHIVE),
    ("org:tree", _("Properties"), Capability.VIEW_ARCHIVE),
    ("org:import", _("Import"), Capability.IMPORT),
    ("operations", _("Operations"), Capability.VIEW_OPERATIONS),
]

# The pages of each menu section besides the item's own page: a request page belongs to 报事列表, not to 报事登记.
# A page is lit under the first section of the menu (in menu order) that is shown to the user and claims it, so a
# work-order page lights 我的工单 for a technician and 报事列表 for an agent; a page no shown section claims lights
# nothing. A name ending in ":*" claims every page of that app.
SECTIONS = {
    # issue 14: a steward's phone pages of renovations light 装修巡检; the rest of each app lights its list
    "renovation:inspection_worklist": ("renovation:inspect", "renovation:acceptance_record",
                                       "renovation:acceptance_ask", "renovation:rectification_notice"),
    "renovation:list": ("renovation:*",),
    "movein:handover_list": ("movein:*",),
    "violations:violation_list": ("violations:*",),
    "knowledge:answer_list": ("knowledge:answer_new", "knowledge:answer_edit", "knowledge:answer_close"),
    "knowledge:case_list": ("knowledge:*",),
    "servicedesk:my_orders": ("servicedesk:workorder_detail", "servicedesk:workorder_action", "servicedesk:send_code",
                              "servicedesk:contact_reveal", "servicedesk:quote", "servicedesk:quote_agree",
                              "servicedesk:quote_code", "servicedesk:quote_decline", "servicedesk:payment_add",
                              "servicedesk:receipt", "servicedesk:receipt_void"),
    "servicedesk:request_list": ("servicedesk:request_detail", "servicedesk:workorder_add", "servicedesk:reply",
                                 "servicedesk:comment", "servicedesk:acknowledge", "servicedesk:request_incident",
                                 "servicedesk:workorder_detail", "servicedesk:workorder_action",
                                 "servicedesk:send_code", "servicedesk:contact_reveal", "servicedesk:quote",
                                 "servicedesk:quote_agree", "servicedesk:quote_code", "servicedesk:quote_decline",
                                 "servicedesk:payment_add", "servicedesk:receipt", "servicedesk:receipt_void"),
    "servicedesk:incident_list": ("servicedesk:incident_detail", "servicedesk:incident_update",
                                  "servicedesk:incident_close", "servicedesk:incident_add_request"),
    "notices:list": ("notices:new", "notices:detail", "notices:withdraw", "notices:picker"),
    "notices:my_list": ("notices:my_detail",),  # a resident's menu
    "followups:visit_queue": ("followups:*",),
    "reports:dashboard": ("reports:*",),
    "reports:public_report_list": ("reports:public_report_detail",),  # a resident's menu
    "customers:resident_list": ("customers:*",),
    "fees:search": ("fees:*",),  # every staff page of fees: accounts, arrears, reports, setup
    "stewardship:patrol_today": ("stewardship:patrol_checkpoint", "stewardship:patrol_checkpoint_new",
                                 "stewardship:patrol_plan", "stewardship:patrol_plan_edit",
                                 "stewardship:patrol_plan_new", "stewardship:patrol_plans", "stewardship:patrol_qr",
                                 "stewardship:patrol_report", "stewardship:patrol_round",
                                 "stewardship:patrol_round_code", "stewardship:patrol_round_finish",
                                 "stewardship:patrol_round_start", "stewardship:patrol_scan"),
    "stewardship:contacts": ("stewardship:contact_detail",),
    "stewardship:vacant_list": ("stewardship:vacant_checklist", "stewardship:vacant_home", "stewardship:vacant_inspect",
                                "stewardship:vacant_round"),
    "stewardship:visits": ("stewardship:visit_detail", "stewardship:visit_new", "stewardship:visit_plan_edit",
                           "stewardship:visit_plans", "stewardship:visits_report"),
    "duty:log_today": ("duty:log_acknowledge", "duty:log_comment", "duty:log_detail", "duty:log_list",
                       "duty:log_sign", "duty:log_start", "duty:log_submit"),
    "duty:roster": ("duty:gaps", "duty:now", "duty:roster_assign", "duty:roster_copy", "duty:roster_remove",
                    "duty:shift_delete", "duty:shift_edit", "duty:shifts"),
    "team:list": ("team:*",),
    "org:tree": ("org:*",),
}


def _claims(item_name: str, view_name: str) -> bool:
    app = view_name.split(":")[0] + ":*" if ":" in view_name else None
    return any(claimed in (view_name, app) for claimed in SECTIONS.get(item_name, ()))


def active_item(names: list[str], view_name: str) -> str | None:
    """The menu item lit on the page ``view_name``: the page's own item, else the first section claiming it."""
    if view_name in names:
        return view_name
    return next((name for name in names if _claims(name, view_name)), None)


def navigation(request):
    user = getattr(request, "user", None)
    role = user_role(user) if user is not None else None
    if role is None:
        return {"nav_items": [], "user_role": None}
    if role == "resident":
        items = [{"url": reverse("home"), "label": _("My home"), "name": "home"},
                 {"url": reverse("reports:public_report_list"), "label": _("Service reports"),
                  "name": "reports:public_report_list"},
                 {"url": reverse("notices:my_list"), "label": _("Notices"), "name": "notices:my_list"}]
    else:
        items = [{"url": reverse(name), "label": label, "name": name}
                 for name, label, capability in NAVIGATION if capability is None or user_can(user, capability)]
        if user.is_staff:
            items.append({"url": reverse("admin:index"), "label": _("Configuration"), "name": "admin"})
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    lit = active_item([item["name"] for item in items], current)
    for item in items:
        item["active"] = item["name"] == lit
    from propdesk.notify.models import Notification

    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"nav_items": items, "user_role": role, "unread_count": unread}
