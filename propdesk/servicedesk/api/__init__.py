"""JSON API of the service desk: /api/desk/….

The same rules as the pages: handlers parse input, fetch through the caller's scope (a row outside it is a 404),
call one service and return a schema. A missing capability is a 403, a bad field a 400 naming it, an action the
transition table refuses a 409 (the service's status) that changes nothing. The contact phone is masked in every
response. This is the staff's API (deadlines, escalations, internal notes, the resident's mood): a resident gets a
403 and follows their requests at /api/portal/requests, in plain words.
"""

import hashlib
import json
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import AfterValidator, BeforeValidator, model_validator

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.masking import mask_phone
from propdesk.core.views_utils import scoped_404
from propdesk.org.api import Pagination, require
from propdesk.org.models import Department, Project, Room
from propdesk.org.rules import parse_room_code
from propdesk.staff.permissions import user_role
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..choices import Channel, ComplaintCategory, Emotion, HoldReason, Kind, RequestStatus, Severity, WorkOrderStatus
from ..models import PriceItem
from ..rules.intake import TEXT_LIMITS
from ..rules.transitions import WorkOrderAction
from ..services import offline
from ..services.attachments import attachments_add
from ..services.dispatch import request_dispatch, request_dispatch_by_rule
from ..services.pools import pool_has_grabbers
from ..services.requests import RequestInput, request_acknowledge, request_comment, request_reply, request_submit
from ..services.workorders import (
    actions_for,
    workorder_act,
    workorder_code_try,
    workorder_create,
    workorder_send_code,
)

router = Router(tags=["servicedesk"])


# --- who may ----------------------------------------------------------------------------------------------

def require_staff(request) -> None:
    """The desk and the work-order queues are for staff; residents have the portal's API."""
    role = user_role(request.user)
    if role == "resident":
        require(request, Capability.RECORD_REQUESTS)  # the staff-API refusal that points to /api/portal/
    if role is None:
        raise PermissionDenied(_("Your role may not do this."))


def require_reader(request) -> None:
    """Staff read requests with RECORD_REQUESTS."""
    require(request, Capability.RECORD_REQUESTS)


def fail(fields: dict[str, list[str]]):
    raise ApplicationError(_("Please correct the marked fields."), {"fields": fields})


# --- input ------------------------------------------------------------------------------------------------

def _aware(value: datetime | None) -> datetime | None:
    """A time sent without an offset is local time, as in the forms (never a naive/aware comparison → 500)."""
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value


AwareDateTime = Annotated[datetime, AfterValidator(_aware)]
BlankIsNone = BeforeValidator(lambda value: None if value == "" else value)


class DispatchIn(Schema):
    auto: bool = Field(False, description="Dispatch by the project's dispatch rules (kind and building); when no "
                                          "rule matches, the request waits in the dispatch queue.")
    department_id: int | None = None
    assignee_id: int | None = Field(None, description="A person of the department; null puts the order in the "
                                                      "department's pool.")

    @model_validator(mode="after")
    def _auto_or_department(self):
        if not self.auto and self.department_id is None:
            raise ValueError("give department_id, or auto: true to dispatch by the project's rules")
        return self


class RequestIn(Schema):
    project_id: int
    channel: Channel
    kind: Kind
    description: str = Field(..., max_length=TEXT_LIMITS["description"])
    contact_name: str = Field("", max_length=TEXT_LIMITS["contact_name"],
                              description="Defaults to the reporter's name.")
    contact_phone: str = Field("", max_length=30, description="Empty (or masked as the API shows it) for a "
                                                              "reporter from the archive: their number is used.")
    reporter_id: int | None = Field(None, description="A resident of the project.")
    room_code: str = Field("", max_length=50, description="e.g. 3-2-1802; or give room_id.")
    room_id: int | None = None
    common_area_id: int | None = None
    location_note: str = Field("", max_length=TEXT_LIMITS["location_note"])
    occurred_at: AwareDateTime | None = None
    cause: str = Field("", max_length=TEXT_LIMITS["cause"])
    impact: str = Field("", max_length=TEXT_LIMITS["impact"])
    resident_request: str = Field("", max_length=TEXT_LIMITS["resident_request"])
    resident_deadline: AwareDateTime | None = None
    appointment_at: AwareDateTime | None = None
    emotion: Emotion = Emotion.CALM
    urgent: bool | None = Field(None, description="null: judged from the description.")
    complaint_category: Annotated[ComplaintCategory | None, BlankIsNone] = None
    severity: Annotated[Severity | None, BlankIsNone] = None
    complained_department_id: int | None = None
    complained_person: str = Field("", max_length=TEXT_LIMITS["complained_person"])
    dispatch: DispatchIn | None = Field(None, description="Record and dispatch in one step (DISPATCH).")


