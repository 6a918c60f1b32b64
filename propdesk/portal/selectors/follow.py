"""What the resident follows on one request: its story in plain words (rules.resident_step is the allow-list) with
the photos they may see, who is coming and when, the quotes waiting for them, the work waiting for their
confirmation, the receipts, and what they may do now (cancel, hurry). A fixed number of queries, however long the
story."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from propdesk.core.masking import mask_phone
from propdesk.followups.choices import Satisfaction
from propdesk.servicedesk.models import Attachment, Payment, QuoteLine, ServiceRequest, TimelineEvent, WorkOrder
from propdesk.servicedesk.rules import resident as actions
from propdesk.servicedesk.selectors.attachments import resident_visible

from .. import rules
from . import HOLD_REASON_WORDS, STEP_WORDS

COMING_STATES = ("dispatched", "accepted", "on_site", "on_hold")


@dataclass(frozen=True)
class Photo:
    id: int
    name: str


@dataclass(frozen=True)
class Step:
    code: str
    at: datetime
    text: str  # in the reader's language
    detail: str = ""  # text written for (or by) the resident, shown as is
    photos: tuple[Photo, ...] = ()


@dataclass
class Coming:
    """Someone assigned to the request: their name, masked phone and department, and the time agreed."""

    work_order_id: int
    name: str
    phone: str
    department: str
    status: str
    appointment_at: datetime | None


@dataclass
class Follow:
    steps: list[Step]
    coming: list[Coming]
    quotes: list  # pending Quote rows, each with .lines and .work_order
    to_confirm: list  # completed WorkOrder rows without a confirmation
    receipts: list  # Payment rows, voided ones included
    photos: list[Photo] = field(default_factory=list)  # of the request itself (what was reported)
    can_cancel: bool = False
    can_hurry: bool = False
    next_hurry_at: datetime | None = None


def request_follow(*, request: ServiceRequest, user, now: datetime | None = None) -> Follow:
    """Everything the resident's request page shows beyond the request itself. ``request`` comes from
    selectors.resident_request (so it is the user's own)."""
    now = now or timezone.now()
    photos = list(Attachment.objects.filter(request=request).filter(resident_visible(user))
                  .only("id", "original_name", "work_order_id", "uploaded_by_id", "for_resident").order_by("id"))
    orders = list(WorkOrder.objects.filter(request=request)
                  .select_related("department", "assignee__staff_profile", "quote")
                  .prefetch_related(Prefetch("quote__lines", queryset=QuoteLine.objects.order_by("id")),
                                    Prefetch("payments", queryset=Payment.objects.order_by("paid_at", "id")))
                  .order_by("id"))
    steps = _steps(request, photos)
    coming = [Coming(work_order_id=wo.pk, name=_staff_name(wo.assignee), department=wo.department.name,
                     phone=mask_phone(getattr(getattr(wo.assignee, "staff_profile", None), "mobile", "") or ""),
                     status=wo.status, appointment_at=request.appointment_at)
              for wo in orders if wo.assignee_id and wo.status in COMING_STATES]
    quotes = []
    for wo in orders:
        quote = getattr(wo, "quote", None) if _has_quote(wo) else None
        if quote is not None and quote.pending and wo.status not in ("completed", "cancelled"):
            quote.work_order = wo
            quotes.append(quote)
    to_confirm = [wo for wo in orders if actions.confirm_refusal(wo.status, wo.confirmation_method) is None]
    receipts = [payment for wo in orders for payment in wo.payments.all()]
    statuses = [wo.status for wo in orders]
    hurry = actions.hurry_refusal(request.status, last_hurried_at=request.last_hurried_at, now=now)
    return Follow(steps=steps, coming=coming, quotes=quotes, to_confirm=to_confirm, receipts=receipts,
                  photos=[Photo(p.pk, p.original_name) for p in photos if p.work_order_id is None],
                  can_cancel=actions.cancel_refusal(request.status, statuses) is None,
                  can_hurry=hurry is None,
                  next_hurry_at=actions.next_hurry_at(request.last_hurried_at) if hurry == "too_soon" else None)


def _has_quote(wo) -> bool:
    try:
        return wo.quote is not None
    except WorkOrder.quote.RelatedObjectDoesNotExist:
        return False


def _staff_name(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else _("our staff")


def _steps(request: ServiceRequest, photos) -> list[Step]:
    events = (TimelineEvent.objects.filter(request=request, internal=False, kind__in=rules.resident_kinds())
              .select_related("work_order__department", "actor__staff_profile").order_by("at", "id"))
    by_id = {p.pk: p for p in photos}
    steps = []
    for event in events:
        code = rules.resident_step(event.kind, event.action, internal=event.internal)
        if code is None:
            continue
        data = event.data or {}
        detail = event.message if code in rules.TEXT_FOR_RESIDENT else ""
        shown: list = []
        if code == rules.COMMENTED:
            shown = [by_id[pk] for pk in data.get("photos", []) if pk in by_id]
        elif code == rules.DONE:
            shown = [p for p in photos if p.work_order_id == event.work_order_id and p.for_resident]
        elif code == rules.ON_THE_WAY and event.actor is not None:
            profile = getattr(event.actor, "staff_profile", None)
            if profile is not None:
                detail = " · ".join(x for x in (profile.display_name, mask_phone(profile.mobile)) if x)
        elif code in (rules.CANCELLED, rules.QUOTE_DECLINED) and data.get("by_resident"):
            detail = data.get("reason", "")
        steps.append(Step(code=code, at=event.at, text=_text(code, event, request), detail=detail,
                          photos=tuple(Photo(p.pk, p.original_name) for p in shown)))
    return steps


def _department(event) -> str:
    order = event.work_order
    return order.department.name if order is not None and order.department_id else _("our staff")


def _text(code: str, event, request: ServiceRequest) -> str:
    data = event.data or {}
    if code == rules.PASSED_ON:
        return _("Passed to %(department)s.") % {"department": _department(event)}
    if code == rules.ON_THE_WAY:
        return _("%(department)s has taken it: someone will come to you.") % {"department": _department(event)}
    if code == rules.PAUSED:
        reason = data.get("hold_reason", "")
        if reason in rules.HOLD_REASONS_SHOWN:
            return _("Paused: %(reason)s.") % {"reason": HOLD_REASON_WORDS[reason]}
        return _("Paused for now.")
    if code == rules.PAID:
        return _("Payment of ¥%(amount)s received, receipt %(receipt)s.") % {
            "amount": data.get("amount", ""), "receipt": data.get("receipt", "")}
    if code == rules.VISIT:
        if data.get("method") == "online" and data.get("satisfaction") in Satisfaction.values:
            return _("You rated our service: %(level)s.") % {"level": Satisfaction(data["satisfaction"]).label}
        if request.kind == "complaint":
            return _("The service center has followed up with you (%(date)s).") % {
                "date": f"{timezone.localtime(event.at):%Y-%m-%d}"}
        return str(STEP_WORDS[code])
    if code == rules.CANCELLED:
        return _("You cancelled the request.") if data.get("by_resident") else str(STEP_WORDS[code])
    if code == rules.HURRIED:
        return _("You hurried us (%(count)s×).") % {"count": data.get("count", 1)}
    if code in (rules.QUOTED, rules.QUOTE_AGREED, rules.QUOTE_DECLINED):
        return str(FOLLOW_WORDS[code]) % {"total": data.get("total", "")}
    if code == rules.VOIDED:
        return _("Receipt %(receipt)s was voided.") % {"receipt": data.get("receipt", "")}
    return str(FOLLOW_WORDS.get(code) or STEP_WORDS[code])


FOLLOW_WORDS = {
    rules.COMMENTED: _lazy("Your comment"),
    rules.CONFIRMED: _lazy("You confirmed the work."),
    rules.QUOTED: _lazy("Quote for the paid repair: ¥%(total)s."),
    rules.QUOTE_AGREED: _lazy("The quote of ¥%(total)s was agreed."),
    rules.QUOTE_DECLINED: _lazy("The quote of ¥%(total)s was declined."),
}


def resident_receipts(*, user):
    """The receipts of the resident's own requests, newest first, voided ones included (marked)."""
    return (Payment.objects.restrict(user).select_related("work_order__request", "project")
            .order_by("-paid_at", "-id"))


def resident_receipt(*, user, receipt_id: int) -> Payment:
    """One receipt of the resident's own requests; another household's raises DoesNotExist (a 404)."""
    return resident_receipts(user=user).get(pk=receipt_id)


def resident_order(*, user, request: ServiceRequest, work_order_id: int) -> WorkOrder:
    """A work order of the resident's own request (``request`` from selectors.resident_request); any other raises
    DoesNotExist (a 404)."""
    return WorkOrder.objects.restrict(user).get(pk=work_order_id, request=request)


def resident_photo(*, user, attachment_id: int) -> Attachment:
    """A photo the resident may see on one of their own requests (selectors.attachments.resident_visible); any
    other raises DoesNotExist (a 404)."""
    return (Attachment.objects.filter(request__in=ServiceRequest.objects.restrict(user).values("pk"))
            .filter(resident_visible(user))
            .only("id", "file", "content_type", "original_name", "request_id").get(pk=attachment_id))
