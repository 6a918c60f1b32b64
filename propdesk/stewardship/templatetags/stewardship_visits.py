"""A resident's home visits on the customer 360 page (``{% home_visits_panel resident %}``): the last visits (date,
steward, way, summary), when the next is due, a link to record one. The visits part owns this library."""

from django import template
from django.utils import timezone

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

register = template.Library()


@register.inclusion_tag("stewardship/visits/_panel.html", takes_context=True)
def home_visits_panel(context, resident):
    from ..selectors import visits as selectors

    user = context["request"].user
    if not user_can(user, Capability.VIEW_ARCHIVE):
        return {"shown": False}
    return {"shown": True, "resident": resident, "can_visit": user_can(user, Capability.HOME_VISITS),
            "visits": selectors.resident_visits(user=user, resident_id=resident.pk),
            "next_due": selectors.resident_next_due(resident=resident, today=timezone.localdate())}
