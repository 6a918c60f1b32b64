"""JSON API of follow-up visits 回访: /api/followups/….

As on the pages: handlers parse input, fetch through the caller's scope (another project's visit is a 404), call one
service and return a schema. A missing capability is a 403; a bad field a 400 naming it in ``extra.fields`` (a value
of the wrong type a 422); a visit already recorded, unreachable or cancelled a 409 that writes nothing.
``GET /rates`` gives the same figures as the rates page (definitions in selectors/rates.py).
"""

from datetime import datetime
from typing import Literal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.masking import mask_phone
from propdesk.core.views_utils import scoped_404
from propdesk.org.api import Pagination, require
from propdesk.org.models import Project
from propdesk.servicedesk.api.schemas import AwareDateTime
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from . import selectors
from .choices import VisitStatus
from .models import FollowUpVisit
from .selectors.rates import Counts, RateReport, rate_filters, rate_report
from .services.visits import VisitRecord, visit_attempt, visit_record, visit_reschedule, visit_review

router = Router(tags=["followups"])
MAX_ID = 2**63 - 1


def require_visits(request) -> None:
    """Visits are read by those who make them (VISIT) and the project manager who reviews them."""
    if not (user_can(request.user, Capability.VISIT) or user_can(request.user, Capability.REVIEW_VISITS)):
        raise PermissionDenied(_("Your role may not do this."))


def _name(user) -> str | None:
    if user is None:
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else user.get_username()


# --- rates ------------------------------------------------------------------------------------------------

class RateQuery(Schema):
    project: str = Field("", description="Project id; one outside your scope is a 400.")
    department: str = Field("", description="Department id (of the project, when one is given).")
    month_from: str = Field("", alias="from", description="First month, YYYY-MM; default 11 months before `to`.")
    month_to: str = Field("", alias="to", description="Last month, YYYY-MM, not in the future; default this month.")


class CountsOut(Schema):
    due: int = Field(..., description="Visits whose due date falls in the period, cancelled ones excluded.")
    done: int = Field(..., description="Of those, visits recorded (whenever they were done).")
    late: int
    unreachable: int
    pending: int
    rated: int = Field(..., description="Visits with a satisfaction.")
    satisfied: int = Field(..., description="Very satisfied or satisfied.")
    dissatisfied: int = Field(..., description="Dissatisfied or very dissatisfied.")
    visit_rate: float | None = Field(..., description="done ÷ due in percent; null when nothing was due.")
    satisfaction_rate: float | None = Field(..., description="satisfied ÷ rated in percent.")


class KindRateOut(CountsOut):
    key: str
    label: str
    target: int | None = Field(..., description="Required visit rate in percent; null: set by the supervisor.")
    target_note: str
    met: bool | None


class GroupRateOut(CountsOut):
    id: int | None
    name: str


class MonthRateOut(CountsOut):
    month: str = Field(..., description="YYYY-MM, the month the visits were due.")
    kinds: dict[str, CountsOut]


class LevelOut(Schema):
    value: int
    label: str
    count: int
    percent: float | None


class CaseOut(Schema):
    visit_id: int
    request_id: int
    request_number: str
    request_status: str
    project_id: int
    department_id: int | None
    rule: str
    due_by: datetime
    done_at: datetime | None
    satisfaction: int
    shortcomings: str
    decision: str
    follow_request_id: int | None
    follow_request_number: str | None
    follow_request_status: str | None


class OutcomesOut(Schema):
    total: int
    reopened: int
    reopened_closed: int
    complaint: int
    complaint_closed: int
    undecided: int


class RatesOut(Schema):
    period_from: str
    period_to: str
    running: bool = Field(..., description="The period reaches this month: visits due later this month are not done "
                                           "yet, so there is no met/not-met verdict (met is null).")
    project_id: int | None
    department_id: int | None
    total: CountsOut
    kinds: list[KindRateOut]
    satisfaction_levels: list[LevelOut]
    outcomes: OutcomesOut
    cases: list[CaseOut] = Field(..., description="The latest 100 dissatisfied visits of the period.")
    projects: list[GroupRateOut]
    departments: list[GroupRateOut]
    months: list[MonthRateOut]


def _counts(counts: Counts) -> dict:
    return {**counts.__dict__, "visit_rate": counts.visit_rate, "satisfaction_rate": counts.satisfaction_rate}


