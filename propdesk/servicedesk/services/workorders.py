"""Work orders 派工单: every state change goes through workorder_act, which locks the row, checks the transition
table (rules/transitions.py) and the actor, applies the change, appends to the timeline and tells whoever must
know. Two people acting on one order at once cannot both win: the second sees the first one's state."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.notify.services import notify_users, outbox_add
from propdesk.org.models import Department

from ..choices import ConfirmationMethod, EventKind, HoldReason, Kind, RequestStatus, WorkOrderStatus
from ..models import ServiceRequest, WorkOrder
from ..rules import escalation, numbers, sla
from ..rules.transitions import (
    DISPATCHER_ROLES,
    TransitionRefused,
    WorkOrderAction,
    WorkOrderState,
    available_actions,
    check,
    request_state_from,
)
from . import codes, offline, people
from .actors import actor_context, is_png_data_url
from .policy import policy_for
from .pools import pool_empty_message, pool_has_grabbers
from .residents import tell_resident
from .timeline import event_add

User = get_user_model()
A = WorkOrderAction


def actions_for(actor, work_order: WorkOrder):
    """What the templates draw as buttons: exactly what workorder_act would accept from this actor now."""
    return available_actions(state=WorkOrderState(work_order.status), **actor_context(actor, work_order))


def _code_state(wo: WorkOrder) -> codes.CodeState:
    return codes.CodeState(purpose=f"wo:{wo.pk}", digest=wo.confirmation_code_hash,
                           sent_at=wo.confirmation_code_sent_at, wrong=wo.confirmation_code_wrong)


def workorder_code_try(*, work_order: WorkOrder, actor, code: str, now: datetime | None = None) -> None:
    """Count one try of the completion code before the completion itself (the form and the API call this first,
    outside any transaction): a wrong code is counted, committed and raised at ``confirmation_code``; after 5 the
    code is dead. Nothing is counted when this actor could not complete the order now (workorder_act says why)."""
    now = now or timezone.now()

    def load():
        wo = WorkOrder.objects.select_for_update(of=("self",)).select_related("department").get(pk=work_order.pk)
        try:
            check(state=WorkOrderState(wo.status), action=A.COMPLETE, **actor_context(actor, wo))
        except TransitionRefused:
            return None
        return _code_state(wo)

    def save(wrong):
        WorkOrder.objects.filter(pk=work_order.pk).update(confirmation_code_wrong=wrong)

    codes.code_try(load=load, save=save, field="confirmation_code", code=code, now=now)


def _deadlines(request: ServiceRequest):
    policy = policy_for(request.project)
    target = policy.target_for(kind=request.kind, severity=request.severity or None, urgent=request.urgent)
    return policy, target, sla.compute_deadlines(target=target, received_at=request.received_at,
                                                 calendar=policy.calendar, resident_deadline=request.resident_deadline,
                                                 appointment=request.appointment_at)


@transaction.atomic
def workorder_create(*, request: ServiceRequest, department: Department, actor, instructions: str = "",
                     now: datetime | None = None) -> WorkOrder:
    now = now or timezone.now()
    if department.project_id != request.project_id:
        raise ApplicationError(_("Please correct the marked fields."),
                               {"fields": {"department_id": [_("Choose a department of this project.")]}})
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
        raise ApplicationError(_("This request is already %(status)s.") % {"status": request.get_status_display()})
    _policy, _target, deadlines = _deadlines(request)
    index = request.work_orders.count() + 1
    work_order = WorkOrder.objects.create(
        request=request, project_id=request.project_id, number=numbers.work_order_number(request.number, index),
        department=department,
        instructions=instructions.strip(), respond_by=_accept_by(deadlines.respond_by, now),
        arrive_by=deadlines.arrive_by, resolve_by=deadlines.resolve_by or request.resolve_by)
    event_add(request=request, work_order=work_order, kind=EventKind.WORK_ORDER, action="create", actor=actor, at=now,
              message=_("Work order %(number)s for %(department)s.")
              % {"number": work_order.number, "department": department.name})
    _schedule(work_order, request)
    request_refresh_status(request=request, now=now, actor=actor)
    return work_order


MIN_ACCEPT_TIME = timedelta(minutes=30)


def _accept_by(respond_by: datetime | None, now: datetime) -> datetime | None:
    """The order's accept deadline: the request's response deadline, or MIN_ACCEPT_TIME after the order is made when
    that deadline is already due. A major complaint's response is immediate (its escalation goes to the branch at
    intake) and a second department's order may come hours later: neither should tell the dispatcher a minute after
    the order is made."""
    if respond_by is None or respond_by > now:
        return respond_by
    return now + MIN_ACCEPT_TIME


def _candidate(department: Department, user_id) -> "User":
    user = User.objects.filter(pk=user_id, is_active=True, staff_profile__is_active=True,
                               staff_profile__department=department).first()
    if user is None:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {"assignee_id": [
            _("Choose someone of %(department)s.") % {"department": department.name}]}})
    return user


@transaction.atomic
def workorder_act(*, work_order: WorkOrder, actor, action: str, reason: str = "", assignee_id: int | None = None,
                  hold_reason: str = "", result: str = "", materials: str = "", signature: str = "",
                  confirmation_code: str = "", confirm_in_app: bool = False,
                  seen: "offline.Seen | None" = None, idempotency_key: str = "",
                  now: datetime | None = None) -> WorkOrder:
    """Apply one action of the transition table. Refused actions raise ApplicationError (409 in the API) and change
    nothing. ``confirm_in_app``: complete without a signature or code and let the resident confirm in the app (only
    when they have an app account). From a phone's offline queue (services/offline.py): ``seen`` is the order as the
    phone saw it (changed since: 409 naming what changed) and ``idempotency_key`` makes a retry of an applied action
    a no-op."""
    now = now or timezone.now()
    # Lock the order and its request (so two orders finishing at once derive the request's status one after the
    # other), not the project row every other action in the project would then wait on.
    wo = (WorkOrder.objects.select_for_update(of=("self", "request"))
          .select_related("department", "request", "request__project")
          .get(pk=work_order.pk))
    if idempotency_key and offline.action_replayed(work_order=wo, actor=actor, action=action, key=idempotency_key):
        return wo
    if seen is not None:
        offline.seen_check(work_order=wo, action=action, seen=seen)
    try:
        target = check(state=WorkOrderState(wo.status), action=action, reason=reason, **actor_context(actor, wo))
    except TransitionRefused as refused:
        # Wrong state: 409 (conflict with the order as it is now); wrong person: 403; missing reason: 400 at the field.
        message = _refusal_message(refused, wo, action)
        if refused.code == "reason_required":
            raise ApplicationError(message, {"code": refused.code, "fields": {"reason": [message]}}) from None
        status = 403 if refused.code == "not_permitted" else 409
        raise ApplicationError(message, {"code": refused.code}, status_code=status) from None
    from .payments import paid_work_check  # a paid repair starts only once the resident agreed the quote

    paid_work_check(work_order=wo, action=action)
    request = wo.request
    notify = []  # (users, title)
    message = reason.strip()
    if action in (A.DISPATCH, A.REASSIGN):
        if assignee_id:
            wo.assignee = _candidate(wo.department, assignee_id)
        elif action == A.REASSIGN:
            raise ApplicationError(_("Please correct the marked fields."),
                                   {"fields": {"assignee_id": [_("Choose who takes the order over.")]}})
        else:
            raise ApplicationError(_("Please correct the marked fields."),
                                   {"fields": {"assignee_id": [_("Choose the person, or put the order in the pool.")]}})
        wo.dispatcher, wo.dispatched_at, wo.accepted_at = actor, now, None
        notify.append(([wo.assignee], _("New work order %(number)s: %(summary)s")))
        message = message or _("Dispatched to %(name)s.") % {"name": _name(wo.assignee)}
    elif action == A.POOL:

        if not pool_has_grabbers(wo.department):  # it would wait there forever
            raise ApplicationError(pool_empty_message(wo.department), {"code": "pool_empty"}, status_code=409)
        wo.assignee, wo.dispatcher, wo.dispatched_at = None, actor, now
        notify.append((list(User.objects.filter(staff_profile__department=wo.department, is_active=True)),
                       _("Work order %(number)s is in the pool: %(summary)s")))
        message = _("Put in the pool of %(department)s.") % {"department": wo.department.name}
    elif action == A.GRAB:
        wo.assignee, wo.accepted_at = actor, now
        message = _("Grabbed by %(name)s.") % {"name": _name(actor)}
    elif action == A.ACCEPT:
        wo.accepted_at = now
    elif action == A.REJECT:
        notify.append((people.dispatchers(wo), _("Work order %(number)s was sent back: %(summary)s")))
        wo.assignee, wo.accepted_at = None, None
    elif action == A.ARRIVE:
        wo.arrived_at = now
    elif action == A.HOLD:
        if hold_reason not in HoldReason.values:
            raise ApplicationError(_("Please correct the marked fields."),
                                   {"fields": {"hold_reason": [_("Choose why the work is on hold.")]}})
        wo.held_since, wo.hold_reason = now, hold_reason
    elif action == A.RESUME:
        _release_hold(wo, now)
    elif action == A.COMPLETE:
        _complete(wo, now, result=result, materials=materials, signature=signature, code=confirmation_code,
                  in_app=confirm_in_app)
        message = wo.result
    elif action == A.CANCEL:
        if wo.held_since:
            _release_hold(wo, now)
    elif action == A.REOPEN:
        wo.reopen_count += 1
        wo.completed_at = wo.confirmed_at = None
        wo.accepted_at = None
        wo.result = ""
        wo.dispatched_at = now
        # The reopened job gets a new clock from now, on the same targets, and its escalation ladder starts over.
        policy, target_sla, _d = _deadlines(request)
        fresh = sla.compute_deadlines(target=target_sla, received_at=now, calendar=policy.calendar)
        wo.respond_by = _accept_by(fresh.respond_by, now)
        wo.arrive_by, wo.resolve_by = fresh.arrive_by, fresh.resolve_by or wo.resolve_by
        wo.escalations_sent = []
        request.replied_at = None  # the earlier answer no longer closes it
        request.save(update_fields=["replied_at", "updated_at"])
        if wo.assignee_id:
            notify.append(([wo.assignee], _("Work order %(number)s was reopened: %(summary)s")))
    wo.status = target.value
    wo.save()
    event_add(request=request, work_order=wo, kind=EventKind.WORK_ORDER, action=str(action), actor=actor, at=now,
              message=message, data={"status": wo.status, "assignee_id": wo.assignee_id,
                                     **({"hold_reason": hold_reason} if action == A.HOLD else {}),
                                     **({offline.KEY_DATA: idempotency_key} if idempotency_key else {})})
    url = reverse("servicedesk:workorder_detail", args=[wo.pk])
    for users, title in notify:
        notify_users(users=users, kind=f"workorder_{action}", url=url,
                     event=f"wo:{wo.pk}:{action}:{now.timestamp():.3f}", body=message,
                     title=title % {"number": wo.number, "summary": request.description[:50]})
    if action in (A.ACCEPT, A.GRAB) and request.kind in (Kind.REPAIR, Kind.HELP):
        tell_resident(request, f"on-the-way-{wo.pk}-{wo.reopen_count}",
                      _("%(name)s has taken your request %(number)s and will come to you.")
                      % {"name": _name(wo.assignee), "number": request.number},
                      template="technician_on_the_way", params={"name": _name(wo.assignee), "number": request.number},
                      urgent=True, now=now)
    if action == A.COMPLETE:
        tell_resident(request, f"done-{wo.pk}-{wo.reopen_count}",
                      _("The work for your request %(number)s is done: %(result)s")
                      % {"number": request.number, "result": wo.result[:60]},
                      template="work_done", params={"number": request.number, "result": wo.result}, now=now)
    _schedule(wo, request)
    request_refresh_status(request=request, now=now, actor=actor)
    return wo


def _refusal_message(refused: TransitionRefused, wo: WorkOrder, action: str) -> str:
    labels = dict(WorkOrderStatus.choices)
    if refused.code == "reason_required":
        return _("Give a reason for this action.")
    if refused.code == "not_permitted":
        return _("You may not do this to work order %(number)s.") % {"number": wo.number}
    return _("Work order %(number)s is %(status)s: that action is not possible now.") % {
        "number": wo.number, "status": labels.get(wo.status, wo.status)}


def _name(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else user.get_username()


def _release_hold(wo: WorkOrder, now: datetime) -> None:
    if wo.held_since is None:
        return
    policy, target, _d = _deadlines(wo.request)
    if wo.resolve_by:
        wo.resolve_by = sla.extend_for_hold(resolve_by=wo.resolve_by, held_from=wo.held_since, held_until=now,
                                            target=target, calendar=policy.calendar)
    wo.held_seconds += int((now - wo.held_since).total_seconds())
    wo.held_since, wo.hold_reason = None, ""


def _complete(wo: WorkOrder, now: datetime, *, result: str, materials: str, signature: str, code: str,
              in_app: bool = False) -> None:
    errors = {}
    if not result.strip():
        errors["result"] = [_("Describe what was done.")]
    if signature:
        if not is_png_data_url(signature):
            errors["signature"] = [_("The signature could not be read; ask the resident to sign again.")]
        else:
            wo.confirmation_method, wo.signature = ConfirmationMethod.SIGNATURE, signature
    elif code:
        # Counted by workorder_code_try before; here only checked again under this transaction's lock.
        state = _code_state(wo)
        if not codes.code_matches(state, code, now):
            errors["confirmation_code"] = codes.code_error(state, "confirmation_code", now).field_errors[
                "confirmation_code"]
        else:
            wo.confirmation_method = ConfirmationMethod.CODE
            wo.confirmation_code_hash = ""  # used: it confirms this completion only
    elif in_app:  # the resident confirms later in the app (services/resident_actions.workorder_confirm_in_app)
        reporter = wo.request.reporter
        if reporter is None or not reporter.user_id:
            errors["signature"] = [_("The resident has no app account to confirm in: ask for a signature or send "
                                     "them a code.")]
    elif wo.request.room_id and wo.request.kind in (Kind.REPAIR, Kind.HELP):
        errors["signature"] = [_("Get the resident's confirmation: a signature or the code sent to them.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    if wo.held_since:
        _release_hold(wo, now)
    wo.result, wo.materials, wo.completed_at = result.strip(), materials.strip(), now
    if wo.confirmation_method:
        wo.confirmed_at = now


@transaction.atomic
def workorder_send_code(*, work_order: WorkOrder, actor, now: datetime | None = None) -> None:
    """Send the resident a one-time code to confirm the work (instead of a signature)."""
    now = now or timezone.now()
    wo = WorkOrder.objects.select_for_update().select_related("request", "department").get(pk=work_order.pk)
    context = actor_context(actor, wo)
    if not (context["is_assignee"] or context["actor_roles"] & DISPATCHER_ROLES):
        raise ApplicationError(_("Only the assignee or a dispatcher may send the code."), status_code=403)
    if wo.status not in (WorkOrderStatus.ACCEPTED, WorkOrderStatus.ON_SITE):
        raise ApplicationError(_("Work order %(number)s is %(status)s: no code to send.") % {
            "number": wo.number, "status": wo.get_status_display()}, status_code=409)
    phone = wo.request.contact_phone
    if not phone.startswith("1"):
        raise ApplicationError(_("The request has no mobile number to send a code to; ask for a signature."))
    codes.phone_send_allow(phone=phone, field="confirmation_code", now=now)
    code = codes.new_code()
    wo.confirmation_code_hash, wo.confirmation_code_sent_at = codes.code_digest(f"wo:{wo.pk}", code), now
    wo.confirmation_code_wrong = 0
    wo.save(update_fields=["confirmation_code_hash", "confirmation_code_sent_at", "confirmation_code_wrong"])
    # urgent: the technician is at the door waiting for the resident to read the code out
    outbox_add(channel="sms", to=phone, key=f"code:{wo.pk}:{now.timestamp():.3f}", project=wo.request.project,
               urgent=True, now=now, template="completion_code", params={"number": wo.number, "code": code})
    event_add(request=wo.request, work_order=wo, kind=EventKind.WORK_ORDER, action="send_code", actor=actor, at=now,
              message=_("Confirmation code sent to the resident."))


def _schedule(wo: WorkOrder, request: ServiceRequest) -> None:
    """Store when the next escalation rung fires, so the sweep finds due orders by index."""
    policy = policy_for(request.project)
    sent = frozenset(wo.escalations_sent)
    candidates = []
    if wo.status in (WorkOrderStatus.PENDING, WorkOrderStatus.POOLED, WorkOrderStatus.DISPATCHED) and wo.respond_by:
        start = wo.dispatched_at or wo.created_at or request.received_at
        if start < wo.respond_by:
            candidates.append(escalation.next_fire_at(ladder=policy.accept_ladder, start=start, deadline=wo.respond_by,
                                                      already_sent=sent))
        else:
            candidates.append(escalation.next_fire_at(ladder=policy.accept_ladder, start=wo.respond_by - timedelta(
                seconds=1), deadline=wo.respond_by, already_sent=sent))
    if wo.status not in (WorkOrderStatus.COMPLETED, WorkOrderStatus.CANCELLED, WorkOrderStatus.ON_HOLD) \
            and wo.resolve_by and request.received_at < wo.resolve_by:
        candidates.append(escalation.next_fire_at(ladder=policy.ladder, start=request.received_at,
                                                  deadline=wo.resolve_by, already_sent=sent))
    due = [c for c in candidates if c is not None]
    wo.next_escalation_at = min(due) if due else None
    WorkOrder.objects.filter(pk=wo.pk).update(next_escalation_at=wo.next_escalation_at)


def request_refresh_status(*, request: ServiceRequest, now: datetime, actor=None) -> ServiceRequest:
    """Derive the request's status from its work orders and whether it was answered (rules/transitions)."""
    states = [WorkOrderState(s) for s in request.work_orders.values_list("status", flat=True)]
    new = request_state_from(states, replied=request.replied_at is not None,
                             cancelled=request.status == RequestStatus.CANCELLED).value
    if new != request.status:
        old = request.status
        request.status = new
        request.closed_at = now if new == RequestStatus.CLOSED else None
        handled = (RequestStatus.RESOLVED, RequestStatus.CLOSED)
        if new not in handled:
            request.resolved_at = None
        elif old not in handled or request.resolved_at is None:
            request.resolved_at = now
        request.save(update_fields=["status", "closed_at", "resolved_at", "updated_at"])
        event_add(request=request, kind=EventKind.STATUS, actor=actor, at=now, action=new,
                  data={"from": old, "to": new}, message=dict(RequestStatus.choices)[new])
        if new in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
            from .. import hooks

            hooks.request_handled(request=request, now=now)
    return request