class RequestFilters(Schema):
    status: RequestStatus | None = None
    kind: Kind | None = None
    channel: Channel | None = None
    severity: Severity | None = None
    project: int | None = None
    q: str = Field("", max_length=100, description="Number, caller name, room code or words of the description.")
    open: bool = Field(False, description="Only open, in progress and resolved requests.")


class WorkOrderIn(Schema):
    department_id: int
    instructions: str = Field("", max_length=4000)


class ActionIn(Schema):
    reason: str = Field("", max_length=1000)
    assignee_id: int | None = None
    hold_reason: Annotated[HoldReason | None, BlankIsNone] = None
    result: str = Field("", max_length=4000)
    materials: str = Field("", max_length=2000)
    signature: str = Field("", description="PNG data URL drawn by the resident.")
    confirmation_code: str = Field("", max_length=12)
    confirm_in_app: bool = Field(False, description="Complete without a signature or code: the resident confirms "
                                                    "in the app (only when they have an app account).")
    expected_status: WorkOrderStatus | None = Field(
        None, description="From an offline queue: the order's status as the phone saw it when the action was taken. "
                          "Sent with it, expected_assignee_id (null: nobody). If the order has changed since, the "
                          "action is refused with a 409 naming what changed (extra.code 'changed') and nothing is "
                          "written.")
    expected_assignee_id: int | None = Field(None, description="With expected_status: who had the order then.")


class WorkOrderFilters(Schema):
    status: WorkOrderStatus | None = None
    department: int | None = None
    assignee: str = Field("", pattern=r"^(me|\d+)?$", description="me, or a user id.")
    pool: bool = Field(False, description="Only orders waiting in a pool to be grabbed.")
    nobody_can_grab: bool = Field(False, description="Only orders waiting in a pool that no one can grab from "
                                                     "(无人可抢): dispatch them to a person.")
    live: bool = False
    overdue: bool = False
    due_soon: bool = Field(False, description="Due within 4 hours.")


class ReplyIn(Schema):
    text: str = Field(..., max_length=4000)
    written: bool = False
    complaint_valid: bool | None = Field(None, description="Required for complaints.")
    root_cause: str = Field("", max_length=4000)


class CommentIn(Schema):
    text: str = Field(..., max_length=4000)
    internal: bool = True
    is_call: bool = False


# --- output -----------------------------------------------------------------------------------------------

def _name(user) -> str | None:
    if user is None:
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else user.get_username()


class ActionOut(Schema):
    action: str
    label: str
    style: str
    needs_reason: bool


class WorkOrderBriefOut(Schema):
    id: int
    number: str
    status: str
    department_name: str = Field(..., alias="department.name")
    assignee_name: str | None

    @staticmethod
    def resolve_assignee_name(wo) -> str | None:
        return _name(wo.assignee)


class WorkOrderOut(WorkOrderBriefOut):
    request_id: int
    request_number: str = Field(..., alias="request.number")
    project_id: int
    department_id: int
    assignee_id: int | None
    instructions: str | None
    kind: str = Field(..., alias="request.kind")
    urgent: bool = Field(..., alias="request.urgent")
    location: str = Field(..., alias="request.location_label")
    created_at: datetime
    dispatched_at: datetime | None
    accepted_at: datetime | None
    arrived_at: datetime | None
    completed_at: datetime | None
    held_since: datetime | None
    held_seconds: int
    hold_reason: str
    respond_by: datetime | None
    arrive_by: datetime | None
    resolve_by: datetime | None
    result: str
    materials: str | None
    confirmation_method: str
    confirmed_at: datetime | None
    reopen_count: int
    nobody_can_grab: bool = Field(..., description="Waits in a pool that no one can grab from (no active "
                                                   "technician or department staff in the department).")
    actions: list[ActionOut] = Field(..., description="What the caller may do now, from the transition table.")

    @staticmethod
    def resolve_nobody_can_grab(wo) -> bool:
        found = getattr(wo, "nobody_can_grab", None)  # annotated by the list selector
        if found is None:
            found = wo.status == WorkOrderStatus.POOLED and not pool_has_grabbers(wo.department)
        return bool(found)

    @staticmethod
    def resolve_actions(wo, context) -> list[dict]:
        request = context["request"]
        return [{"action": action.value, "label": _(transition.label), "style": transition.style,
                 "needs_reason": transition.needs_reason} for action, transition in actions_for(request.user, wo)]


