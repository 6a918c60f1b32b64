"""Panels that the request and work-order pages include: the paid-repair panel (quote, payment, receipts) and the
incident panel. Each fetches what it shows in a fixed number of queries."""

from django import template

from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from ..choices import RequestStatus, WorkOrderStatus
from ..models import PaymentMethod
from ..selectors import billing as selectors_billing
from ..services.payments import can_handle

register = template.Library()


def _staff(user) -> bool:
    return user_role(user) not in (None, "resident")


@register.inclusion_tag("servicedesk/_billing_panel.html", takes_context=True)
def billing_panel(context, wo):
    """On the work-order page: the quote and what to do next (quote, agree, take payment), the receipts."""
    user = context["request"].user
    billing = selectors_billing.billing_for([wo.pk])[wo.pk]
    quote, payments = billing["quote"], billing["payments"]
    paid = next((p for p in payments if not p.is_void), None)
    handler = _staff(user) and can_handle(user, wo)
    live = wo.status not in (WorkOrderStatus.COMPLETED, WorkOrderStatus.CANCELLED)
    return {
        "wo": wo, "quote": quote, "payments": payments, "paid": paid, "is_staff": _staff(user),
        "can_quote": handler and live and paid is None,
        "can_pay": bool(handler and quote and quote.agreed_at and paid is None
                        and wo.status != WorkOrderStatus.CANCELLED),
        "methods": PaymentMethod.choices, "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("servicedesk/_request_panels.html", takes_context=True)
def request_panels(context, sr, work_orders=None):
    """On the request page: the incident it belongs to (with the link control) and the paid work of its orders."""
    user = context["request"].user
    staff = _staff(user)
    ids = [wo.pk for wo in work_orders] if work_orders is not None else selectors_billing.workorder_ids(request=sr)
    billing = selectors_billing.billing_for(ids)
    numbers = {wo.pk: wo.number for wo in work_orders} if work_orders is not None else {}
    paid_work = [{"pk": pk, "number": numbers.get(pk, ""), **data} for pk, data in billing.items()
                 if data["quote"] is not None or data["payments"]]
    can_link = staff and user_can(user, Capability.DISPATCH) and sr.status != RequestStatus.CANCELLED
    return {
        "sr": sr, "is_staff": staff, "paid_work": paid_work, "can_link": can_link,
        "incident": sr.incident if staff else None,
        "open_incidents": (list(selectors_billing.open_incidents(project_id=sr.project_id))
                           if can_link and sr.incident_id is None else []),
        "csrf_token": context.get("csrf_token"),
    }
