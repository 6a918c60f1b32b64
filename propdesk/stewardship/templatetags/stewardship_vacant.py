"""The vacant-home section on the room's page (``{% vacant_room_panel room %}`` in org/room_detail.html): the last
inspections of the home and a link to its record, for staff who may see vacant homes. Two queries at most."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import VacantInspection
from ..rules.vacant import is_overdue, next_due
from ..selectors.vacant import checklist_of

register = template.Library()


@register.simple_tag(takes_context=True)
def vacant_room_panel(context, room):
    request = context.get("request")
    if request is None or not user_can(request.user, Capability.VIEW_VACANT):
        return ""
    inspections = list(VacantInspection.objects.filter(room=room).select_related("inspector")
                       .order_by("-day", "-id")[:3])
    if room.status != "vacant" and not inspections:
        return ""
    last_day = inspections[0].day if inspections else None
    interval = checklist_of(room.project_id).interval_days
    return render_to_string("stewardship/vacant/_room_panel.html", {
        "room": room, "inspections": inspections, "next_due": next_due(last_day=last_day, interval_days=interval),
        "overdue": room.status == "vacant" and is_overdue(last_day=last_day, interval_days=interval,
                                                          today=timezone.localdate())}, request=request)
