from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

# (url name, label, capability needed or None, roles it is shown to or None for every staff role)
NAVIGATION = [
    ("home", _("Workbench"), None),
    ("servicedesk:intake", _("Record"), Capability.RECORD_REQUESTS),
    ("servicedesk:dispatch_queue", _("Dispatch"), Capability.DISPATCH),
    ("servicedesk:my_orders", _("My work orders"), Capability.HANDLE_ORDERS),
    ("servicedesk:request_list", _("Requests"), Capability.RECORD_REQUESTS),
    ("servicedesk:overdue", _("Overdue"), Capability.VIEW_ARCHIVE),
    ("servicedesk:incident_list", _("Incidents"), Capability.DISPATCH),
    ("servicedesk:price_list", _("Price list"), Capability.VIEW_PRICES),
    ("followups:visit_queue", _("Follow-up visits"), Capability.VISIT),
    ("followups:rates", _("Satisfaction rates"), Capability.VIEW_RATES),
    ("reports:dashboard", _("Dashboard"), Capability.VIEW_DASHBOARD),
    ("customers:resident_list", _("Customer archive"), Capability.VIEW_ARCHIVE),
    ("org:tree", _("Properties"), Capability.VIEW_ARCHIVE),
    ("org:import", _("Import"), Capability.IMPORT),
]


def navigation(request):
    user = getattr(request, "user", None)
    role = user_role(user) if user is not None else None
    if role is None:
        return {"nav_items": [], "user_role": None}
    if role == "resident":
        items = [{"url": reverse("home"), "label": _("My home"), "name": "home"},
                 {"url": reverse("reports:public_report_list"), "label": _("Service reports"),
                  "name": "reports:public_report_list"}]
    else:
        items = [{"url": reverse(name), "label": label, "name": name}
                 for name, label, capability in NAVIGATION if capability is None or user_can(user, capability)]
        if user.is_staff:
            items.append({"url": reverse("admin:index"), "label": _("Configuration"), "name": "admin"})
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    exact = any(item["name"] == current for item in items)
    namespace = current.split(":")[0] if ":" in current else None
    lit = False
    for item in items:
        # The item of this very page, else the first item of the page's app (a room page lights up 房产资料).
        if exact:
            item["active"] = item["name"] == current
        else:
            item["active"] = not lit and namespace is not None and item["name"].split(":")[0] == namespace
            lit = lit or item["active"]
    from propdesk.notify.models import Notification

    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"nav_items": items, "user_role": role, "unread_count": unread}
