"""JSON API of the service desk: /api/desk/….

The same rules as the pages: handlers parse input, fetch through the caller's scope (a row outside it is a 404),
call one service and return a schema. A missing capability is a 403, a bad field a 400 naming it, an action the
transition table refuses a 409 (the service's status) that changes nothing. The contact phone is masked in every
response. This is the staff's API (deadlines, escalations, internal notes, the resident's mood): a resident gets a
403 and follows their requests at /api/portal/requests, in plain words.
"""

import hashlib
import json
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from ninja import File, Form, Header, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.org.api import CappedPagination, require
from propdesk.org.models import Department, Project, Room
from propdesk.org.rules import parse_room_code
from propdesk.staff.permissions import user_role
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..services.attachments import attachments_add
from ..services.dispatch import request_dispatch, request_dispatch_by_rule
from ..services.requests import (
    RequestInput,
    remember_room,
    request_acknowledge,
    request_comment,
    request_reply,
    request_submit,
)
from ..services.workorders import (
    workorder_create,
)
from .schemas import (
    AttachmentOut,
    CommentIn,
    DispatchIn,
    ReplyIn,
    RequestDetailOut,
    RequestFilters,
    RequestIn,
    RequestListOut,
    WorkOrderDetailOut,
    WorkOrderIn,
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
    project = Project.objects.restrict(request.user).select_related("company").filter(pk=payload.project_id).first()
    if project is None:
        fail({"project_id": [_("No such project in your scope.")]})
    dispatch = None
    if payload.dispatch is not None:  # in the request's transaction: a refused dispatch records nothing
        def dispatch(sr):
            _dispatch_new(request.user, sr, payload.dispatch)
    sr = request_submit(actor=request.user, project=project, data=_request_input(project, payload),
                        idempotency_key=idempotency_key.strip(), idempotency_fingerprint=_fingerprint(payload),
                        on_record=dispatch)
    # A retried key returns the earlier request (200). Unlike a look-up of the key beforehand, this also holds when
    # two retries race.
    if not getattr(sr, "recorded", False):
        return Status(200, _request_detail(request, sr.pk))
    return Status(201, _recorded_detail(request, sr) if payload.dispatch is None else _request_detail(request, sr.pk))


def _recorded_detail(request, sr):
    """The detail of a request this call has just recorded, from the rows in memory (no read-back): no work
    orders or photos yet, the timeline the events it wrote. The caller may see it: it is in a project of their
    scope, and department staff see the requests they recorded."""
    for field in sr._meta.concrete_fields:  # as read back: times in UTC, whatever zone they were computed in
        value = getattr(sr, field.attname)
        if isinstance(value, datetime) and value.tzinfo is not None:
            setattr(sr, field.attname, value.astimezone(UTC))
    sr.work_order_rows, sr.attachment_rows = [], []
    sr.timeline_rows = sr.recorded_events
    return sr


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
    data = RequestInput(**values, contact_phone=phone, room_id=room_id,
                        complaint_category=payload.complaint_category or "", severity=payload.severity or "")
    if code_text:
        remember_room(data.lookups, room)  # read once, here
    return data


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
@paginate(CappedPagination)
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


def _workorder_detail(request, work_order_id: int):
    with scoped_404():
        wo = selectors.workorder_detail(user=request.user, work_order_id=work_order_id)
    wo.timeline_rows = list(selectors.request_timeline(request=wo.request, include_internal=True)
                            .filter(work_order=wo))
    return wo


# The work-order operations and the price list live in workorders.py, on this router.
from . import workorders  # noqa: E402, F401
