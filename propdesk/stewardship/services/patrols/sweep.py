"""The patrol sweep (every period of the worker clock): materialise today's and tomorrow's rounds of every active
plan (the unique plan/day/window key makes a second run add nothing), and tell the supervisor once of every round
whose window (+ tolerance) is over without it being finished."""

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from propdesk.servicedesk.services.policy import policy_for

from ...models import PatrolPlan, PatrolRound
from ...models.patrols import PatrolRoundStatus
from ...rules import patrols as rules
from .plans import schedule_of
from .rounds import tell_supervisor


def rounds_materialise(*, now: datetime, days: int = 2, plans=None) -> int:
    """Create the rounds due from today to ``days - 1`` days ahead (each project's own today); returns how many
    were new."""
    plans = list((plans if plans is not None else PatrolPlan.objects.filter(active=True))
                 .select_related("project").order_by("project_id", "id"))
    by_project = defaultdict(list)
    for plan in plans:
        by_project[plan.project_id].append(plan)
    created = 0
    for project_plans in by_project.values():
        project = project_plans[0].project
        calendar = policy_for(project).calendar
        today = now.astimezone(ZoneInfo(project.timezone or "Asia/Shanghai")).date()
        rows = []
        for plan in project_plans:
            for due in rules.due_rounds(schedule_of(plan), today, today + timedelta(days=days - 1),
                                        is_workday=calendar.is_workday):
                rows.append(PatrolRound(plan=plan, project=project, day=due.day, window_index=due.index,
                                        window_start=due.window_start, window_end=due.window_end))
        before = PatrolRound.objects.filter(plan__in=project_plans, day__gte=today).count()
        PatrolRound.objects.bulk_create(rows, ignore_conflicts=True)
        created += PatrolRound.objects.filter(plan__in=project_plans, day__gte=today).count() - before
    return created


def rounds_overdue_sweep(*, now: datetime) -> int:
    """Missed (never started) and overdue (started, unfinished) rounds: the supervisor is told once each."""
    told = 0
    ids = list(PatrolRound.objects.filter(supervisor_told_at__isnull=True, window_end__lt=now - rules.TOLERANCE,
                                          status__in=[PatrolRoundStatus.DUE, PatrolRoundStatus.IN_PROGRESS])
               .values_list("pk", flat=True)[:500])
    for round_id in ids:
        with transaction.atomic():
            round_ = (PatrolRound.objects.select_for_update(of=("self",)).select_related("plan__supervisor")
                      .filter(pk=round_id, supervisor_told_at__isnull=True).first())
            if round_ is None:
                continue
            if round_.status == PatrolRoundStatus.DUE:
                round_.status = PatrolRoundStatus.MISSED
                round_.save(update_fields=["status"])
                tell_supervisor(round_, what="missed", now=now)
            else:
                tell_supervisor(round_, what="overdue", now=now)
            told += 1
    return told


def patrols_sweep(*, now: datetime) -> dict:
    return {"created": rounds_materialise(now=now), "told": rounds_overdue_sweep(now=now)}
