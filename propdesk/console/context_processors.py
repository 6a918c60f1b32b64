from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

# (url name, label, capability needed or None, roles it is shown to or None for every staff role)
NAVIGATION = [
    ("home", _("Workbench"), None),
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
        items = [{"url": reverse("home"), "label": _("My home"), "name": "home"}]
    else:
        items = [{"url": reverse(name), "label": label, "name": name}
                 for name, label, capability in NAVIGATION if capability is None or user_can(user, capability)]
        if user.is_staff:
            items.append({"url": reverse("admin:index"), "label": _("Configuration"), "name": "admin"})
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    for item in items:
        item["active"] = current == item["name"] or current.split(":")[0] == item["name"].split(":")[0] != "home"
    return {"nav_items": items, "user_role": role}