def _report_out(report: RateReport) -> dict:
    filters = report.filters
    return {
        "period_from": f"{filters.start:%Y-%m}", "period_to": f"{filters.end:%Y-%m}", "running": filters.running,
        "project_id": filters.project.pk if filters.project else None,
        "department_id": filters.department.pk if filters.department else None,
        "total": _counts(report.total),
        "kinds": [{**_counts(k.counts), "key": k.key, "label": k.label, "target": k.target,
                   "met": None if filters.running else k.met,
                   "target_note": "" if k.target is not None else _("set by supervisor")} for k in report.kinds],
        "satisfaction_levels": [level.__dict__ for level in report.levels],
        "outcomes": report.outcomes.__dict__,
        "cases": [{"visit_id": v.pk, "request_id": v.request_id, "request_number": v.request.number,
                   "request_status": v.request.status, "project_id": v.project_id, "department_id": v.department_id,
                   "rule": v.rule, "due_by": v.due_by, "done_at": v.done_at, "satisfaction": v.satisfaction,
                   "shortcomings": v.shortcomings, "decision": v.decision, "follow_request_id": v.follow_request_id,
                   "follow_request_number": v.follow_request.number if v.follow_request else None,
                   "follow_request_status": v.follow_request.status if v.follow_request else None}
                  for v in report.cases],
        "projects": [{**_counts(g.counts), "id": g.id, "name": g.name} for g in report.projects],
        "departments": [{**_counts(g.counts), "id": g.id, "name": g.name} for g in report.departments],
        "months": [{**_counts(m.counts), "month": f"{m.month:%Y-%m}",
                    "kinds": {key: _counts(c) for key, c in m.kinds.items()}} for m in report.months],
    }


@router.get("/rates", response=RatesOut, summary="Visit rate per kind against its target, satisfaction, "
            "dissatisfied cases — per project, department and month (VIEW_RATES)",
            description="A visit counts in the month it was due, whatever month it was done. Cancelled visits "
                        "are left out. A future or reversed period, or a project outside your scope, is a 400.")
def rates(request, query: Query[RateQuery]):
    require(request, Capability.VIEW_RATES)
    filters = rate_filters(user=request.user, project=query.project, department=query.department,
                           month_from=query.month_from, month_to=query.month_to)
    return _report_out(rate_report(user=request.user, filters=filters))


# --- visits -----------------------------------------------------------------------------------------------

class VisitFilters(Schema):
    status: VisitStatus | None = None
    due: Literal["today", "overdue", "upcoming"] | None = Field(
        None, description="Pending visits only: overdue (window closed), today (window open or opening today), "
                          "upcoming (opens after today) — as in the visit queue.")
    project: int | None = Field(None, ge=1, le=MAX_ID)
    visitor: str = Field("", pattern=r"^(me|\d{1,18})?$", description="me, or a user id.")


class VisitOut(Schema):
    id: int
    request_id: int
    request_number: str = Field(..., alias="request.number")
    project_id: int
    project_name: str = Field(..., alias="project.name")
    department_id: int | None
    kind: str
    rule: str
    status: str
    handled_at: datetime
    due_from: datetime
    due_by: datetime
    visitor_id: int | None
    visitor_name: str | None
    visitor_role: str
    attempts: int
    reschedule_reason: str
    handed_over_at: datetime | None
    done_at: datetime | None
    late: bool
    method: str
    satisfaction: int | None
    decision: str
    follow_request_id: int | None
    reviewed_at: datetime | None

    @staticmethod
    def resolve_visitor_name(visit) -> str | None:
        return _name(visit.visitor)


class AttemptOut(Schema):
    at: datetime
    by_name: str | None
    outcome: str
    note: str

    @staticmethod
    def resolve_by_name(attempt) -> str | None:
        return _name(attempt.by)


class VisitDetailOut(VisitOut):
    description: str = Field(..., alias="request.description")
    location: str = Field(..., alias="request.location_label")
    contact_name: str = Field(..., alias="request.contact_name")
    contact_phone: str = Field(..., description="Masked.")
    quality: str
    effect: str
    shortcomings: str
    suggestions: str
    confirmation: str
    recorded_by_name: str | None
    decision_note: str
    follow_request_number: str | None
    review_comment: str
    reviewed_by_name: str | None
    attempt_log: list[AttemptOut] = Field(..., alias="attempt_rows")

    @staticmethod
    def resolve_contact_phone(visit) -> str:
        return mask_phone(visit.request.contact_phone)

    @staticmethod
    def resolve_recorded_by_name(visit) -> str | None:
        return _name(visit.recorded_by)

    @staticmethod
    def resolve_reviewed_by_name(visit) -> str | None:
        return _name(visit.reviewed_by)

    @staticmethod
    def resolve_follow_request_number(visit) -> str | None:
        return visit.follow_request.number if visit.follow_request_id else None


class AttemptIn(Schema):
    outcome: str = Field(..., description="no_answer, busy, wrong_number or call_back.")
    note: str = Field("", max_length=200)


