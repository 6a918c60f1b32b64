"""Paid repairs 报修有偿: a quote from the project's price list, the resident's agreement before work starts,
payment with a receipt, voiding that keeps the number. Every step is one transaction that locks the work order first (as
workorder_act does) and appends to the request's timeline (kind "payment").

Receipt numbers ``{prefix}-RC{YYYY}{nnnnnn}`` (rules/numbers.py: the project's prefix makes them unique in the company)
come from the project's sequence (``receipt:{project_id}``), taken with
counter_take inside the transaction that writes the payment, after every check: concurrent payments queue on the
counter row, a failed one gives its number back, so numbers are neither shared nor skipped."""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.sequences import counter_take
from propdesk.notify.services import outbox_add
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import EventKind, WorkOrderStatus
from ..models import AgreementMethod, Payment, PaymentMethod, PriceItem, Quote, QuoteLine, WorkOrder
from ..rules import numbers
from ..rules.transitions import ASSIGNEE, DISPATCHER, WorkOrderAction, actor_relations
from . import codes
from .actors import actor_context, is_png_data_url
from .residents import tell_resident
from .timeline import event_add

CENT = Decimal("0.01")
MAX_QUANTITY = Decimal("9999")
_CLOSED = (WorkOrderStatus.COMPLETED, WorkOrderStatus.CANCELLED)


@dataclass(frozen=True)
class QuoteLineInput:
    item_id: int
    quantity: Decimal | str | int


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def _lock(work_order: WorkOrder) -> WorkOrder:
    return (WorkOrder.objects.select_for_update(of=("self",))
            .select_related("request", "request__room", "request__common_area", "project")
            .get(pk=work_order.pk))


def can_handle(actor, wo: WorkOrder) -> bool:
    """Quotes, agreements and payments are taken by the order's assignee or a dispatcher of the project."""
    return bool(actor_relations(**actor_context(actor, wo)) & {ASSIGNEE, DISPATCHER})


def _require_handler(actor, wo: WorkOrder) -> None:
    if not can_handle(actor, wo):
        raise PermissionDenied(_("Only the assignee or a dispatcher may do this for work order %(number)s.")
                               % {"number": wo.number})


def is_reporter(actor, wo: WorkOrder) -> bool:
    """The resident who reported the order's request, signed in to the app."""
    reporter = wo.request.reporter
    return reporter is not None and reporter.user_id is not None and reporter.user_id == actor.pk


def _quote(wo: WorkOrder, *, lock: bool = False) -> Quote | None:
    qs = Quote.objects.filter(work_order_id=wo.pk)
    return (qs.select_for_update() if lock else qs).first()


def _valid_payment(wo: WorkOrder) -> Payment | None:
    return Payment.objects.filter(work_order_id=wo.pk, voided_at__isnull=True).first()


def _fields(errors: dict[str, list[str]]):
    raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})


def _quantity(raw) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip() or "0")
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value < 0 or value > MAX_QUANTITY or value != value.quantize(CENT):
        return None
    return value


def _describe(lines) -> str:
    return "; ".join(f"{line.name} × {line.quantity.normalize():f}{line.unit} = {yuan(line.amount)}"
                     for line in lines)


