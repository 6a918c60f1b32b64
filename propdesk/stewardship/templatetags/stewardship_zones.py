"""The steward of a resident's homes on the customer 360 page (``{% steward_panel resident %}``). The zones part
owns this library."""

from django import template
from django.utils import timezone

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..selectors.zones import resident_stewards

register = template.Library()


@register.inclusion_tag("stewardship/zones/_steward_panel.html", takes_context=True)
def steward_panel(context, resident):
    """Per current home: its steward (name, mobile masked unless the user may see phones) and the resident's open
    first-contact task with that steward. Three queries."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user_can(user, Capability.VIEW_ARCHIVE):
        return {"shown": False}
    return {"shown": True, "homes": resident_stewards(user=user, resident=resident, now=timezone.now()),
            "can_contact": user_can(user, Capability.CONTACT_RESIDENTS), "user": user}


@register.simple_tag
def zone_buildings(steward) -> str:
    """The buildings in ``steward``'s zone as the residents say them ("3 栋, 5 栋"), for the staff page; one query."""
    from django.utils.translation import gettext as _

    from propdesk.org.models import Building

    numbers = Building.objects.filter(zone__steward=steward).order_by("sort", "number").values_list("number",
                                                                                                   flat=True)
    return _(", ").join(_("Building %(number)s") % {"number": number} for number in numbers)