class RescheduleIn(Schema):
    due_by: AwareDateTime
    reason: str = Field(..., max_length=200)


class RecordIn(Schema):
    method: str = Field(..., description="phone, face_to_face or online (online not for complaints).")
    satisfaction: int = Field(..., description="5 very satisfied … 1 very dissatisfied.")
    quality: str = Field("", description="good, fair or poor.")
    effect: str = Field("", max_length=4000)
    shortcomings: str = Field("", max_length=4000)
    suggestions: str = Field("", max_length=4000)
    confirmation: str = Field("phone", description="phone, signed or online.")


class ReviewIn(Schema):
    comment: str = Field(..., max_length=4000)


def _due_condition(due: str, now: datetime) -> Q:
    """The sections of the visit queue (selectors.visit_queue): pending, then by window."""
    tomorrow = selectors.start_of_tomorrow(now)
    return Q(status=VisitStatus.PENDING) & {
        "overdue": Q(due_by__lt=now),
        "today": Q(due_by__gte=now, due_from__lt=tomorrow),
        "upcoming": Q(due_by__gte=now, due_from__gte=tomorrow),
    }[due]


@router.get("/visits", response=list[VisitOut], summary="Visits in scope, by status, due section, project and "
            "visitor (VISIT or REVIEW_VISITS)")
@paginate(Pagination)
def visit_list(request, filters: Query[VisitFilters]):
    require_visits(request)
    visits = FollowUpVisit.objects.restrict(request.user).select_related("request", "project",
                                                                         "visitor__staff_profile")
    if filters.project is not None:
        if not Project.objects.restrict(request.user).filter(pk=filters.project).exists():
            raise ApplicationError(_("Please correct the marked fields."),
                                   {"fields": {"project": [_("No such project in your scope.")]}})
        visits = visits.filter(project_id=filters.project)
    if filters.status:
        visits = visits.filter(status=filters.status)
    if filters.due:
        visits = visits.filter(_due_condition(filters.due, timezone.now()))
    if filters.visitor:
        visits = visits.filter(visitor_id=request.user.pk if filters.visitor == "me" else int(filters.visitor))
    return visits.order_by("due_by", "id")


def _detail(request, visit_id: int) -> FollowUpVisit:
    with scoped_404():
        visit = selectors.visit_detail(user=request.user, visit_id=visit_id)
    visit.attempt_rows = list(selectors.visit_attempts(visit=visit))
    return visit


@router.get("/visits/{int:visit_id}", response=VisitDetailOut, summary="A visit with its request, its record, the "
            "manager's review and every call attempt (contact phone masked)")
def visit_get(request, visit_id: int):
    require_visits(request)
    return _detail(request, visit_id)


@router.post("/visits/{int:visit_id}/attempts", response={201: VisitDetailOut},
             summary="A call that did not reach the resident; after the policy's attempts the visit is unreachable")
def visit_attempt_api(request, visit_id: int, payload: AttemptIn):
    require(request, Capability.VISIT)
    visit = _detail(request, visit_id)
    visit_attempt(visit=visit, actor=request.user, outcome=payload.outcome, note=payload.note)
    return Status(201, _detail(request, visit.pk))


@router.post("/visits/{int:visit_id}/reschedule", response=VisitDetailOut,
             summary="Move a pending visit to a later time, with the reason")
def visit_reschedule_api(request, visit_id: int, payload: RescheduleIn):
    require(request, Capability.VISIT)
    visit = _detail(request, visit_id)
    visit_reschedule(visit=visit, actor=request.user, due_by=payload.due_by, reason=payload.reason)
    return _detail(request, visit.pk)


@router.post("/visits/{int:visit_id}/record", response=VisitDetailOut,
             summary="The visit record (《回访记录表》); late outside the window; dissatisfied → reopen or complaint",
             description="Satisfaction outside 1–5 is a 400 naming `satisfaction`; a visit already recorded, "
                         "unreachable or cancelled is a 409; either way nothing is written.")
def visit_record_api(request, visit_id: int, payload: RecordIn):
    require(request, Capability.VISIT)
    visit = _detail(request, visit_id)
    visit_record(visit=visit, actor=request.user, record=VisitRecord(**payload.model_dump()))
    return _detail(request, visit.pk)


@router.post("/visits/{int:visit_id}/review", response=VisitDetailOut,
             summary="The project manager's comment on a recorded visit (REVIEW_VISITS)")
def visit_review_api(request, visit_id: int, payload: ReviewIn):
    require(request, Capability.REVIEW_VISITS)
    visit = _detail(request, visit_id)
    visit_review(visit=visit, actor=request.user, comment=payload.comment)
    return _detail(request, visit.pk)