@transaction.atomic
def quote_create(*, work_order: WorkOrder, lines: list[QuoteLineInput], actor,
                 now: datetime | None = None) -> Quote:
    """Quote the work from the project's published prices. A quote that nobody has paid may be replaced until the
    work is completed; the replacement needs the resident's agreement again."""
    now = now or timezone.now()
    wo = _lock(work_order)
    _require_handler(actor, wo)
    if wo.status in _CLOSED:
        raise ApplicationError(_("Work order %(number)s is %(status)s: it can no longer be quoted.")
                               % {"number": wo.number, "status": wo.get_status_display()}, status_code=409)
    paid = _valid_payment(wo)
    if paid is not None:
        raise ApplicationError(_("Work order %(number)s is already paid (receipt %(receipt)s); void the receipt "
                                 "before quoting again.") % {"number": wo.number, "receipt": paid.receipt_number},
                               status_code=409)
    wanted: dict[int, Decimal] = {}
    errors: dict[str, list[str]] = {}
    for line in lines:
        quantity = _quantity(line.quantity)
        if quantity is None:
            errors.setdefault("lines", []).append(_("A quantity must be a number from 0 to 9999."))
        elif quantity > 0:
            wanted[int(line.item_id)] = wanted.get(int(line.item_id), Decimal(0)) + quantity
    items = PriceItem.objects.in_bulk([*wanted])
    if any(item_id not in items or items[item_id].project_id != wo.project_id or not items[item_id].active
           for item_id in wanted):
        errors.setdefault("lines", []).append(_("Quote only items of this project's current price list."))
    if not wanted and not errors:
        errors["lines"] = [_("Give the quantity of at least one item.")]
    if errors:
        _fields(errors)
    quote = _quote(wo, lock=True)
    if quote is None:
        quote = Quote(work_order=wo, project_id=wo.project_id, revision=1)
    else:
        quote.lines.all().delete()
        quote.revision += 1
    rows = [QuoteLine(item=items[item_id], name=items[item_id].name, unit=items[item_id].unit, quantity=quantity,
                      unit_price=items[item_id].price,
                      amount=(items[item_id].price * quantity).quantize(CENT, rounding=ROUND_HALF_UP))
            for item_id, quantity in wanted.items()]
    quote.total = sum((row.amount for row in rows), Decimal("0.00"))
    quote.created_by, quote.created_at = actor, now
    quote.agreed_at, quote.agreement_method, quote.agreement_recorded_by, quote.signature = None, "", None, ""
    quote.code_hash, quote.code_sent_at, quote.declined_at, quote.decline_reason = "", None, None, ""
    quote.save()
    for row in rows:
        row.quote = quote
    QuoteLine.objects.bulk_create(rows)
    event_add(request=wo.request, work_order=wo, kind=EventKind.PAYMENT, action="quote", actor=actor, at=now,
              message=_("Quote %(total)s: %(lines)s") % {"total": yuan(quote.total), "lines": _describe(rows)},
              data={"total": str(quote.total), "revision": quote.revision})
    return quote


def _pending_quote(wo: WorkOrder) -> Quote:
    quote = _quote(wo, lock=True)
    if quote is None:
        raise ApplicationError(_("Work order %(number)s has no quote.") % {"number": wo.number}, status_code=409)
    if quote.agreed_at is not None:
        raise ApplicationError(_("The resident has already agreed to this quote."), status_code=409)
    if quote.declined_at is not None:
        raise ApplicationError(_("The resident declined this quote; make a new one or cancel the order."),
                               status_code=409)
    if wo.status in _CLOSED:
        raise ApplicationError(_("Work order %(number)s is %(status)s.")
                               % {"number": wo.number, "status": wo.get_status_display()}, status_code=409)
    return quote


def _code_state(quote: Quote) -> codes.CodeState:
    return codes.CodeState(purpose=f"quote:{quote.pk}:{quote.revision}", digest=quote.code_hash,
                           sent_at=quote.code_sent_at, wrong=quote.code_wrong)


def quote_code_try(*, work_order: WorkOrder, actor, code: str, now: datetime | None = None) -> None:
    """Count one try of the quote's agreement code before the agreement itself (the form calls this first, outside
    any transaction): a wrong code is counted, committed and raised at ``code``; after 5 the code is dead. Nothing is
    counted when there is no pending quote or this actor may not record the agreement (quote_agree says why)."""
    now = now or timezone.now()
    found = {}

    def load():
        wo = _lock(work_order)
        if not can_handle(actor, wo):
            return None
        try:
            quote = _pending_quote(wo)
        except ApplicationError:
            return None
        found["quote"] = quote
        return _code_state(quote)

    def save(wrong):
        Quote.objects.filter(pk=found["quote"].pk).update(code_wrong=wrong)

    codes.code_try(load=load, save=save, field="code", code=code, now=now)


@transaction.atomic
def quote_send_code(*, work_order: WorkOrder, actor, now: datetime | None = None) -> None:
    """Text the resident the quote and a one-time code they give the technician if they agree."""
    now = now or timezone.now()
    wo = _lock(work_order)
    _require_handler(actor, wo)
    quote = _pending_quote(wo)
    phone = wo.request.contact_phone
    if not phone.startswith("1"):
        raise ApplicationError(_("The request has no mobile number to send a code to; ask for a signature."))
    codes.phone_send_allow(phone=phone, field="code", now=now)
    code = codes.new_code()
    quote.code_hash = codes.code_digest(_code_state(quote).purpose, code)
    quote.code_sent_at, quote.code_wrong = now, 0
    quote.save(update_fields=["code_hash", "code_sent_at", "code_wrong"])
    # urgent: the technician waits on site for the resident's agreement code
    outbox_add(channel="sms", to=phone, key=f"quote-code:{quote.pk}:{now.timestamp():.3f}", project=wo.project,
               urgent=True, now=now, template="quote_code",
               params={"number": wo.number, "total": yuan(quote.total), "code": code,
                       "lines": _describe(quote.lines.all())})
    event_add(request=wo.request, work_order=wo, kind=EventKind.PAYMENT, action="quote_code", actor=actor, at=now,
              message=_("Quote and agreement code sent to the resident."))