class EventOut(Schema):
    id: int
    at: datetime
    kind: str
    action: str
    message: str
    internal: bool
    actor_name: str | None
    work_order_id: int | None

    @staticmethod
    def resolve_actor_name(event) -> str | None:
        return _name(event.actor)


class WorkOrderDetailOut(WorkOrderOut):
    description: str = Field(..., alias="request.description")
    severity: str = Field(..., alias="request.severity", description="Of a complaint: major, important, minor.")
    resident_request: str = Field(..., alias="request.resident_request", description="What the resident asks for.")
    resident_deadline: datetime | None = Field(..., alias="request.resident_deadline")
    emotion: str = Field(..., alias="request.emotion", description="The resident's mood as judged at intake.")
    contact_name: str = Field(..., alias="request.contact_name")
    contact_phone: str = Field(..., description="Masked.")
    timeline: list[EventOut] = Field(..., alias="timeline_rows")

    @staticmethod
    def resolve_contact_phone(wo) -> str:
        return mask_phone(wo.request.contact_phone)


class RequestListOut(Schema):
    id: int
    number: str
    project_id: int
    project_name: str = Field(..., alias="project.name")
    channel: str
    kind: str
    status: str
    severity: str
    urgent: bool
    contact_name: str
    contact_phone: str = Field(..., description="Masked.")
    location: str = Field(..., alias="location_label")
    description: str
    received_at: datetime
    respond_by: datetime | None
    resolve_by: datetime | None
    closed_at: datetime | None
    work_orders: list[WorkOrderBriefOut]
    hurry_count: int = Field(..., description="How often the resident hurried (催单) the request in the app.")
    last_hurried_at: datetime | None

    @staticmethod
    def resolve_contact_phone(sr) -> str:
        return mask_phone(sr.contact_phone)

    @staticmethod
    def resolve_work_orders(sr):
        return list(sr.work_orders.all())  # prefetched by the selector


class AttachmentOut(Schema):
    id: int
    url: str = Field(..., description="Where the photo is served, to callers who may see its request")
    content_type: str
    size: int
    original_name: str = Field(..., description="The uploader's file name, for display; never the stored name")
    work_order_id: int | None
    uploaded_at: datetime

    @staticmethod
    def resolve_url(attachment) -> str:
        return reverse("api:attachment_download", kwargs={"attachment_id": attachment.pk})


class RequestDetailOut(RequestListOut):
    reporter_id: int | None
    room_id: int | None
    common_area_id: int | None
    location_note: str
    occurred_at: datetime | None
    cause: str
    impact: str
    resident_request: str
    resident_deadline: datetime | None
    appointment_at: datetime | None
    emotion: str | None
    complaint_category: str | None
    complained_department_id: int | None
    complained_person: str | None
    complaint_valid: bool | None
    root_cause: str | None
    needs_written_reply: bool
    written_reply_at: datetime | None
    reply: str
    replied_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None
    responded_at: datetime | None  # when the response respond_by asks for came (see ServiceRequest.responded_at)
    incident_id: int | None
    work_orders: list[WorkOrderOut] = Field(..., alias="work_order_rows")
    timeline: list[EventOut] = Field(..., alias="timeline_rows")
    attachments: list[AttachmentOut] = Field(..., alias="attachment_rows")

    @staticmethod
    def resolve_responded_at(sr):
        return sr.responded_at(sr.work_order_rows)


# --- requests ---------------------------------------------------------------------------------------------

def _request_detail(request, request_id: int):
    with scoped_404():
        sr = selectors.request_detail(user=request.user, request_id=request_id)
    sr.work_order_rows = list(sr.work_orders.select_related("department", "assignee__staff_profile")
                              .annotate(nobody_can_grab=selectors.nobody_can_grab()).order_by("id"))
    sr.timeline_rows = list(selectors.request_timeline(request=sr, include_internal=True))
    sr.attachment_rows = list(sr.attachments.all())
    return sr


def _load_request(request, request_id: int):
    with scoped_404():
        return selectors.request_detail(user=request.user, request_id=request_id)


@router.post("/requests", response={200: RequestDetailOut, 201: RequestDetailOut},
             summary="Record a request, optionally dispatching it (RECORD_REQUESTS; dispatch needs DISPATCH)",
             description="With an `Idempotency-Key` header a retried submission creates nothing: the first call "
                         "answers 201, a retry with the same body 200 with the same request; the same key with a "
                         "different body answers 422 and records nothing.")
