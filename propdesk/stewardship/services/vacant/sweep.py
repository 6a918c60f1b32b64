"""The weekly sweep of vacant homes: every home whose inspection is overdue goes to its project's managers, once per
home and period (the period is the due date it missed; a home never inspected is told once until it is)."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.notify.services import notify_users
from propdesk.servicedesk.services.people import project_managers
from propdesk.stewardship.rules.vacant import next_due
from propdesk.stewardship.selectors.vacant import overdue_homes


def vacant_overdue_sweep(*, now: datetime) -> int:
    """Tell the project managers about each overdue vacant home not told for this period; returns how many
    notifications were added."""
    today = timezone.localdate(now)
    rooms, checklists = overdue_homes(today=today)
    managers: dict[int, list] = {}
    told = 0
    for room in rooms.iterator(chunk_size=500):
        if room.project_id not in managers:
            managers[room.project_id] = project_managers(room.project_id)
        due = next_due(last_day=room.last_day, interval_days=checklists[room.project_id].interval_days)
        if room.last_day:
            body = _("Last inspected %(last)s, due %(due)s.") % {"last": room.last_day, "due": due}
        else:
            body = _("Never inspected since it is vacant.")
        told += len(notify_users(
            users=managers[room.project_id], event=f"vacant-overdue:{room.pk}:{due or 'never'}",
            kind="vacant_overdue", title=_("Vacant home %(project)s %(code)s: inspection overdue") % {
                "project": room.project.name, "code": room.code},
            body=body, url=reverse("stewardship:vacant_home", args=[room.pk]), email=False))
    return told
