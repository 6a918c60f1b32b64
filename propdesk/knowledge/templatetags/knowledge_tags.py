from django import template

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

register = template.Library()


@register.simple_tag(takes_context=True)
def knowledge_caps(context) -> dict:
    """What the signed-in user may do with the knowledge, for a panel on another app's page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"view": user_can(user, Capability.VIEW_KNOWLEDGE), "write": user_can(user, Capability.RECORD_CASES)}
