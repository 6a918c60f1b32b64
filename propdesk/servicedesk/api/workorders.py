"""/api/desk/work-orders/… and the price list: a technician's orders, their actions (with the state an offline
phone saw) and the codes; registered on the desk's router by ``api/__init__.py``. The operation ids are
written out: they are the ones these operations had before the API was split, and clients generated from the
OpenAPI document name their methods after them."""

from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Schema
from ninja.pagination import paginate

from propdesk.core.errors import ApplicationError
from propdesk.core.views_utils import scoped_404
from propdesk.org.api import CappedPagination, require
from propdesk.org.models import Project
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..choices import WorkOrderStatus
from ..models import PriceItem
from ..rules.transitions import WorkOrderAction
from ..services import offline
from ..services.workorders import (
    workorder_act,
    workorder_code_try,
    workorder_send_code,
)
from . import _workorder_detail, require_staff, router
from .schemas import (
    ActionIn,
    WorkOrderDetailOut,
    WorkOrderFilters,
    WorkOrderOut,
)

# --- work orders ------------------------------------------------------------------------------------------

@router.get("/work-orders", response=list[WorkOrderOut], summary="Work orders in scope: my orders, the pool, "
            "overdue and due soon, by department and status",
            operation_id="propdesk_servicedesk_api_workorder_list_api")
@paginate(CappedPagination)
def workorder_list_api(request, filters: Query[WorkOrderFilters]):
    require_staff(request)
    status = filters.status or (WorkOrderStatus.POOLED if filters.pool else None)
    orders = selectors.workorder_list(user=request.user, filters={
        "status": status, "department_id": filters.department, "live": filters.live,
        "assignee_id": request.user.pk if filters.assignee == "me" else int(filters.assignee or 0),
        "overdue": filters.overdue, "due_soon": filters.due_soon, "nobody_can_grab": filters.nobody_can_grab,
        "with_grab_flag": True})
    return orders.none() if filters.pool and status != WorkOrderStatus.POOLED else orders


@router.get("/work-orders/{int:work_order_id}", response=WorkOrderDetailOut,
            summary="A work order with the caller's actions and its timeline (contact phone masked)",
            operation_id="propdesk_servicedesk_api_workorder_get")
def workorder_get(request, work_order_id: int):
    require_staff(request)
    return _workorder_detail(request, work_order_id)


@router.post("/work-orders/{int:work_order_id}/actions/{action}", response=WorkOrderDetailOut,
             summary="Take one action of the transition table; a refused one is a 409 and changes nothing",
             description="An action queued offline sends `expected_status` (and `expected_assignee_id`): an order "
                         "changed since is a 409 naming the change. With an `Idempotency-Key` header a retry of an "
                         "action already applied answers 200 with the order and writes nothing; the same key for "
                         "another action answers 422.",
            operation_id="propdesk_servicedesk_api_workorder_act_api")
def workorder_act_api(request, work_order_id: int, action: WorkOrderAction, payload: ActionIn | None = None,
                      idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100)):
    require_staff(request)
    payload = payload or ActionIn()
    with scoped_404():
        wo = selectors.workorder_detail(user=request.user, work_order_id=work_order_id)
    key = idempotency_key.strip()
    seen = (offline.Seen(status=payload.expected_status, assignee_id=payload.expected_assignee_id)
            if payload.expected_status is not None else None)
    # A retry or a changed order is answered before a completion code is counted (workorder_act checks both again
    # under its lock).
    if key and offline.action_replayed(work_order=wo, actor=request.user, action=action, key=key):
        return _workorder_detail(request, wo.pk)
    if seen is not None:
        offline.seen_check(work_order=wo, action=action, seen=seen)
    if action == WorkOrderAction.COMPLETE and payload.confirmation_code.strip() and not payload.signature:
        # counted on its own before the completion: 5 wrong codes kill the code (429)
        workorder_code_try(work_order=wo, actor=request.user, code=payload.confirmation_code)
    workorder_act(work_order=wo, actor=request.user, action=action, reason=payload.reason,
                  assignee_id=payload.assignee_id, hold_reason=payload.hold_reason or "", result=payload.result,
                  materials=payload.materials, signature=payload.signature,
                  confirmation_code=payload.confirmation_code, confirm_in_app=payload.confirm_in_app,
                  seen=seen, idempotency_key=key)
    return _workorder_detail(request, wo.pk)


@router.post("/work-orders/{int:work_order_id}/send-code", response=WorkOrderDetailOut,
             summary="Text the resident a one-time code that confirms the work instead of a signature",
            operation_id="propdesk_servicedesk_api_workorder_send_code_api")
def workorder_send_code_api(request, work_order_id: int):
    require_staff(request)
    with scoped_404():
        wo = selectors.workorder_detail(user=request.user, work_order_id=work_order_id)
    workorder_send_code(work_order=wo, actor=request.user)
    return _workorder_detail(request, wo.pk)


# --- the price list (read) --------------------------------------------------------------------------------

class PriceItemOut(Schema):
    id: int
    project_id: int
    name: str
    unit: str
    price: Decimal = Field(..., description="Yuan, two decimals.")


@router.get("/prices", response=list[PriceItemOut],
            summary="The published prices of paid repairs in the caller's projects, active items only "
                    "(VIEW_PRICES: agents quote them on the phone); ?project= narrows to one project",
            operation_id="propdesk_servicedesk_api_price_list_api")
def price_list_api(request, project: int | None = None):
    require(request, Capability.VIEW_PRICES)
    items = PriceItem.objects.restrict(request.user).filter(active=True)
    if project is not None:
        if not Project.objects.restrict(request.user).filter(pk=project).exists():
            raise ApplicationError(_("Please correct the marked fields."),
                                   {"fields": {"project": [_("No such project in your scope.")]}})
        items = items.filter(project_id=project)
    return list(items.order_by("project_id", "name"))
