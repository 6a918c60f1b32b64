"""The inspections part's section on a renovation's page (inspections, rectifications, acceptance, linked complaints
and candidates), and the ``fen_yuan`` and ``staff_name`` filters of its templates."""

from django import template
from django.template.loader import render_to_string

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

register = template.Library()


@register.filter
def fen_yuan(value) -> str:
    try:
        return f"{int(value) / 100:.2f}"
    except (TypeError, ValueError):
        return ""


@register.filter
def staff_name(user) -> str:
    """A staff member as residents and colleagues know them: the profile's display name, else the login."""
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    return (profile.display_name if profile is not None and profile.display_name else "") or user.get_username()


@register.simple_tag(takes_context=True)
def inspections_panel(context, renovation):
    """Staff see the whole section; a resident (no staff capability) sees a link to their acceptance page."""
    from ..selectors.inspections import panel

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or renovation is None or not renovation.pk:
        return ""
    if not user_can(user, Capability.VIEW_RENOVATIONS):
        return render_to_string("renovation/inspections/_resident_block.html", {"renovation": renovation},
                                request=request)
    return render_to_string("renovation/inspections/_panel.html", {
        "renovation": renovation, "panel": panel(user=user, renovation=renovation),
        "can_inspect": user_can(user, Capability.INSPECT_RENOVATIONS), "path": request.get_full_path()},
        request=request)
