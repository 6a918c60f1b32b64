"""The demo company: a realistic property-management company built deterministically from a seed.

Two phases. ``plan_demo`` is pure Python: from ``random.Random(seed)``, a scale and "today" it decides every
building, room, person, phone and occupancy (no database, no global random, no Faker), so one seed gives the
same data. ``build_demo`` writes that plan in one transaction with ``bulk_create`` and reports counts and the
demo logins. Dates are relative to "today" so that the demo always looks current; for a given seed and day the
data are identical.

At scale 1.0: one company, 2 branches, 4 projects, about 10,000 rooms and 15,000 residents.

The package, by domain: ``spec`` (what the company looks like), ``names`` (names, phones, ID numbers), ``plan`` (the
plan's data), ``org`` (buildings, rooms, common areas), ``people`` (residents and staff), ``write`` (writing the plan),
``history`` (a year of requests, work orders and timelines), ``visits`` (their follow-up visits), ``fees`` (a year
of bills and payments, readings, dunning; ``fees_payments``, ``fees_dunning``), ``setup`` (day-one settings and paid
repairs), ``reports`` (public service reports), ``notices`` (notices and an incident with a scope)
and ``read`` (counts, logins, reset); then the steward's and the center's day: ``zones``, ``staffdesk``, ``rosters``,
``logs``, ``home_visits``, ``patrols``, ``vacant``.
"""

from __future__ import annotations

import time
from datetime import date

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from propdesk.console.demo.fees import build_fees
from propdesk.console.demo.follow import build_follow
from propdesk.console.demo.history import build_history
from propdesk.console.demo.home_visits import build_home_visits
from propdesk.console.demo.knowledge import build_knowledge
from propdesk.console.demo.logs import build_logs
from propdesk.console.demo.movein import build_movein
from propdesk.console.demo.names import _Context
from propdesk.console.demo.notices import build_notices
from propdesk.console.demo.org import _plan_buildings, _plan_common_areas
from propdesk.console.demo.patrols import build_patrols
from propdesk.console.demo.people import _assign_archive_numbers, _choose_resident_logins, _plan_residents, _plan_staff
from propdesk.console.demo.plan import DemoPlan, ProjectPlan
from propdesk.console.demo.read import (
    DemoLogin,
    DemoSummary,
    demo_counts,
    demo_logins,
    demo_present,
    demo_reset,
    demo_usernames,
    format_logins,
)
from propdesk.console.demo.renovation_inspections import build_renovation_inspections
from propdesk.console.demo.renovations import build_renovations
from propdesk.console.demo.reports import build_reports
from propdesk.console.demo.rosters import build_rosters
from propdesk.console.demo.setup import build_setup
from propdesk.console.demo.spec import BRANCHES, DEMO_PASSWORD, PROJECT_DEPARTMENTS, PROJECTS, staff_username
from propdesk.console.demo.staffdesk import build_staffdesk
from propdesk.console.demo.vacant import build_vacant
from propdesk.console.demo.violations import build_violations
from propdesk.console.demo.visits import build_visits
from propdesk.console.demo.wording import build_wording
from propdesk.console.demo.write import _say, _write
from propdesk.console.demo.zones import build_zones

__all__ = [
    "DEMO_PASSWORD",
    "DemoLogin",
    "DemoPlan",
    "DemoSummary",
    "build_demo",
    "demo_counts",
    "demo_logins",
    "demo_present",
    "demo_reset",
    "demo_usernames",
    "format_logins",
    "plan_demo",
    "staff_username",
]

def plan_demo(*, seed: int, scale: float = 1.0, today: date) -> DemoPlan:
    """Decide every row of the demo. Pure: the same arguments give the same plan."""
    ctx = _Context(seed, today)
    branches = {b.code: b for b in BRANCHES}
    projects = []
    for spec in PROJECTS:
        plan = ProjectPlan(spec=spec, branch=branches[spec.branch])
        plan.buildings = _plan_buildings(ctx, spec, scale)
        plan.common_areas = _plan_common_areas(spec, plan.buildings)
        plan.department_phones = {kind: ctx.landline(plan.branch) for kind, _label in PROJECT_DEPARTMENTS}
        _plan_residents(ctx, plan)
        _assign_archive_numbers(plan)
        projects.append(plan)
    staff = _plan_staff(ctx, projects)
    _choose_resident_logins(projects[0])
    return DemoPlan(seed=seed, scale=scale, today=today, projects=projects, staff=staff)

