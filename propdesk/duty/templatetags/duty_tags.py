"""The "on duty now" box of the dispatch queue (issue 13: roster): who is on duty by the roster in the projects the
signed-in user sees, per department, with their mobile. One query."""

from django import template
from django.utils import timezone

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..selectors.rosters import on_duty_now

register = template.Library()


@register.simple_tag(takes_context=True)
def on_duty_now_box(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user_can(user, Capability.VIEW_ROSTERS):
        return {"show": False}
    groups = on_duty_now(user=user, at=timezone.now())
    return {"show": True, "groups": groups, "many": len({g.project.pk for g in groups}) > 1}
