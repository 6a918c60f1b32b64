"""What a resident does to their own request from the app (住这儿): comment with photos, cancel before anyone is on
the way, hurry (催单), confirm finished work, agree to or decline a quote. Each function is one transaction that locks
the request (or the work order and its request), checks that the actor is the resident who reported it (anyone else:
NotFound, as the selectors answer), checks rules/resident.py, appends to the timeline and tells the staff in their
inbox. A refusal is an ApplicationError in plain words (409 for the wrong moment); nothing is half written."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, NotFound
from propdesk.notify.services import notify_users

from ..choices import ConfirmationMethod, EventKind, RequestStatus, WorkOrderStatus
from ..models import AgreementMethod, Quote, ServiceRequest, WorkOrder
from ..rules import resident as rules
from . import payments, people
from .attachments import attachments_add
from .timeline import event_add

# The reason an escalation sent by a hurry carries (the timed ones say nothing: the clock is their reason).
HURRY_REASON = "hurry"


def _not_found() -> NotFound:
    return NotFound(_("Not found."))


def _own_request(request: ServiceRequest, actor) -> ServiceRequest:
    locked = ServiceRequest.objects.select_for_update(of=("self",)).select_related("project", "reporter",
                                                                                     "created_by").get(pk=request.pk)
    if locked.reporter is None or locked.reporter.user_id is None or locked.reporter.user_id != actor.pk:
        raise _not_found()
    return locked


def _own_order(work_order: WorkOrder, actor) -> WorkOrder:
    wo = (WorkOrder.objects.select_for_update(of=("self", "request"))
          .select_related("request", "request__reporter", "request__project", "request__created_by", "department")
          .get(pk=work_order.pk))
    reporter = wo.request.reporter
    if reporter is None or reporter.user_id is None or reporter.user_id != actor.pk:
        raise _not_found()
    return wo


def _refuse(message: str, code: str, field: str | None = None, status: int = 409):
    extra = {"code": code, **({"fields": {field: [message]}} if field else {})}
    raise ApplicationError(message, extra, status_code=status)


def _tell_staff(request: ServiceRequest, *, users, what: str, title: str, body: str, now: datetime,
                work_order: WorkOrder | None = None) -> None:
    """Inbox notices of kind ``resident_<what>``: the work order's page for whoever is on it, else the request's."""
    url = (reverse("servicedesk:workorder_detail", args=[work_order.pk]) if work_order is not None
           else reverse("servicedesk:request_detail", args=[request.pk]))
    where = f"wo{work_order.pk}" if work_order is not None else "req"
    notify_users(users=users, kind=f"resident_{what}", url=url, title=title, body=body[:500],
                 event=f"resident:{request.pk}:{what}:{where}:{now.timestamp():.3f}")


def _live_orders(request: ServiceRequest):
    return (WorkOrder.objects.select_for_update(of=("self",)).select_related("assignee")
            .filter(request=request).exclude(status__in=(WorkOrderStatus.COMPLETED, WorkOrderStatus.CANCELLED))
            .order_by("id"))


@transaction.atomic
def request_comment_by_resident(*, request: ServiceRequest, actor, text: str, files=(),
                                now: datetime | None = None):
    """A comment, with up to six photos, on the resident's own request: on its timeline for the staff and the
    resident, and in the inbox of the agent (and of whoever is on the job)."""
    now = now or timezone.now()
    request = _own_request(request, actor)
    text = (text or "").strip()
    if not text and not files:
        _refuse(_("Write something or add a photo."), "empty", "text", status=400)
    if len(text) > rules.COMMENT_MAX:
        _refuse(_("At most %(limit)s characters (this has %(length)s).") % {
            "limit": rules.COMMENT_MAX, "length": len(text)}, "too_long", "text", status=400)
    photos = attachments_add(request=request, files=list(files), actor=actor) if files else []
    event = event_add(request=request, kind=EventKind.COMMENT, action="resident", actor=actor, at=now, message=text,
                      data={"photos": [photo.pk for photo in photos]})
    assignees = [wo.assignee for wo in _live_orders(request) if wo.assignee_id]
    _tell_staff(request, users=[*people.request_agents(request), *assignees], what="comment", now=now,
                title=_("The resident commented on %(number)s") % {"number": request.number},
                body=text or _("%(n)s photo(s)") % {"n": len(photos)})
    return event


@transaction.atomic
def request_cancel_by_resident(*, request: ServiceRequest, actor, reason: str,
                               now: datetime | None = None) -> ServiceRequest:
    """Withdraw the request before anyone is on the way. Orders still waiting (pending, in the pool, dispatched and
    not accepted) are cancelled with it; the agent and anyone they were sent to are told."""
    now = now or timezone.now()
    request = _own_request(request, actor)
    reason = (reason or "").strip()
    orders = list(_live_orders(request))
    statuses = list(request.work_orders.values_list("status", flat=True))
    refusal = rules.cancel_refusal(request.status, statuses)
    if refusal == "under_way":
        _refuse(_("Someone is already on the way or the work is done: the request can no longer be cancelled "
                  "here. Please call the service center."), refusal)
    if refusal:
        _refuse(_("This request is already %(status)s.") % {"status": request.get_status_display()}, refusal)
    if not reason:
        _refuse(_("Tell us why you cancel the request."), "reason_required", "reason", status=400)
    if len(reason) > rules.CANCEL_REASON_MAX:
        _refuse(_("At most %(limit)s characters (this has %(length)s).") % {
            "limit": rules.CANCEL_REASON_MAX, "length": len(reason)}, "too_long", "reason", status=400)
    told = []
    for wo in orders:
        if wo.assignee_id:
            told.append(wo.assignee)
        wo.status, wo.next_escalation_at = WorkOrderStatus.CANCELLED, None
        wo.save(update_fields=["status", "next_escalation_at", "updated_at"])
        event_add(request=request, work_order=wo, kind=EventKind.WORK_ORDER, action="cancel", actor=actor, at=now,
                  message=_("Cancelled by the resident: %(reason)s") % {"reason": reason},
                  data={"status": wo.status, "by_resident": True})
    old = request.status
    request.status, request.next_escalation_at = RequestStatus.CANCELLED, None
    request.save(update_fields=["status", "next_escalation_at", "updated_at"])
    event_add(request=request, kind=EventKind.STATUS, action=RequestStatus.CANCELLED, actor=actor, at=now,
              message=_("Cancelled by the resident: %(reason)s") % {"reason": reason},
              data={"from": old, "to": request.status, "by_resident": True, "reason": reason})
    _tell_staff(request, users=[*people.request_agents(request), *told], what="cancel", now=now, body=reason,
                title=_("The resident cancelled %(number)s") % {"number": request.number})
    return request


@transaction.atomic
def request_hurry(*, request: ServiceRequest, actor, now: datetime | None = None) -> ServiceRequest:
    """催单: count the hurry on the request, put it on the timeline, tell the agent and whoever is on the job. The
    second hurry sends the request one step up its escalation ladder (services/escalations.escalation_step_up). At
    most one hurry per rules.resident.HURRY_INTERVAL, none on a finished request."""
    from .escalations import escalation_step_up

    now = now or timezone.now()
    request = _own_request(request, actor)
    refusal = rules.hurry_refusal(request.status, last_hurried_at=request.last_hurried_at, now=now)
    if refusal == "too_soon":
        again = timezone.localtime(rules.next_hurry_at(request.last_hurried_at))
        _refuse(_("You hurried us at %(last)s; we are on it. You can hurry again from %(again)s.") % {
            "last": f"{timezone.localtime(request.last_hurried_at):%H:%M}", "again": f"{again:%H:%M}"}, refusal,
            status=429)
    if refusal == "done":
        _refuse(_("The work is done and our reply is coming; there is nothing left to hurry."), refusal)
    if refusal:
        _refuse(_("This request is already %(status)s.") % {"status": request.get_status_display()}, refusal)
    request.hurry_count += 1
    request.last_hurried_at = now
    request.save(update_fields=["hurry_count", "last_hurried_at", "updated_at"])
    count = request.hurry_count
    event_add(request=request, kind=EventKind.HURRY, action="hurry", actor=actor, at=now,
              message=_("The resident hurried the request (%(count)s×).") % {"count": count}, data={"count": count})
    title = _("The resident hurried %(number)s (%(count)s×): %(summary)s") % {
        "number": request.number, "count": count, "summary": request.description[:40]}
    _tell_staff(request, users=people.request_agents(request), what="hurry", now=now, title=title,
                body=request.description)
    for wo in _live_orders(request):
        if wo.assignee_id:
            _tell_staff(request, users=[wo.assignee], what="hurry", now=now, title=title,
                        body=request.description, work_order=wo)
    if rules.hurry_escalates(count):
        escalation_step_up(request=request, now=now, reason=_("Resident hurried"), reason_code=HURRY_REASON)
    return request


@transaction.atomic
def workorder_confirm_in_app(*, work_order: WorkOrder, actor, now: datetime | None = None) -> WorkOrder:
    """The resident confirms finished work that was completed without their signature or code, in place of the
    signature (ConfirmationMethod.APP)."""
    now = now or timezone.now()
    wo = _own_order(work_order, actor)
    refusal = rules.confirm_refusal(wo.status, wo.confirmation_method)
    if refusal == "confirmed":
        _refuse(_("You have already confirmed this work (%(how)s).") % {"how": wo.get_confirmation_method_display()},
                refusal)
    if refusal:
        _refuse(_("The work is not finished yet: confirm it once it is done."), refusal)
    wo.confirmation_method, wo.confirmed_at = ConfirmationMethod.APP, now
    wo.save(update_fields=["confirmation_method", "confirmed_at", "updated_at"])
    event_add(request=wo.request, work_order=wo, kind=EventKind.WORK_ORDER, action="confirm", actor=actor, at=now,
              message=_("The resident confirmed the work in the app."), data={"method": ConfirmationMethod.APP})
    return wo


@transaction.atomic
def quote_answer_in_app(*, work_order: WorkOrder, actor, agree: bool, reason: str = "",
                        now: datetime | None = None) -> Quote:
    """The resident agrees to the pending quote of a paid repair in the app (AgreementMethod.APP), or declines it
    with a reason; whoever is on the job is told at once (they may be waiting at the door)."""
    now = now or timezone.now()
    wo = _own_order(work_order, actor)
    if agree:
        quote = payments.quote_agree(work_order=wo, actor=actor, method=AgreementMethod.APP, now=now)
        title = _("The resident agreed to the quote of %(total)s for %(number)s")
    else:
        quote = payments.quote_decline(work_order=wo, actor=actor, reason=reason, now=now)
        title = _("The resident declined the quote of %(total)s for %(number)s")
    title = title % {"total": payments.yuan(quote.total), "number": wo.number}
    users = [wo.assignee] if wo.assignee_id else people.request_agents(wo.request)
    _tell_staff(wo.request, users=users, what="quote", now=now, title=title, body=quote.decline_reason,
                work_order=wo)
    return quote