@transaction.atomic
def quote_agree(*, work_order: WorkOrder, actor, method: str, signature: str = "", code: str = "",
                now: datetime | None = None) -> Quote:
    """Record the resident's agreement to the quote: a signature drawn on the technician's phone, the code texted to
    them, in person at the desk (recorded by the staff member), or by the resident themselves in the app."""
    now = now or timezone.now()
    wo = _lock(work_order)
    if method == AgreementMethod.APP:
        if not is_reporter(actor, wo):
            raise PermissionDenied(_("Only the resident who reported it agrees to a quote in the app."))
    else:
        _require_handler(actor, wo)
    quote = _pending_quote(wo)
    if method == AgreementMethod.APP:
        pass
    elif method == AgreementMethod.SIGNATURE:
        if not is_png_data_url(signature):
            _fields({"signature": [_("The signature could not be read; ask the resident to sign again.")]})
        quote.signature = signature
    elif method == AgreementMethod.CODE:
        # Counted by quote_code_try before; here only checked again under this transaction's lock.
        state = _code_state(quote)
        if not codes.code_matches(state, code, now):
            raise codes.code_error(state, "code", now)
        quote.code_hash = ""  # used: it agrees to this quote only
    elif method != AgreementMethod.IN_PERSON:
        _fields({"method": [_("Choose how the resident agreed.")]})
    quote.agreed_at, quote.agreement_method, quote.agreement_recorded_by = now, method, actor
    quote.save()
    event_add(request=wo.request, work_order=wo, kind=EventKind.PAYMENT, action="quote_agree", actor=actor, at=now,
              message=_("The resident agreed to the quote of %(total)s (%(method)s).")
              % {"total": yuan(quote.total), "method": quote.get_agreement_method_display()},
              data={"total": str(quote.total), "method": method})
    return quote


@transaction.atomic
def quote_decline(*, work_order: WorkOrder, actor, reason: str = "", now: datetime | None = None) -> Quote:
    """The resident does not want the paid work: the order cannot start; quote again or cancel it. Recorded by the
    staff, or by the resident in the app (who must say why)."""
    now = now or timezone.now()
    wo = _lock(work_order)
    by_resident = is_reporter(actor, wo)
    if not by_resident:
        _require_handler(actor, wo)
    quote = _pending_quote(wo)
    if by_resident and not (reason or "").strip():
        _fields({"reason": [_("Tell us why you decline the quote.")]})
    quote.declined_at, quote.decline_reason = now, (reason or "").strip()[:200]
    quote.save(update_fields=["declined_at", "decline_reason"])
    event_add(request=wo.request, work_order=wo, kind=EventKind.PAYMENT, action="quote_decline", actor=actor, at=now,
              message=_("The resident declined the quote of %(total)s. %(reason)s")
              % {"total": yuan(quote.total), "reason": quote.decline_reason},
              data={"total": str(quote.total), "by_resident": by_resident, "reason": quote.decline_reason})
    return quote


def paid_work_check(*, work_order: WorkOrder, action: str) -> None:
    """Called by workorder_act (with the order locked): work on a quoted order may not start (arrive) or complete
    before the resident agreed the quote."""
    if action not in (WorkOrderAction.ARRIVE, WorkOrderAction.COMPLETE):
        return
    quote = _quote(work_order)
    if quote is None or quote.agreed_at is not None:
        return
    if quote.declined_at is not None:
        message = _("Work order %(number)s is a paid repair and the resident declined the quote of %(total)s: quote "
                    "again or cancel the order.")
    else:
        message = _("Work order %(number)s is a paid repair: the resident must agree to the quote of %(total)s "
                    "before work starts.")
    raise ApplicationError(message % {"number": work_order.number, "total": yuan(quote.total)},
                           {"code": "quote_not_agreed"}, status_code=409)


