"""Issue 13, roster: a duty-manager shift and a roster entry (the scope's agent on it today) in each scope."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.duty.rules.rosters import shift_instants


def populate(ctx):
    shift = ShiftKind.objects.create(project=ctx.project, department=None, name=f"值班经理{ctx.marker}"[:30],
                                     starts=time(18), ends=time(8), min_people=2)
    person = ctx.people["agent"]
    day = ctx.now.astimezone(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1)
    starts_at, ends_at = shift_instants(day, shift.starts, shift.ends, ZoneInfo("Asia/Shanghai"))
    entry = RosterEntry.objects.create(project=ctx.project, department=None, shift=shift, user=person, day=day,
                                       starts_at=starts_at, ends_at=ends_at, note=f"排班备注{ctx.marker}")
    return ({"roster_shift": shift.pk, "roster_entry": entry.pk, "roster_person": person.pk},
            (shift.name, entry.note))
