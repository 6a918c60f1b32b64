"""Making the visit: attempts, rescheduling, the record (《回访记录表》), the manager's review, and what a dissatisfied
resident leads to (the resident's own online rating is in rating.py). Each function is one transaction; bad input
raises ApplicationError and writes nothing."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.notify.services import notify_users
from propdesk.servicedesk.choices import Channel, EventKind, Kind, Severity
from propdesk.servicedesk.rules.intake import TEXT_LIMITS
from propdesk.servicedesk.services import people
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.timeline import event_add
from propdesk.servicedesk.services.workorders import workorder_act

from ..choices import (
    DISSATISFIED_LEVELS,
    AttemptOutcome,
    Confirmation,
    Decision,
    Quality,
    Satisfaction,
    VisitMethod,
    VisitStatus,
)
from ..models import FollowUpVisit, VisitAttempt
from ..rules.schedule import is_late, rule_for
from .policy import visit_policy_for


def _fail(message, fields=None, status=400):
    raise ApplicationError(message, {"fields": fields} if fields else {}, status_code=status)


def _lock_pending(visit: FollowUpVisit) -> FollowUpVisit:
    visit = FollowUpVisit.objects.select_for_update().select_related("request", "project").get(pk=visit.pk)
    if visit.status != VisitStatus.PENDING:
        _fail(_("This visit is already %(status)s.") % {"status": visit.get_status_display()}, status=409)
    return visit


@transaction.atomic
def visit_attempt(*, visit: FollowUpVisit, actor, outcome: str, note: str = "",
                  now: datetime | None = None) -> FollowUpVisit:
    """A call that did not reach the resident. After the policy's number of attempts the visit is unreachable."""
    now = now or timezone.now()
    if outcome not in AttemptOutcome.values:
        _fail(_("Please correct the marked fields."), {"outcome": [_("Choose what happened on the call.")]})
    visit = _lock_pending(visit)
    VisitAttempt.objects.create(visit=visit, at=now, by=actor, outcome=outcome, note=note.strip()[:200])
    visit.attempts += 1
    if visit.attempts >= visit_policy_for(visit.project.company_id).max_attempts:
        visit.status = VisitStatus.UNREACHABLE
        visit.done_at = now
    visit.save(update_fields=["attempts", "status", "done_at", "updated_at"])
    event_add(request=visit.request, kind=EventKind.CALL, actor=actor, at=now, internal=True, action="visit_attempt",
              message=_("Follow-up call: %(outcome)s. %(note)s") % {
                  "outcome": AttemptOutcome(outcome).label, "note": note.strip()})
    return visit


@transaction.atomic
def visit_reschedule(*, visit: FollowUpVisit, actor, due_by: datetime, reason: str,
                     now: datetime | None = None) -> FollowUpVisit:
    now = now or timezone.now()
    errors = {}
    if not reason.strip():
        errors["reason"] = [_("Say why the visit is moved.")]
    if due_by <= now:
        errors["due_by"] = [_("This time is in the past.")]
    if errors:
        _fail(_("Please correct the marked fields."), errors)
    visit = _lock_pending(visit)
    visit.due_by, visit.reschedule_reason = due_by, reason.strip()[:200]
    visit.due_from = min(visit.due_from, due_by)
    visit.save(update_fields=["due_by", "due_from", "reschedule_reason", "updated_at"])
    event_add(request=visit.request, kind=EventKind.COMMENT, actor=actor, at=now, internal=True,
              action="visit_reschedule", message=_("Follow-up visit moved to %(when)s: %(reason)s") % {
                  "when": f"{timezone.localtime(due_by):%Y-%m-%d %H:%M}", "reason": reason.strip()})
    return visit


@dataclass
class VisitRecord:
    method: str
    satisfaction: int
    quality: str = ""
    effect: str = ""
    shortcomings: str = ""
    suggestions: str = ""
    confirmation: str = Confirmation.PHONE