def parse_amount(raw) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace("¥", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


@transaction.atomic
def payment_record(*, work_order: WorkOrder, amount, method: str, actor, now: datetime | None = None) -> Payment:
    """Take the agreed amount and issue the receipt. The amount must be exactly the agreed total."""
    now = now or timezone.now()
    wo = _lock(work_order)
    _require_handler(actor, wo)
    if wo.status == WorkOrderStatus.CANCELLED:
        raise ApplicationError(_("Work order %(number)s is cancelled.") % {"number": wo.number}, status_code=409)
    quote = _quote(wo)
    if quote is None or quote.agreed_at is None:
        raise ApplicationError(_("Work order %(number)s has no quote the resident agreed to; nothing can be charged.")
                               % {"number": wo.number}, status_code=409)
    paid = _valid_payment(wo)
    if paid is not None:
        raise ApplicationError(_("Work order %(number)s is already paid: receipt %(receipt)s.")
                               % {"number": wo.number, "receipt": paid.receipt_number}, status_code=409)
    errors: dict[str, list[str]] = {}
    if method not in PaymentMethod.values:
        errors["method"] = [_("Choose how the resident paid.")]
    value = parse_amount(amount)
    if value is None or value != quote.total:
        errors["amount"] = [_("The amount must be the agreed total, %(total)s.") % {"total": yuan(quote.total)}]
    if errors:
        _fields(errors)
    # Every check is done: take the number last, in this transaction.
    seq = counter_take(numbers.receipt_counter_key(wo.project_id))
    request = wo.request
    payment = Payment.objects.create(
        project_id=wo.project_id, work_order=wo, amount=quote.total, method=method, cashier=actor, paid_at=now,
        receipt_number=numbers.receipt_number(wo.project.number_prefix, timezone.localtime(now).year, seq),
        payer=request.contact_name,
        location=" ".join(dict.fromkeys(p for p in (request.location_label, request.location_note) if p))[:100],
        items=[{"name": line.name, "unit": line.unit, "quantity": str(line.quantity),
                "unit_price": str(line.unit_price), "amount": str(line.amount)} for line in quote.lines.all()])
    event_add(request=request, work_order=wo, kind=EventKind.PAYMENT, action="payment", actor=actor, at=now,
              message=_("Paid %(amount)s by %(method)s, receipt %(receipt)s.")
              % {"amount": yuan(payment.amount), "method": payment.get_method_display(),
                 "receipt": payment.receipt_number},
              data={"payment_id": payment.pk, "receipt": payment.receipt_number, "amount": str(payment.amount)})
    paid = {"amount": yuan(payment.amount), "number": wo.number, "receipt": payment.receipt_number}
    tell_resident(request, f"paid-{payment.pk}", _("We received %(amount)s for work order %(number)s; your receipt "
                                                   "number is %(receipt)s.") % paid,
                  template="payment_received", params=paid, now=now)
    return payment


@transaction.atomic
def payment_void(*, payment: Payment, actor, reason: str, now: datetime | None = None) -> Payment:
    """Void a receipt (作废): it keeps its number and stays on record; the order may then be paid again under a new
    number. Receipts are money documents, so only the project manager voids them."""
    now = now or timezone.now()
    if not user_can(actor, Capability.EDIT_ORG):
        raise PermissionDenied(_("Only the project manager may void a receipt."))
    payment = (Payment.objects.select_for_update(of=("self",)).select_related("work_order", "work_order__request")
               .get(pk=payment.pk))
    if payment.voided_at is not None:
        raise ApplicationError(_("Receipt %(receipt)s is already void.") % {"receipt": payment.receipt_number},
                               status_code=409)
    reason = (reason or "").strip()
    if not reason:
        _fields({"reason": [_("Say why the receipt is voided.")]})
    payment.voided_at, payment.voided_by, payment.void_reason = now, actor, reason[:200]
    payment.save(update_fields=["voided_at", "voided_by", "void_reason"])
    wo = payment.work_order
    event_add(request=wo.request, work_order=wo, kind=EventKind.PAYMENT, action="payment_void", actor=actor, at=now,
              message=_("Receipt %(receipt)s voided: %(reason)s") % {"receipt": payment.receipt_number,
                                                                    "reason": payment.void_reason},
              data={"payment_id": payment.pk, "receipt": payment.receipt_number})
    return payment