def build_demo(*, seed: int, scale: float = 1.0, stdout=None, today: date | None = None,
               stewards_day: bool = True) -> DemoSummary:
    """Build the demo company in one transaction. The database should hold no demo data yet. ``stewards_day``
    False leaves out zones, rosters, logs, home visits, patrols and vacant homes (issue 13), renovations, handovers
    and violations (issue 14): the history's own invariants (numbering in order of arrival, old work closed) are
    checked on the history alone, because the findings of patrols and visits are recorded as requests through the
    services after it."""
    started = time.monotonic()
    today = today or timezone.localdate()
    plan = plan_demo(seed=seed, scale=scale, today=today)
    _say(stdout, f"Planned the demo (seed {seed}, scale {scale:g}) in {time.monotonic() - started:.1f} s;"
                 " writing…")
    # No query log while writing: with DEBUG on (the local demo) Django would keep and format every one of the
    # build's half a million statements, a fifth of its time.
    with transaction.atomic(), override_settings(DEBUG=False):
        _write(plan, stdout)
        build_history(plan, stdout=stdout)  # a year of requests, work orders and timelines
        build_visits(plan, stdout=stdout)  # their follow-up visits 回访
        build_fees(plan, today=today, stdout=stdout)  # a year of bills, payments, readings, dunning 收费
        build_setup(plan, today=today, stdout=stdout)  # day one: policy, price lists, dispatch rules, paid repairs
        build_follow(today=today, stdout=stdout)  # resident1's requests to follow in the app: quote, confirm, hurry
        build_reports(today=today, stdout=stdout)  # the public service reports 物业服务报告
        build_notices(today=today, stdout=stdout)  # notices 公告 and an incident with an affected scope
        if stewards_day:
            # The steward's and the center's day (issue 13), after the rest: zones first, the others read them.
            build_zones(plan, today=today, stdout=stdout)  # a steward per building 责任区, first-contact tasks
            build_staffdesk(plan, today=today, stdout=stdout)  # skills and certificates of the field staff
            build_rosters(plan, today=today, stdout=stdout)  # shifts and four weeks of roster 排班, one gap next week
            build_logs(plan, today=today, stdout=stdout)  # a month of work and duty logs 工作日志 / 值班记录
            build_home_visits(plan, today=today, stdout=stdout)  # visit plans and three months of home visits 拜访
            build_patrols(plan, today=today, stdout=stdout)  # patrol plans 巡检, a month of rounds with findings
            build_vacant(plan, today=today, stdout=stdout)  # vacant homes 空置房: three months of inspections
            # Renovation, move-in and violations (issue 14): violations link to the renovations built before them.
            build_renovations(plan, today=today, stdout=stdout)  # applications 装修 waiting, flagged, refused, approved
            build_renovation_inspections(plan, today=today, stdout=stdout)  # inspections, rectification, 验收, refunds
            build_movein(plan, today=today, stdout=stdout)  # a building being handed over 交房: slots, defects
            build_violations(plan, today=today, stdout=stdout)  # violations 违章 over eleven months, every state
            build_knowledge(plan, today=today, stdout=stdout)  # the case library 案例库 and standard answers 标准答复
        build_wording(plan, today=today, stdout=stdout)  # forbidden phrases that went out, per agent (issue 16)
    return _summary(seed, scale, started)


def _summary(seed: int, scale: float, started: float) -> DemoSummary:
    return DemoSummary(seed=seed, scale=scale, counts=demo_counts(), elapsed=time.monotonic() - started,
                       logins=demo_logins())
