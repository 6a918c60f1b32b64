"""Reads for paid repairs and incidents, always through the user's scope (kept beside selectors.py, which other work
is changing; fold in when convenient). Panels fetch what they show in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q

from ..models import Incident, IncidentUpdate, Payment, PriceItem, Quote, QuoteLine, ServiceRequest, WorkOrder


def price_items(*, project_id: int, active_only: bool = False):
    qs = PriceItem.objects.filter(project_id=project_id)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("name")


def billing_for(work_order_ids: list[int]) -> dict[int, dict]:
    """Quote (with its lines) and payments per work order id: three queries whatever the number of orders."""
    quotes = {q.work_order_id: q for q in Quote.objects.filter(work_order_id__in=work_order_ids)
              .select_related("agreement_recorded_by__staff_profile")
              .prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.order_by("id")))}
    payments: dict[int, list[Payment]] = {}
    for payment in Payment.objects.filter(work_order_id__in=work_order_ids).order_by("paid_at", "id"):
        payments.setdefault(payment.work_order_id, []).append(payment)
    return {pk: {"quote": quotes.get(pk), "payments": payments.get(pk, [])} for pk in work_order_ids}


def receipt_detail(*, user, payment_id: int) -> Payment:
    return (Payment.objects.restrict(user)
            .select_related("project", "project__company", "work_order", "work_order__request",
                            "cashier__staff_profile", "voided_by__staff_profile")
            .get(pk=payment_id))


def incident_list(*, user, filters: dict | None = None):
    filters = filters or {}
    qs = (Incident.objects.restrict(user).select_related("project", "created_by__staff_profile")
          .annotate(request_count=Count("requests"),
                    open_count=Count("requests", filter=Q(requests__status__in=["open", "in_progress", "resolved"]))))
    if filters.get("state") == "open":
        qs = qs.filter(is_open=True)
    elif filters.get("state") == "closed":
        qs = qs.filter(is_open=False)
    if filters.get("project_id"):
        qs = qs.filter(project_id=filters["project_id"])
    return qs.order_by("-is_open", "-created_at", "-id")


def incident_detail(*, user, incident_id: int) -> Incident:
    return Incident.objects.restrict(user).select_related("project", "created_by__staff_profile").get(pk=incident_id)


def incident_requests(*, incident: Incident):
    return (ServiceRequest.objects.filter(incident=incident)
            .select_related("room", "common_area", "reporter").order_by("received_at", "id"))


def incident_updates(*, incident: Incident):
    return IncidentUpdate.objects.filter(incident=incident).select_related("actor__staff_profile").order_by("at", "id")


def open_incidents(*, project_id: int):
    return Incident.objects.filter(project_id=project_id, is_open=True).order_by("-created_at")


def workorder_ids(*, request: ServiceRequest) -> list[int]:
    return list(WorkOrder.objects.filter(request=request).order_by("id").values_list("id", flat=True))
