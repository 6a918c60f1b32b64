"""Patrol reads, scoped by user: rounds of a day (also for the morning page), my rounds, a round with its
checkpoints, plans, a checkpoint by its QR token, and the report (aggregates in SQL)."""

from datetime import date

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse

from propdesk.staff.permissions import user_role

from ..models import PatrolCheckpoint, PatrolFinding, PatrolPlan, PatrolRound, PatrolVisit
from ..models.patrols import PatrolRoundStatus

S = PatrolRoundStatus


def _round_dict(round_) -> dict:
    plan = round_.plan
    who = round_.started_by
    return {"plan_name": plan.name, "window_start": round_.window_start, "window_end": round_.window_end,
            "assignee_name": _name(who) if who else plan.assignee_label,
            "status": round_.status, "status_label": round_.get_status_display(),
            "url": reverse("stewardship:patrol_round", args=[round_.pk])}


def _name(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return (profile.display_name if profile else "") or user.get_username()


def _with_people(queryset):
    return queryset.select_related("plan__assignee__staff_profile", "started_by__staff_profile", "project")


def rounds_of_day(*, user, day) -> list:
    """Patrol rounds scheduled on ``day`` that ``user`` may see, as dicts {"plan_name", "window_start", "window_end",
    "assignee_name", "status", "status_label", "url"}."""
    rounds = _with_people(PatrolRound.objects.restrict(user).filter(day=day)).order_by("window_start", "plan_id")
    return [_round_dict(r) for r in rounds]


def mine_filter(user) -> Q:
    """Rounds ``user`` may walk: their plans, plans given to their role on their project, rounds they started."""
    profile = getattr(user, "staff_profile", None)
    q = Q(plan__assignee_id=user.pk) | Q(started_by_id=user.pk)
    if profile is not None and profile.project_id:
        q |= Q(plan__assignee__isnull=True, plan__assignee_role=user_role(user), project_id=profile.project_id)
    return q


def my_rounds(*, user, day: date):
    return list(_with_people(PatrolRound.objects.restrict(user).filter(mine_filter(user), day=day))
                .order_by("window_start", "plan_id"))


def round_detail(*, user, round_id: int) -> PatrolRound:
    """The round (DoesNotExist outside the user's scope) with ``points``: its plan's checkpoints, each with
    ``visit`` (or None) and the visit's findings."""
    round_ = _with_people(PatrolRound.objects.restrict(user)).select_related("plan__supervisor").get(pk=round_id)
    visits = {v.checkpoint_id: v for v in PatrolVisit.objects.filter(round=round_).prefetch_related(
        Prefetch("found", queryset=PatrolFinding.objects.select_related("request")))}
    round_.points = []
    for checkpoint in round_.plan.checkpoints.select_related("common_area", "building"):
        checkpoint.visit = visits.get(checkpoint.pk)
        round_.points.append(checkpoint)
    return round_


def plan_list(*, user):
    return list(PatrolPlan.objects.restrict(user).select_related("project", "assignee__staff_profile",
                                                                  "supervisor__staff_profile")
                .annotate(checkpoint_count=Count("checkpoints")).order_by("project_id", "name", "id"))


def plan_detail(*, user, plan_id: int) -> PatrolPlan:
    plan = (PatrolPlan.objects.restrict(user).select_related("project", "assignee__staff_profile",
                                                              "supervisor__staff_profile").get(pk=plan_id))
    plan.points = list(plan.checkpoints.select_related("common_area", "building"))
    return plan


def checkpoint_detail(*, user, checkpoint_id: int) -> PatrolCheckpoint:
    return PatrolCheckpoint.objects.restrict(user).select_related("plan", "common_area", "building").get(
        pk=checkpoint_id)


def checkpoint_by_token(*, user, token: str) -> PatrolCheckpoint:
    """The checkpoint a QR code names (DoesNotExist when unknown or outside the user's scope)."""
    return PatrolCheckpoint.objects.restrict(user).select_related("plan", "common_area").get(token=str(token)[:32])


def open_round_for(*, user, checkpoint: PatrolCheckpoint):
    """The user's round in progress on the checkpoint's plan, else any of theirs in progress (another plan)."""
    rounds = PatrolRound.objects.restrict(user).filter(status=S.IN_PROGRESS, started_by_id=user.pk)
    return (rounds.filter(plan_id=checkpoint.plan_id).order_by("-window_start").first()
            or rounds.order_by("-window_start").first())


COUNTS = {
    "rounds": Count("id"),
    "on_time": Count("id", filter=Q(status=S.ON_TIME)),
    "late": Count("id", filter=Q(status=S.LATE)),
    "missed": Count("id", filter=Q(status=S.MISSED)),
    "open": Count("id", filter=Q(status__in=[S.DUE, S.IN_PROGRESS])),
    "findings": Sum("findings"),
}


def patrol_report(*, user, first: date, last: date, project_id: int | None = None) -> dict:
    """Completion (on time / late / missed) and findings per plan, per person and per month, days ``first`` to
    ``last``; rounds still ahead are left out."""
    rounds = PatrolRound.objects.restrict(user).filter(day__gte=first, day__lte=last)
    if project_id:
        rounds = rounds.filter(project_id=project_id)
    by_plan = list(rounds.values("plan_id", "plan__name", "project__name").annotate(**COUNTS)
                   .order_by("project__name", "plan__name"))
    by_person = list(rounds.exclude(started_by=None).values("started_by_id", "started_by__staff_profile__display_name",
                                                            "started_by__username")
                     .annotate(**COUNTS).order_by("-rounds", "started_by_id"))
    by_month = list(rounds.annotate(month=TruncMonth("day")).values("month").annotate(**COUNTS).order_by("month"))
    total = rounds.aggregate(**COUNTS)
    for row in [*by_plan, *by_person, *by_month, total]:
        row["findings"] = row["findings"] or 0
        closed = row["on_time"] + row["late"] + row["missed"]
        row["rate"] = round(100 * row["on_time"] / closed) if closed else None
    for row in by_person:
        row["name"] = row["started_by__staff_profile__display_name"] or row["started_by__username"]
    return {"by_plan": by_plan, "by_person": by_person, "by_month": by_month, "total": total}


def month_bounds(text: str, *, today: date) -> tuple[date, date, str]:
    """The first day and the last day so far (not after ``today``) of the month "YYYY-MM" (default: this one)."""
    try:
        year, month = (int(p) for p in str(text).split("-"))
        first = date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError(text)
    except (ValueError, TypeError):
        first = today.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    last = min(following.toordinal() - 1, today.toordinal())
    return first, date.fromordinal(max(last, first.toordinal())), f"{first:%Y-%m}"