@transaction.atomic
def visit_record(*, visit: FollowUpVisit, actor, record: VisitRecord,
                 now: datetime | None = None) -> FollowUpVisit:
    """Write the visit record. Outside the window it is accepted and flagged late. A dissatisfied resident is
    reported to the branch and the request reopened, or a linked complaint created, by the company's policy."""
    now = now or timezone.now()
    errors = {}
    if record.method not in VisitMethod.values:
        errors["method"] = [_("Choose how the visit was made.")]
    if isinstance(record.satisfaction, bool) or record.satisfaction not in Satisfaction.values:
        errors["satisfaction"] = [_("Choose a satisfaction level from very satisfied to very dissatisfied.")]
    if record.quality and record.quality not in Quality.values:
        errors["quality"] = [_("Unknown quality level.")]
    if record.confirmation not in Confirmation.values:
        errors["confirmation"] = [_("Record how the resident confirmed.")]
    if errors:
        _fail(_("Please correct the marked fields."), errors)
    visit = _lock_pending(visit)
    policy = visit_policy_for(visit.project.company_id)
    if record.method == VisitMethod.ONLINE and not rule_for(visit.kind, policy.rules).online_allowed:
        _fail(_("A complaint is always followed up by a call or in person."), {"method": [
            _("A complaint is always followed up by a call or in person.")]}, status=409)
    visit.status, visit.done_at, visit.late = VisitStatus.DONE, now, is_late(now, visit.due_by)
    visit.method, visit.satisfaction, visit.quality = record.method, record.satisfaction, record.quality
    visit.effect, visit.shortcomings = record.effect.strip(), record.shortcomings.strip()
    visit.suggestions, visit.confirmation = record.suggestions.strip(), record.confirmation
    visit.recorded_by = actor
    visit.save()
    event_add(request=visit.request, kind=EventKind.CALL, actor=actor, at=now, action="visit",
              message=_("Follow-up visit (%(method)s): %(satisfaction)s. %(shortcomings)s") % {
                  "method": VisitMethod(record.method).label, "satisfaction": Satisfaction(record.satisfaction).label,
                  "shortcomings": visit.shortcomings},
              data={"method": record.method, "satisfaction": record.satisfaction})  # the resident's step (portal)
    if record.satisfaction in DISSATISFIED_LEVELS:
        _handle_dissatisfied(visit, actor, policy.on_dissatisfied, now)
    return visit


def _handle_dissatisfied(visit: FollowUpVisit, actor, on_dissatisfied: str, now: datetime) -> None:
    request = visit.request
    url = reverse("servicedesk:request_detail", args=[request.pk])
    notify_users(users=people.branch_leaders(request.project.branch_id), kind="dissatisfied", url=url,
                 event=f"dissatisfied:{visit.pk}", body=visit.shortcomings or visit.effect,
                 title=_("Resident dissatisfied after %(number)s") % {"number": request.number})
    reopened = 0
    if on_dissatisfied == "reopen":
        for order in request.work_orders.filter(status="completed").order_by("id"):
            workorder_act(work_order=order, actor=_reopener(actor, request), action="reopen", now=now,
                          reason=_("Resident dissatisfied at the follow-up visit: %(why)s") % {
                              "why": visit.shortcomings or Satisfaction(visit.satisfaction).label})
            reopened += 1
    if reopened:
        visit.decision = Decision.REOPENED
        visit.decision_note = _("Reported to the branch; %(count)s work order(s) reopened.") % {"count": reopened}
    else:
        complaint = request_submit(actor=actor, project=request.project, now=now, data=RequestInput(
            channel=Channel.PHONE, kind=Kind.COMPLAINT, description=_complaint_description(visit),
            contact_name=request.contact_name, contact_phone=request.contact_phone, reporter_id=request.reporter_id,
            room_id=request.room_id, common_area_id=request.common_area_id, location_note=request.location_note,
            complaint_category="service", severity=Severity.MINOR,
            complained_department_id=visit.department_id))
        visit.decision, visit.follow_request = Decision.COMPLAINT, complaint
        visit.decision_note = _("Reported to the branch; complaint %(number)s created.") % {"number": complaint.number}
    visit.save(update_fields=["decision", "decision_note", "follow_request"])


def _complaint_description(visit: FollowUpVisit) -> str:
    """The new complaint's description: the visit's shortcomings, cut to fit an intake description (the visit record
    keeps them whole). A long account of what went wrong must not stop the complaint from being created."""
    limit = TEXT_LIMITS["description"]
    why = visit.shortcomings or str(Satisfaction(visit.satisfaction).label)
    text = _("Dissatisfied at the follow-up visit of %(number)s: %(why)s") % {"number": visit.request.number,
                                                                              "why": why}
    if len(text) <= limit:
        return text
    return text[:limit - 1] + "…"


def _reopener(actor, request):
    """Reopen needs a dispatcher or manager; a visit recorded online has no such actor: use the project manager."""
    from propdesk.servicedesk.rules.transitions import DISPATCHER_ROLES, MANAGER_ROLES
    from propdesk.staff.permissions import user_role

    if user_role(actor) in DISPATCHER_ROLES | MANAGER_ROLES:
        return actor
    managers = people.project_managers(request.project_id)
    if not managers:
        raise ApplicationError(_("The project has no manager to reopen the request."), status_code=409)
    return managers[0]


@transaction.atomic
def visit_review(*, visit: FollowUpVisit, actor, comment: str, now: datetime | None = None) -> FollowUpVisit:
    now = now or timezone.now()
    if not comment.strip():
        _fail(_("Please correct the marked fields."), {"comment": [_("Write your comment on the visit.")]})
    visit = FollowUpVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != VisitStatus.DONE:
        _fail(_("Only a recorded visit can be reviewed."), status=409)
    visit.review_comment, visit.reviewed_by, visit.reviewed_at = comment.strip(), actor, now
    visit.save(update_fields=["review_comment", "reviewed_by", "reviewed_at"])
    return visit
