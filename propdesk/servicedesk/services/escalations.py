"""The deadline sweep: runs every minute in the worker. It finds rows whose next escalation is due by index, locks
them with SKIP LOCKED (so several workers share the work and never take the same row), sends each due rung once
(the rung keys are kept on the row, and each notification has a dedupe key), and stores the next time."""

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.notify.services import notify_users

from ..choices import EventKind, RequestStatus, WorkOrderStatus
from ..models import ServiceRequest, WorkOrder
from ..rules import escalation
from . import people
from .policy import policy_for
from .requests import UNHANDLED_RUNG, _relation_label, ack_deadline, intake_rule, request_next_escalation
from .timeline import event_add
from .workorders import _schedule

BATCH = 200


def escalation_sweep(*, now: datetime | None = None) -> int:
    """Send every escalation that is due. Returns the number of rungs sent."""
    now = now or timezone.now()
    return _sweep_work_orders(now) + _sweep_requests(now)


def duty_note(resolved: people.Resolved) -> str:
    """The timeline's word on who stood in outside working time (issue 13: roster); empty in working time."""
    if resolved.on_duty is True:
        names = "、".join(people_names(resolved.users))
        return " " + _("Outside working hours: to the person on duty, %(names)s.") % {"names": names}
    if resolved.on_duty is False:
        return " " + _("Outside working hours and nobody on duty: to the day holder.")
    return ""


def people_names(users) -> list[str]:
    return [getattr(getattr(u, "staff_profile", None), "display_name", "") or u.get_username() for u in users]


def _sweep_work_orders(now: datetime) -> int:
    fired = 0
    with transaction.atomic():
        rows = list(WorkOrder.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("request", "request__project", "department", "assignee", "dispatcher")
                    .filter(next_escalation_at__lte=now).order_by("next_escalation_at")[:BATCH])
        for wo in rows:
            fired += _escalate_work_order(wo, now)
    return fired


def _escalate_work_order(wo: WorkOrder, now: datetime) -> int:
    request = wo.request
    policy = policy_for(request.project)
    sent = frozenset(wo.escalations_sent)
    due = []  # (rung, clock): "respond" for the accept ladder, "resolve" for the completion ladder
    if wo.status in (WorkOrderStatus.PENDING, WorkOrderStatus.POOLED, WorkOrderStatus.DISPATCHED) and wo.respond_by:
        start = min(wo.dispatched_at or wo.created_at, wo.respond_by)
        if start == wo.respond_by:
            # dispatched after the accept deadline: due at once, as in _schedule (respond_by may be 09:00:00.000)
            start = wo.created_at if wo.created_at < wo.respond_by else wo.respond_by - timedelta(seconds=1)
        if start < wo.respond_by:
            due += [(rung, "respond") for rung in escalation.due_rungs(
                ladder=policy.accept_ladder, start=start, deadline=wo.respond_by, now=now, already_sent=sent)]
    if wo.status not in (WorkOrderStatus.COMPLETED, WorkOrderStatus.CANCELLED, WorkOrderStatus.ON_HOLD) \
            and wo.resolve_by and request.received_at < wo.resolve_by:
        due += [(rung, "resolve") for rung in escalation.due_rungs(
            ladder=policy.ladder, start=request.received_at, deadline=wo.resolve_by, now=now, already_sent=sent)]
    url = reverse("servicedesk:workorder_detail", args=[wo.pk])
    for rung, clock in due:
        resolved = people.resolve_recipients(rung.recipient, project=request.project, work_order=wo, now=now)
        users = resolved.users
        deadline = wo.respond_by if clock == "respond" else wo.resolve_by
        # A warning whose moment was missed and that goes out only after the deadline is the overdue notice.
        overdue = escalation.notice_is_overdue(deadline=deadline, now=now)
        title = (_("Overdue: work order %(number)s (%(summary)s)") if overdue
                 else _("Due soon: work order %(number)s (%(summary)s)")) % {
            "number": wo.number, "summary": request.description[:40]}
        body = _("Deadline %(deadline)s.") % {"deadline": f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}"}
        # One notice per person per event: the rungs of a ladder reach more people as time passes, but a person who
        # stands on two rungs (a project manager heading the department) hears of this order's breach once. The
        # event counts the reopenings: a reopened order has a new clock and its breach is news again.
        notify_users(users=users, kind="escalation", title=title, url=url, body=body,
                     event=f"esc:wo:{wo.pk}:{wo.reopen_count}:{clock}:{'overdue' if overdue else 'due_soon'}")
        event_add(request=request, work_order=wo, kind=EventKind.ESCALATION, action=rung.key, at=now,
                  message=_("Escalated to the %(who)s.") % {"who": _relation_label(rung.recipient)}
                  + duty_note(resolved),
                  data={"recipients": [u.pk for u in users], "overdue": overdue, "on_duty": resolved.on_duty})
        wo.escalations_sent = [*wo.escalations_sent, rung.key]
    WorkOrder.objects.filter(pk=wo.pk).update(escalations_sent=wo.escalations_sent)
    _schedule(wo, request)
    return len(due)


