"""Rosters 排班 of the demo: in every project, shift kinds for the engineering department (白班 08:00–20:00, 夜班
20:00–08:00), security (白班 08:00–20:00), the customer service center (早班 08:00–16:00, 中班 16:00–24:00) and the
duty managers (值班经理 18:00–08:00); and a roster from two weeks back to two weeks ahead: the three engineers
rotate day and night, the agents take early and late, the project manager and the two stewards take turns as duty
manager. One deliberate gap: next Monday's engineering night shift has nobody (无人值班), so the roster shows a red
cell and the coverage sweep tells the project manager."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from propdesk.console.demo.spec import staff_username
from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.duty.rules.rosters import shift_instants
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department, Project

# (department kind or "" for duty managers, shift name, starts, ends, people needed, who in turn: username prefixes)
SHIFTS = (
    (DepartmentKind.ENGINEERING, "白班", time(8), time(20), 1, ("tech", "tech2", "tech3")),
    (DepartmentKind.ENGINEERING, "夜班", time(20), time(8), 1, ("tech2", "tech3", "tech")),
    (DepartmentKind.SECURITY, "白班", time(8), time(20), 1, ("security",)),
    (DepartmentKind.CUSTOMER_SERVICE, "早班", time(8), time(16), 1, ("agent", "agent2")),
    (DepartmentKind.CUSTOMER_SERVICE, "中班", time(16), time(0), 1, ("agent2", "agent")),
    ("", "值班经理", time(18), time(8), 1, ("pm", "steward", "steward2")),
)
WEEKS_BACK, WEEKS_AHEAD = 2, 2


def gap_day(today: date) -> date:
    """Next Monday: in next week's roster, and within the coverage sweep's window (today and the 7 days after)
    whatever today is."""
    return today + timedelta(days=7 - today.weekday())


def build_rosters(plan, *, today: date, stdout=None) -> dict[str, int]:
    """Write the demo's shift kinds and roster; returns counts."""
    codes = [p.spec.code for p in plan.projects]
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[staff_username(prefix, code) for code in codes for *_x, turn in SHIFTS for prefix in turn])}
    first, days = today - timedelta(days=7 * WEEKS_BACK), 7 * (WEEKS_BACK + WEEKS_AHEAD) + 1
    gap = gap_day(today)
    kinds, rows = 0, []
    for project in Project.objects.filter(code__in=codes).order_by("id"):
        tz = ZoneInfo(project.timezone or "Asia/Shanghai")
        departments = {d.kind: d for d in Department.objects.filter(project=project)}
        for kind, name, starts, ends, need, turn in SHIFTS:
            department = departments.get(kind) if kind else None
            if kind and department is None:
                continue
            shift = ShiftKind.objects.create(project=project, department=department, name=name, starts=starts,
                                             ends=ends, min_people=need)
            kinds += 1
            people = [users[u] for u in (staff_username(prefix, project.code) for prefix in turn) if u in users]
            if not people:
                continue
            for offset in range(days):
                day = first + timedelta(days=offset)
                if day == gap and kind == DepartmentKind.ENGINEERING and name == "夜班":
                    continue  # the deliberate gap
                person = people[(day - first).days % len(people)]
                starts_at, ends_at = shift_instants(day, starts, ends, tz)
                rows.append(RosterEntry(project=project, department=department, shift=shift, user=person, day=day,
                                        starts_at=starts_at, ends_at=ends_at, created_by=users.get(
                                            staff_username("pm", project.code))))
    RosterEntry.objects.bulk_create(rows, batch_size=1000)
    if stdout is not None:
        stdout.write(f"Rosters: {kinds} shift kinds, {len(rows)} roster entries (gap: {gap:%Y-%m-%d} 工程部夜班)\n")
    return {"shift_kinds": kinds, "roster_entries": len(rows)}
