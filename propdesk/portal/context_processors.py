"""Which installable app a page belongs to: 住这儿 on a resident's pages (/my/), 助这儿 on a technician's pages
(/desk/). base.html links that app's manifest and registers its service worker; other pages get neither."""

from django.templatetags.static import static
from django.urls import reverse

from propdesk.servicedesk.rules.transitions import FIELD_ROLES
from propdesk.servicedesk.views.pwa import THEME as DESK_THEME
from propdesk.staff.permissions import user_role

RESIDENT_THEME = "#0b6e4f"


def _app(name: str, icon: str, theme: str) -> dict:
    return {"app": "resident" if name == "portal" else "desk", "theme": theme, "icon": static(icon),
            "manifest": reverse(f"{name}:manifest"), "sw": reverse(f"{name}:service_worker"),
            "scope": reverse(f"{name}:service_worker").rsplit("/", 1)[0] + "/"}


def installable(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = user_role(user)
    if role == "resident" and request.path.startswith(reverse("portal:home")):
        return {"pwa": _app("portal", "portal/icons/zhuzher-192.png", RESIDENT_THEME)}
    if role in FIELD_ROLES and request.path.startswith(reverse("servicedesk:dispatch_queue")):
        return {"pwa": _app("servicedesk", "servicedesk/icons/zhuzher-desk-192.png", DESK_THEME)}
    return {}