def request_submit_api(request, payload: RequestIn,
                       idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100)):
    require(request, Capability.RECORD_REQUESTS)
    if payload.dispatch is not None:
        require(request, Capability.DISPATCH)
    project = Project.objects.restrict(request.user).filter(pk=payload.project_id).first()
    if project is None:
        fail({"project_id": [_("No such project in your scope.")]})
    now = timezone.now()
    with transaction.atomic():
        sr = request_submit(actor=request.user, project=project, data=_request_input(project, payload),
                            idempotency_key=idempotency_key.strip(), idempotency_fingerprint=_fingerprint(payload),
                            now=now)
        # A request recorded by this call was received now; a retried key returns the earlier one. Unlike a
        # look-up of the key beforehand, this also holds when two retries race.
        created = sr.received_at == now
        if created and payload.dispatch is not None:
            _dispatch_new(request.user, sr, payload.dispatch)
    return Status(201 if created else 200, _request_detail(request, sr.pk))


def _fingerprint(payload: RequestIn) -> str:
    """A digest of what the body asks for, after parsing: key order, spacing and fields sent with their default
    value do not make a retry a different request; any value that differs does."""
    canonical = json.dumps(payload.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _request_input(project: Project, payload: RequestIn) -> RequestInput:
    room_id = payload.room_id
    code_text = payload.room_code.strip()
    if code_text:
        if room_id is not None:
            fail({"room_code": [_("Give the room by its code or by its id, not both.")]})
        code = parse_room_code(code_text)
        room = Room.objects.filter(project=project, code="-".join(code)).first() if code else None
        if room is None:
            fail({"room_code": [_("No room %(code)s in %(project)s. Use building-unit-room, e.g. 3-2-1802.")
                                % {"code": code_text, "project": project.name}]})
        room_id = room.pk
    phone = payload.contact_phone.strip()
    if "*" in phone and payload.reporter_id:  # the masked number the API shows: keep the archive's number
        phone = ""
    values = payload.model_dump(include={
        "channel", "kind", "description", "contact_name", "reporter_id", "common_area_id", "location_note",
        "occurred_at", "cause", "impact", "resident_request", "resident_deadline", "appointment_at", "emotion",
        "urgent", "complained_department_id", "complained_person"})
    return RequestInput(**values, contact_phone=phone, room_id=room_id,
                        complaint_category=payload.complaint_category or "", severity=payload.severity or "")


def _dispatch_new(user, sr, dispatch: DispatchIn) -> None:
    try:
        if dispatch.auto:
            request_dispatch_by_rule(request=sr, actor=user)
        elif dispatch.department_id is None:
            fail({"department_id": [_("Choose a department of this project.")]})
        else:
            request_dispatch(request=sr, actor=user, department_id=dispatch.department_id,
                             assignee_id=dispatch.assignee_id)
    except ApplicationError as error:  # name the fields as the client sent them
        fields = {f"dispatch.{name}": messages for name, messages in error.field_errors.items()}
        raise ApplicationError(error.message, {**error.extra, **({"fields": fields} if fields else {})},
                               status_code=error.status_code) from None


@router.get("/requests", response=list[RequestListOut], summary="Requests in scope (phones masked); a resident "
            "sees their own")
@paginate(Pagination)
def request_list_api(request, filters: Query[RequestFilters]):
    require_reader(request)
    return selectors.request_list(user=request.user, filters={
        "status": filters.status, "kind": filters.kind, "channel": filters.channel, "severity": filters.severity,
        "project_id": filters.project, "q": filters.q, "open": filters.open})


@router.get("/requests/{int:request_id}", response=RequestDetailOut,
            summary="A request with its work orders (and the caller's actions on each), photos and timeline")
def request_get(request, request_id: int):
    require_reader(request)
    return _request_detail(request, request_id)


@router.post("/requests/{int:request_id}/photos", response={201: list[AttachmentOut]},
             summary="Add photos to a request or one of its work orders (images, at most 5 MB each)")
def request_photos(request, request_id: int, files: File[list[UploadedFile]], work_order_id: Form[int | None] = None):
    require(request, Capability.RECORD_REQUESTS)
    sr = _load_request(request, request_id)
    work_order = None
    if work_order_id is not None:
        work_order = sr.work_orders.filter(pk=work_order_id).first()
        if work_order is None:
            fail({"work_order_id": [_("No such work order on this request.")]})
    return Status(201, attachments_add(request=sr, files=files, actor=request.user, work_order=work_order,
                                       field="files"))


@router.post("/requests/{int:request_id}/work-orders", response={201: WorkOrderDetailOut},
             summary="Add a work order for a department of the request's project (DISPATCH)")
def workorder_create_api(request, request_id: int, payload: WorkOrderIn):
    require(request, Capability.DISPATCH)
    sr = _load_request(request, request_id)
    department = Department.objects.filter(pk=payload.department_id, project=sr.project_id).first()
    if department is None:
        fail({"department_id": [_("Choose a department of this project.")]})
    work_order = workorder_create(request=sr, department=department, actor=request.user,
                                  instructions=payload.instructions)
    return Status(201, _workorder_detail(request, work_order.pk))


@router.post("/requests/{int:request_id}/reply", response=RequestDetailOut,
             summary="Answer the resident; a request whose work is done is closed by it (REPLY)")
def request_reply_api(request, request_id: int, payload: ReplyIn):
    require(request, Capability.REPLY)
    sr = _load_request(request, request_id)
    request_reply(request=sr, actor=request.user, text=payload.text, written=payload.written,
                  complaint_valid=payload.complaint_valid, root_cause=payload.root_cause)
    return _request_detail(request, sr.pk)


@router.post("/requests/{int:request_id}/comment", response={201: RequestDetailOut},
             summary="A note or a phone call on the timeline; internal notes are hidden from the resident")
def request_comment_api(request, request_id: int, payload: CommentIn):
    require_staff(request)
    sr = _load_request(request, request_id)
    request_comment(request=sr, actor=request.user, text=payload.text, internal=payload.internal,
                    kind="call" if payload.is_call else "comment")
    return Status(201, _request_detail(request, sr.pk))


@router.post("/requests/{int:request_id}/acknowledge", response=RequestDetailOut,
             summary="Take a complaint into handling: a major one by the branch leadership, an important one by the "
                     "project manager (ACKNOWLEDGE); stops its response clock. Other requests: 409; another role: 403")
def request_acknowledge_api(request, request_id: int):
    require(request, Capability.ACKNOWLEDGE)
    sr = _load_request(request, request_id)
    request_acknowledge(request=sr, actor=request.user)
    return _request_detail(request, sr.pk)


# --- work orders ------------------------------------------------------------------------------------------

def _workorder_detail(request, work_order_id: int):
    with scoped_404():
        wo = selectors.workorder_detail(user=request.user, work_order_id=work_order_id)
    wo.timeline_rows = list(selectors.request_timeline(request=wo.request, include_internal=True)
                            .filter(work_order=wo))
    return wo


@router.get("/work-orders", response=list[WorkOrderOut], summary="Work orders in scope: my orders, the pool, "
            "overdue and due soon, by department and status")
@paginate(Pagination)
def workorder_list_api(request, filters: Query[WorkOrderFilters]):
    require_staff(request)
    status = filters.status or (WorkOrderStatus.POOLED if filters.pool else None)
    orders = selectors.workorder_list(user=request.user, filters={
        "status": status, "department_id": filters.department, "live": filters.live,
        "assignee_id": request.user.pk if filters.assignee == "me" else int(filters.assignee or 0),
        "overdue": filters.overdue, "due_soon": filters.due_soon, "nobody_can_grab": filters.nobody_can_grab})
    return orders.none() if filters.pool and status != WorkOrderStatus.POOLED else orders


@router.get("/work-orders/{int:work_order_id}", response=WorkOrderDetailOut,
            summary="A work order with the caller's actions and its timeline (contact phone masked)")
def workorder_get(request, work_order_id: int):
    require_staff(request)
    return _workorder_detail(request, work_order_id)


@router.post("/work-orders/{int:work_order_id}/actions/{action}", response=WorkOrderDetailOut,
             summary="Take one action of the transition table; a refused one is a 409 and changes nothing",
             description="An action queued offline sends `expected_status` (and `expected_assignee_id`): an order "
                         "changed since is a 409 naming the change. With an `Idempotency-Key` header a retry of an "
                         "action already applied answers 200 with the order and writes nothing; the same key for "
                         "another action answers 422.")
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
             summary="Text the resident a one-time code that confirms the work instead of a signature")
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
                    "(VIEW_PRICES: agents quote them on the phone); ?project= narrows to one project")
def price_list_api(request, project: int | None = None):
    require(request, Capability.VIEW_PRICES)
    items = PriceItem.objects.restrict(request.user).filter(active=True)
    if project is not None:
        if not Project.objects.restrict(request.user).filter(pk=project).exists():
            raise ApplicationError(_("Please correct the marked fields."),
                                   {"fields": {"project": [_("No such project in your scope.")]}})
        items = items.filter(project_id=project)
    return list(items.order_by("project_id", "name"))
