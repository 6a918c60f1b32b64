"""The shapes of /api/desk/…: what a client sends (validated, times made aware, text checked) and what it gets
back (phones masked)."""

from datetime import datetime
from typing import Annotated

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, model_validator

from propdesk.core.masking import mask_phone

from ..choices import Channel, ComplaintCategory, Emotion, HoldReason, Kind, RequestStatus, Severity, WorkOrderStatus
from ..rules.intake import TEXT_LIMITS
from ..services.pools import pool_has_grabbers
from ..services.workorders import (
    actions_for,
)

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