def _sweep_requests(now: datetime) -> int:
    """Request-level escalations: a major or important complaint nobody has acknowledged by its response deadline
    goes one level up (rules/escalation.INTAKE_RULES: major → quality department, important → branch leadership);
    a request past its deadline with nothing ever dispatched goes to the project manager. Each once; then the next
    time is stored again."""
    fired = 0
    with transaction.atomic():
        rows = list(ServiceRequest.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("project").filter(next_escalation_at__lte=now)
                    .order_by("next_escalation_at")[:BATCH])
        for request in rows:
            sent = set(request.escalations_sent)
            url = reverse("servicedesk:request_detail", args=[request.pk])
            ack, rule = ack_deadline(request), intake_rule(request)
            ack_rung = rule.ack_rung()
            if ack is not None and now >= ack and request.acknowledged_at is None and ack_rung not in sent:
                fired += _escalate_request(request, rule.unacknowledged, ack_rung, now, url, _(
                    "Not acknowledged in time: %(severity)s complaint %(number)s") % {
                    "severity": request.get_severity_display(), "number": request.number})
                sent.add(ack_rung)
            if (request.resolve_by is not None and now >= request.resolve_by and UNHANDLED_RUNG not in sent
                    and request.status == RequestStatus.OPEN and not request.work_orders.exists()):
                fired += _escalate_request(request, "project_manager", UNHANDLED_RUNG, now, url, _(
                    "Overdue and nothing dispatched: request %(number)s") % {"number": request.number})
                sent.add(UNHANDLED_RUNG)
            request.escalations_sent = [*request.escalations_sent, *(k for k in sent
                                                                     if k not in request.escalations_sent)]
            request.next_escalation_at = request_next_escalation(request)
            request.save(update_fields=["escalations_sent", "next_escalation_at"])
    return fired


def _escalate_request(request, relation: str, key: str, now: datetime, url: str, title: str) -> int:
    resolved = people.resolve_recipients(relation, project=request.project, now=now)
    users = resolved.users
    notify_users(users=users, kind="escalation", url=url, event=f"esc:req:{request.pk}:{key}", title=title,
                 body=request.description)
    event_add(request=request, kind=EventKind.ESCALATION, action=key, at=now,
              message=_("Escalated to the %(who)s.") % {"who": _relation_label(relation)} + duty_note(resolved),
              data={"recipients": [u.pk for u in users], "on_duty": resolved.on_duty})
    return 1


def escalation_step_up(*, request: ServiceRequest, now: datetime, reason: str, reason_code: str) -> int:
    """Send the next rung of the ladder now, ahead of its time, for something other than the clock (a resident who
    hurried twice): for each live work order of the request, its first unsent rung of the resolution ladder above
    the assignee; with
    no live order, the project manager (the request-level rung). Recorded as a timed escalation is, with
    ``reason`` in the message and ``reason_code`` in the data. The caller holds the request's lock. Returns the number
    of rungs sent (0 when the ladder is already spent)."""
    fired = 0
    url = reverse("servicedesk:request_detail", args=[request.pk])
    orders = list(WorkOrder.objects.select_for_update(of=("self",))
                  .select_related("department", "assignee", "dispatcher")
                  .filter(request=request).exclude(status__in=(WorkOrderStatus.COMPLETED, WorkOrderStatus.CANCELLED))
                  .order_by("id"))
    for wo in orders:
        wo.request = request
        sent = frozenset(wo.escalations_sent)
        # One step above the person doing the work: the assignee's own reminder is not a step up (they are told of
        # every hurry anyway), and it stays unsent so that its time still comes.
        rung = next((r for r in policy_for(request.project).ladder if r.key not in sent
                     and r.recipient != "assignee"), None)
        if rung is None:
            continue
        resolved = people.resolve_recipients(rung.recipient, project=request.project, work_order=wo, now=now)
        users = resolved.users
        notify_users(users=users, kind="escalation", url=reverse("servicedesk:workorder_detail", args=[wo.pk]),
                     event=f"esc:wo:{wo.pk}:{wo.reopen_count}:{reason_code}:{rung.key}", body=request.description,
                     title=_("%(reason)s: work order %(number)s (%(summary)s)") % {
                         "reason": reason, "number": wo.number, "summary": request.description[:40]})
        event_add(request=request, work_order=wo, kind=EventKind.ESCALATION, action=rung.key, at=now,
                  message=_("Escalated to the %(who)s: %(reason)s.") % {"who": _relation_label(rung.recipient),
                                                                       "reason": reason} + duty_note(resolved),
                  data={"recipients": [u.pk for u in users], "reason": reason_code, "on_duty": resolved.on_duty})
        wo.escalations_sent = [*wo.escalations_sent, rung.key]
        WorkOrder.objects.filter(pk=wo.pk).update(escalations_sent=wo.escalations_sent)
        _schedule(wo, request)
        fired += 1
    if not orders and UNHANDLED_RUNG not in request.escalations_sent:
        resolved = people.resolve_recipients("project_manager", project=request.project, now=now)
        users = resolved.users
        notify_users(users=users, kind="escalation", url=url, event=f"esc:req:{request.pk}:{UNHANDLED_RUNG}",
                     title=_("%(reason)s: request %(number)s") % {"reason": reason, "number": request.number},
                     body=request.description)
        event_add(request=request, kind=EventKind.ESCALATION, action=UNHANDLED_RUNG, at=now,
                  message=_("Escalated to the %(who)s: %(reason)s.") % {"who": _relation_label("project_manager"),
                                                                       "reason": reason} + duty_note(resolved),
                  data={"recipients": [u.pk for u in users], "reason": reason_code, "on_duty": resolved.on_duty})
        request.escalations_sent = [*request.escalations_sent, UNHANDLED_RUNG]
        request.next_escalation_at = request_next_escalation(request)
        request.save(update_fields=["escalations_sent", "next_escalation_at"])
        fired += 1
    return fired
