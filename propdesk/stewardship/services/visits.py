"""Writes of home visits 拜访: the project's plans (default ones on first use) and the visit record, whose needs
become requests in the same transaction (``findings.finding_to_request``): a refused need writes nothing at all.

Quiet hours: a visit *in person* recorded at a time inside the company's quiet hours (``Company.quiet_hours_start``
/ ``_end``, 21:00–08:00 by default) is refused — a steward does not knock on doors then (DESIGN §4); a phone call
then is allowed (the resident may have asked to be called back late)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.servicedesk.choices import Kind

from ..models import HomeVisit, HomeVisitNeed, HomeVisitPlan
from ..models.visits import VisitFrequency, VisitImpression, VisitTarget, VisitWay
from ..rules import visits as rules
from .findings import finding_to_request

DEFAULT_PLANS = (
    (VisitTarget.ELDERLY_ALONE, VisitFrequency.MONTHLY, 3),
    (VisitTarget.VIP, VisitFrequency.QUARTERLY, 3),
    (VisitTarget.FREQUENT_COMPLAINANT, VisitFrequency.AFTER_COMPLAINT, 3),
    (VisitTarget.FORMER_COMMITTEE, VisitFrequency.QUARTERLY, 3),
)
NEED_KINDS = (Kind.REPAIR, Kind.HELP, Kind.INQUIRY, Kind.COMPLAINT, Kind.SUGGESTION)
MAX_NEEDS = 10
MAX_BACKDATE_DAYS = 31
TEXT_LIMITS = {"met": 100, "discussed": 2000}


def plans_ensure_defaults(*, project, now: datetime, actor=None) -> int:
    """The four default plans for a project that has none yet (its first use); the number created."""
    if HomeVisitPlan.objects.filter(project=project).exists():
        return 0
    HomeVisitPlan.objects.bulk_create(
        [HomeVisitPlan(project=project, target=target, frequency=frequency, after_complaint_days=days,
                       updated_at=now, updated_by=actor) for target, frequency, days in DEFAULT_PLANS],
        ignore_conflicts=True)
    return len(DEFAULT_PLANS)


def _plan_errors(target, frequency, after_days) -> dict:
    errors: dict[str, list[str]] = {}
    if target not in VisitTarget.values:
        errors["target"] = [_("Choose whom the plan covers.")]
    if frequency not in VisitFrequency.values:
        errors["frequency"] = [_("Choose how often to visit.")]
    if not isinstance(after_days, int) or not 1 <= after_days <= 30:
        errors["after_complaint_days"] = [_("Between 1 and 30 days.")]
    return errors


@transaction.atomic
def plan_save(*, actor, project, target: str, frequency: str, after_complaint_days: int = 3, active: bool = True,
              plan: HomeVisitPlan | None = None, now: datetime) -> HomeVisitPlan:
    """Create a plan (``plan`` None) or change one; one plan a target in a project."""
    errors = _plan_errors(target, frequency, after_complaint_days)
    taken = HomeVisitPlan.objects.filter(project=project, target=target)
    if plan is not None:
        taken = taken.exclude(pk=plan.pk)
    if not errors and taken.exists():
        errors["target"] = [_("This project already has a plan for these residents: change that one.")]
    if errors:
        raise ApplicationError(_("The plan was not saved."), {"fields": errors}, status_code=422)
    plan = plan or HomeVisitPlan(project=project)
    plan.target, plan.frequency, plan.after_complaint_days, plan.active = (target, frequency, after_complaint_days,
                                                                          active)
    plan.updated_at, plan.updated_by = now, actor
    plan.save()
    return plan


@transaction.atomic
def plan_delete(*, plan: HomeVisitPlan) -> None:
    plan.delete()


@dataclass
class NeedInput:
    description: str
    kind: str = Kind.REPAIR
    make_request: bool = True


@dataclass
class VisitInput:
    way: str
    visited_at: datetime | None
    met: str
    discussed: str
    impression: str
    needs: list[NeedInput] = field(default_factory=list)


def _validate(resident, data: VisitInput, now: datetime) -> dict:
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if data.way not in VisitWay.values:
        add("way", _("Choose phone or in person."))
    if data.impression not in VisitImpression.values:
        add("impression", _("Choose the resident's satisfaction."))
    for name, limit in TEXT_LIMITS.items():
        text = (getattr(data, name) or "").strip()
        if not text:
            add(name, _("This field is required."))
        elif len(text) > limit:
            add(name, _("At most %(limit)s characters (this has %(length)s).") % {"limit": limit, "length": len(text)})
    when = data.visited_at
    if when is None:
        add("visited_at", _("Enter when the visit took place."))
    else:
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        if when > now + timedelta(minutes=5):
            add("visited_at", _("A visit cannot be recorded before it takes place."))
        elif when < now - timedelta(days=MAX_BACKDATE_DAYS):
            add("visited_at", _("Record a visit within %(days)s days.") % {"days": MAX_BACKDATE_DAYS})
        company = resident.project.company
        local = timezone.localtime(when).time()
        if data.way == VisitWay.IN_PERSON and rules.in_quiet_hours(local, company.quiet_hours_start,
                                                                   company.quiet_hours_end):
            add("visited_at", _("%(start)s–%(end)s are residents' rest hours: no visits in person then.")
                % {"start": company.quiet_hours_start.strftime("%H:%M"),
                   "end": company.quiet_hours_end.strftime("%H:%M")})
    if len(data.needs) > MAX_NEEDS:
        add("needs", _("At most %(count)s needs a visit.") % {"count": MAX_NEEDS})
    for need in data.needs:
        description = (need.description or "").strip()
        if not description:
            add("needs", _("Describe each need found (or remove the empty one)."))
        elif len(description) > 500:
            add("needs", _("At most %(limit)s characters (this has %(length)s).") % {"limit": 500,
                                                                                    "length": len(description)})
        if need.kind not in NEED_KINDS:
            add("needs", _("Choose the kind of each need."))
    return errors


@transaction.atomic
def visit_record(*, actor, resident, data: VisitInput, now: datetime, room=None) -> HomeVisit:
    """Record a home visit of ``resident`` (in ``actor``'s scope, checked by the caller) by ``actor``; each need
    marked ``make_request`` becomes a request reported by the resident (channel staff), dispatched by the rules."""
    errors = _validate(resident, data, now)
    if errors:
        raise ApplicationError(_("The visit was not recorded."), {"fields": errors}, status_code=422)
    if room is None:
        occupancy = resident.occupancies.current(on=timezone.localdate(now)).order_by("id").first()
        room = occupancy.room if occupancy else None
    visited_at = data.visited_at if timezone.is_aware(data.visited_at) else timezone.make_aware(data.visited_at)
    visit = HomeVisit.objects.create(project=resident.project, resident=resident, room=room, steward=actor,
                                     way=data.way, visited_at=visited_at, met=data.met.strip(),
                                     discussed=data.discussed.strip(), impression=data.impression, created_at=now)
    for need in data.needs:
        request = None
        if need.make_request:
            try:
                request = finding_to_request(
                    actor=actor, project=resident.project, description=need.description.strip(), now=now,
                    channel="staff", kind=need.kind, room_id=room.pk if room else None, reporter_id=resident.pk)
            except ApplicationError as error:
                details = "; ".join(m for messages in error.field_errors.values() for m in messages)
                raise ApplicationError(_("The visit was not recorded."), {"fields": {"needs": [
                    f"{need.description.strip()[:30]}: {details or error.message}"]}}, status_code=422) from error
        HomeVisitNeed.objects.create(visit=visit, kind=need.kind, description=need.description.strip(),
                                     request=request)
    return visit
