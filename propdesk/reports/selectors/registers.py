"""The four registers (台账): every request, the complaints, the follow-up visits and the work orders, as filterable
lists whose columns are the paper forms' — 《报修、投诉、接待情况汇总表》, 《顾客投诉登记表》, 《回访记录表》 and the
work-order register behind the KPI charts. Each register's columns are defined once here (``Column``: header and a
value-getter over one ``values()`` row) and used by the page, the Excel export (exports.py) and the API.

Definitions (shared by every report of issue 5):

- A **request** belongs to the period it was received (``received_at``, local time), whatever month its work ended.
  Cancelled requests are left out unless ``status=cancelled`` asks for them (the "cancelled" count's drill-down).
- **Solved on time** (``on_time=1``): resolved_at ≤ resolve_by. **Late** (``on_time=0``): resolved after resolve_by,
  or not resolved and resolve_by already passed. **Open, not yet due** (``on_time=open``): neither.
- **Empty fields and places** (``category=none``, ``severity=none``, ``complained=none``, ``valid=none``,
  ``building=<id>``, ``area=<id>``): see register_fields.py, where every register's own filters are defined.
- **Repeat complaint** (``repeat=1``): a complaint with a room for which another non-cancelled complaint of the same
  room and category was received in the 90 days (90 × 24 h, the earlier end included) before it.
  These are the complaint summary's own Q objects (selectors/complaints.py), so that its figures and the
  registers behind them count the same rows.
- **Department**: the requests register shows requests with a (non-cancelled) work order of that department or
  complaining about it; the complaints register the complaints about it (被投诉部门); visits and work orders their
  own department.
- **Visits** belong to the month they were due (``due_by``); cancelled visits are left out.
- **Work orders**: cancelled orders are left out everywhere. ``measure`` says which time the period filters: created
  (default), accepted, arrived or completed. On time = completed_at ≤ resolve_by (holds already pushed resolve_by);
  first-visit fix = completed with reopen_count = 0 and held_seconds = 0.

Every list is one ``values()`` queryset in the caller's scope (``restrict(user)``), newest first; the work orders of
a batch of requests (who handled it, the result) come from one more query per batch (``attach``), never per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from propdesk.core.errors import ApplicationError
from propdesk.followups.choices import Confirmation, Decision, Quality, Satisfaction, VisitMethod, VisitStatus
from propdesk.followups.models import FollowUpVisit
from propdesk.servicedesk.choices import ComplaintCategory, Kind, RequestStatus, Severity, WorkOrderStatus
from propdesk.servicedesk.models import ServiceRequest, WorkOrder

from ..filters import ReportFilters, report_filters
from ..rules.complaints import late_q, on_time_q, open_not_due_q, repeat_q
from .register_fields import (
    MEASURES,
    NONE,
    ORDER_FIELDS,
    REQUEST_FIELDS,
    REQUEST_KIND_FIELD,
    VISIT_FIELDS,
    FilterField,
)

PAGE_SIZE = 50
CHUNK_SIZE = 2000


# --- values shown in cells --------------------------------------------------------------------------------

def _label(choices, value) -> str:
    if value in (None, ""):
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def _person(row: dict, prefix: str) -> str:
    return row.get(f"{prefix}__staff_profile__display_name") or row.get(f"{prefix}__username") or ""


def _place(row: dict, prefix: str = "") -> str:
    where = row.get(f"{prefix}room__code") or row.get(f"{prefix}common_area__name") or ""
    note = row.get(f"{prefix}location_note") or ""
    return " · ".join(part for part in (where, note) if part)


def _held(seconds: int | None) -> str:
    if not seconds:
        return ""
    minutes = round(seconds / 60)
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def _handlers(row: dict) -> str:
    return "；".join("/".join(part for part in (order["department__name"], _person(order, "assignee")) if part)
                    for order in row.get("orders", ()))


def _results(row: dict) -> str:
    return "；".join(order["result"] for order in row.get("orders", ()) if order["result"])


def _on_time_state(state: str | None) -> str:
    return {"on_time": _("yes"), "late": _("no"), "open": _("open, not yet due")}.get(state or "", "")


# --- columns ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str  # the API's name of the value
    header: Promise  # the paper form's column name (zh-hans translation)
    value: Callable[[dict], object]  # str, int, datetime or None from one row
    width: int = 14  # Excel width in characters
    phone: bool = False  # masked unless the export may reveal phones
    link: str = ""  # "request" or "workorder": the page links the cell to the request / order (row id)


def field_of(name: str) -> Callable[[dict], object]:
    return lambda row: row.get(name)


SEQUENCE = Column("seq", pgettext_lazy("register column", "No."), field_of("_seq"), 6)
# 项目: every register names the project of each row, whatever the caller's scope (a company-wide or branch
# register mixes projects; a project's own sheet stays readable when forwarded or pasted together with others).
PROJECT = Column("project", pgettext_lazy("register column", "Project"), field_of("project__name"), 12)

# Headers carry the context "register column" so that a paper form's column name stays apart from same-worded UI text;
# pgettext_lazy is written out at each header so that makemessages finds them.
REQUEST_COLUMNS = (
    SEQUENCE,
    Column("received_at", pgettext_lazy("register column", "Time"), field_of("received_at"), 17, link="request"),
    PROJECT,
    Column("place", pgettext_lazy("register column", "Place"), _place, 16),
    Column("reporter", pgettext_lazy("register column", "Reporter"), field_of("contact_name"), 10),
    Column("contact_phone", pgettext_lazy("register column", "Contact number"),
           field_of("contact_phone"), 14, phone=True),
    Column("kind", pgettext_lazy("register column", "Type"), lambda row: _label(Kind, row["kind"]), 8),
    Column("description", pgettext_lazy("register column", "What happened"), field_of("description"), 40),
    Column("resident_request", pgettext_lazy("register column", "Resident's request"),
           field_of("resident_request"), 24),
    Column("handlers", pgettext_lazy("register column", "Handling department / person"), _handlers, 20),
    Column("result", pgettext_lazy("register column", "Result"), _results, 30),
    Column("reply", pgettext_lazy("register column", "Reply"), field_of("reply"), 30),
    Column("status", pgettext_lazy("register column", "Status"), lambda row: _label(RequestStatus, row["status"]), 10),
)

COMPLAINT_COLUMNS = (
    Column("number", pgettext_lazy("register column", "Number"), field_of("number"), 16, link="request"),
    PROJECT,
    Column("received_at", pgettext_lazy("register column", "Complaint time"), field_of("received_at"), 17),
    Column("complainant", pgettext_lazy("register column", "Complainant"), field_of("contact_name"), 10),
    Column("contact_phone", pgettext_lazy("register column", "Contact number"),
           field_of("contact_phone"), 14, phone=True),
    Column("place", pgettext_lazy("register column", "Room / place"), _place, 16),
    Column("description", pgettext_lazy("register column", "Complaint details"), field_of("description"), 40),
    Column("category", pgettext_lazy("register column", "Complaint category"),
           lambda row: _label(ComplaintCategory, row["complaint_category"]), 12),
    Column("severity", pgettext_lazy("register column", "Complaint level"),
           lambda row: _label(Severity, row["severity"]), 8),
    Column("complained", pgettext_lazy("register column", "Department / person complained about"),
           lambda row: "/".join(p for p in (row["complained_department__name"], row["complained_person"]) if p), 18),
    Column("valid", pgettext_lazy("register column", "Valid"), lambda row: _yes_no(row["complaint_valid"]), 8),
    Column("root_cause", pgettext_lazy("register column", "Cause analysis"), field_of("root_cause"), 30),
    Column("result", pgettext_lazy("register column", "Result"), _results, 30),
    Column("replied_at", pgettext_lazy("register column", "Reply time"), field_of("replied_at"), 17),
    Column("resolve_by", pgettext_lazy("register column", "Time limit"), field_of("resolve_by"), 17),
    Column("on_time", pgettext_lazy("register column", "On time"),
           lambda row: _on_time_state(row["on_time_state"]), 10),
    Column("visit_result", pgettext_lazy("register column", "Visit result"),
           lambda row: _label(Satisfaction, row["visit_satisfaction"]), 10),
)

VISIT_COLUMNS = (
    Column("done_at", pgettext_lazy("register column", "Visit time"), field_of("done_at"), 17),
    Column("request_number", pgettext_lazy("register column", "Request number"),
           field_of("request__number"), 16, link="request"),
    PROJECT,
    Column("resident", pgettext_lazy("register column", "Resident"), field_of("request__contact_name"), 10),
    Column("place", pgettext_lazy("register column", "Room / place"), lambda row: _place(row, "request__"), 16),
    Column("method", pgettext_lazy("register column", "Visit method"),
           lambda row: _label(VisitMethod, row["method"]), 10),
    Column("visitor", pgettext_lazy("register column", "Visitor"), lambda row: _person(row, "visitor"), 10),
    Column("quality", pgettext_lazy("register column", "Quality"), lambda row: _label(Quality, row["quality"]), 8),
    Column("effect", pgettext_lazy("register column", "Service effect"), field_of("effect"), 24),
    Column("satisfaction", pgettext_lazy("register column", "Satisfaction"),
           lambda row: _label(Satisfaction, row["satisfaction"]), 10),
    Column("shortcomings", pgettext_lazy("register column", "Shortcomings"), field_of("shortcomings"), 24),
    Column("suggestions", pgettext_lazy("register column", "Resident's suggestions"), field_of("suggestions"), 24),
    Column("confirmation", pgettext_lazy("register column", "Resident's confirmation"),
           lambda row: _label(Confirmation, row["confirmation"]), 12),
    Column("decision", pgettext_lazy("register column", "Decision"), lambda row: "：".join(
        p for p in (_label(Decision, row["decision"]) if row["decision"] else "", row["decision_note"]) if p), 24),
    Column("review_comment", pgettext_lazy("register column", "Supervisor's review"), field_of("review_comment"), 24),
)

ORDER_COLUMNS = (
    Column("number", pgettext_lazy("register column", "Work order number"), field_of("number"), 18, link="workorder"),
    Column("request_number", pgettext_lazy("register column", "Request number"),
           field_of("request__number"), 16, link="request"),
    PROJECT,
    Column("department", pgettext_lazy("register column", "Department"), field_of("department__name"), 14),
    Column("assignee", pgettext_lazy("register column", "Assignee"), lambda row: _person(row, "assignee"), 10),
    Column("dispatched_at", pgettext_lazy("register column", "Dispatched"), field_of("dispatched_at"), 17),
    Column("accepted_at", pgettext_lazy("register column", "Accepted"), field_of("accepted_at"), 17),
    Column("arrived_at", pgettext_lazy("register column", "On site"), field_of("arrived_at"), 17),
    Column("completed_at", pgettext_lazy("register column", "Completed"), field_of("completed_at"), 17),
    Column("held", pgettext_lazy("register column", "Time on hold"), lambda row: _held(row["held_seconds"]), 12),
    Column("resolve_by", pgettext_lazy("register column", "Complete by"), field_of("resolve_by"), 17),
    Column("on_time", pgettext_lazy("register column", "On time"), lambda row: _yes_no(row["on_time"]), 8),
    Column("materials", pgettext_lazy("register column", "Materials"), field_of("materials"), 24),
    Column("reopen_count", pgettext_lazy("register column", "Rework count"), field_of("reopen_count"), 8),
    Column("first_fix", pgettext_lazy("register column", "First-visit fix"), lambda row: _yes_no(row["first_fix"]), 8),
)


# --- filters (the fields: register_fields.py) -------------------------------------------------------

@dataclass(frozen=True)
class RegisterFilters:
    report: ReportFilters  # period and place
    values: dict[str, str] = field(default_factory=dict)  # the register's own filters, checked

    def query(self) -> dict[str, str]:
        """The GET parameters that give this list again (links, the export button, the audit row)."""
        return {**self.report.query(), **self.values}


def register_filters(register: Register, user, data) -> RegisterFilters:
    """Period, place and the register's own filters from GET parameters; every wrong field in one ApplicationError
    (a future or reversed period, a project, building or common area outside the caller's scope, a value not
    among the choices)."""
    errors: dict[str, list[str]] = {}
    report = None
    try:
        report = report_filters(user, data, default="month")
    except ApplicationError as error:
        errors.update(error.field_errors)
    values = {}
    for spec in register.fields:
        sent = str(data.get(spec.name) or "").strip()
        if sent and (error := spec.error(user, sent)):
            errors[spec.name] = [error]
        elif sent:
            values[spec.name] = sent
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    return RegisterFilters(report=report, values=values)


# --- the queries ------------------------------------------------------------------------------------------

REQUEST_VALUES = ("id", "number", "project__name", "received_at", "room__code", "common_area__name", "location_note",
                  "contact_name", "contact_phone", "kind", "description", "resident_request", "reply", "status")
COMPLAINT_VALUES = ("id", "number", "project__name", "received_at", "room__code", "common_area__name", "location_note",
                    "contact_name", "contact_phone", "description", "complaint_category", "severity",
                    "complained_department__name", "complained_person", "complaint_valid", "root_cause", "replied_at",
                    "resolve_by", "on_time_state", "visit_satisfaction")


def _requests(user, filters: RegisterFilters, *, complaints: bool) -> QuerySet:
    period, place, sent = filters.report.period, filters.report.place, filters.values
    now = timezone.now()
    rows = (ServiceRequest.objects.restrict(user)
            .filter(place.projects_q("project"), received_at__gte=period.starts_at, received_at__lt=period.ends_at))
    if complaints:
        rows = rows.filter(kind=Kind.COMPLAINT)
    elif sent.get("kind"):
        rows = rows.filter(kind=sent["kind"])
    rows = rows.filter(status=sent["status"]) if sent.get("status") else rows.exclude(status=RequestStatus.CANCELLED)
    if place.department is not None:
        about = Q(complained_department=place.department)
        rows = rows.filter(about if complaints else about | Q(Exists(WorkOrder.objects.filter(
            request_id=OuterRef("pk"), department=place.department).exclude(status=WorkOrderStatus.CANCELLED))))
    complaint = Q() if complaints else Q(kind=Kind.COMPLAINT)  # "none" values: complaints with the field empty
    for name, lookup in (("category", "complaint_category"), ("severity", "severity")):
        if sent.get(name):
            rows = rows.filter(complaint, **{lookup: ""}) if sent[name] == NONE else rows.filter(**{lookup: sent[name]})
    if sent.get("complained") == NONE:
        rows = rows.filter(complaint, complained_department__isnull=True)
    if sent.get("valid"):
        rows = (rows.filter(complaint, complaint_valid__isnull=True) if sent["valid"] == NONE
                else rows.filter(complaint_valid=sent["valid"] == "1"))
    if sent.get("on_time"):
        rows = rows.filter({"1": on_time_q(), "0": late_q(now), "open": open_not_due_q(now)}[sent["on_time"]])
    if sent.get("building"):
        rows = rows.filter(room__building_id=int(sent["building"]))
    if sent.get("area"):  # a request naming a room counts for the room's building (the summary's top places)
        rows = rows.filter(room__isnull=True, common_area_id=int(sent["area"]))
    if sent.get("repeat"):
        repeat = Q(kind=Kind.COMPLAINT) & repeat_q()
        rows = rows.filter(repeat) if sent["repeat"] == "1" else rows.exclude(repeat)
    rows = rows.order_by("-received_at", "-id")
    if not complaints:
        return rows.values(*REQUEST_VALUES)
    latest_visit = (FollowUpVisit.objects.filter(request_id=OuterRef("pk"), status=VisitStatus.DONE)
                    .order_by("-done_at", "-id").values("satisfaction")[:1])
    return rows.annotate(
        on_time_state=Case(When(on_time_q(), then=Value("on_time")), When(late_q(now), then=Value("late")),
                           default=Value("open"), output_field=CharField()),
        visit_satisfaction=Subquery(latest_visit)).values(*COMPLAINT_VALUES)


def request_rows(user, filters: RegisterFilters) -> QuerySet:
    return _requests(user, filters, complaints=False)


def complaint_rows(user, filters: RegisterFilters) -> QuerySet:
    return _requests(user, filters, complaints=True)


def visit_rows(user, filters: RegisterFilters) -> QuerySet:
    period, place, sent = filters.report.period, filters.report.place, filters.values
    rows = (FollowUpVisit.objects.restrict(user)
            .filter(place.projects_q("project"), due_by__gte=period.starts_at, due_by__lt=period.ends_at)
            .exclude(status=VisitStatus.CANCELLED))
    if place.department is not None:
        rows = rows.filter(department=place.department)
    for name in ("rule", "status", "satisfaction"):
        if sent.get(name):
            rows = rows.filter(**{name: sent[name]})
    if sent.get("dissatisfied"):
        rows = rows.filter(satisfaction__lte=Satisfaction.DISSATISFIED)
    return rows.order_by("-due_by", "-id").values(
        "id", "done_at", "request_id", "request__number", "project__name", "request__contact_name",
        "request__room__code", "request__common_area__name", "request__location_note", "method",
        "visitor__staff_profile__display_name", "visitor__username", "quality", "effect", "satisfaction",
        "shortcomings", "suggestions", "confirmation", "decision", "decision_note", "review_comment")


def order_rows(user, filters: RegisterFilters) -> QuerySet:
    period, place, sent = filters.report.period, filters.report.place, filters.values
    stamp = MEASURES[sent.get("measure") or ORDER_FIELDS[0].default]
    rows = (WorkOrder.objects.restrict(user).exclude(status=WorkOrderStatus.CANCELLED)
            .filter(place.projects_q("project"), **{f"{stamp}__gte": period.starts_at, f"{stamp}__lt": period.ends_at}))
    if place.department is not None:
        rows = rows.filter(department=place.department)
    if sent.get("status"):
        rows = rows.filter(status=sent["status"])
    if sent.get("assignee"):
        rows = rows.filter(assignee_id=int(sent["assignee"]))
    completed = Q(completed_at__isnull=False)
    on_time = completed & Q(resolve_by__isnull=False, completed_at__lte=F("resolve_by"))
    first_fix = completed & Q(reopen_count=0, held_seconds=0)
    for name, condition in (("on_time", on_time), ("first_fix", first_fix)):
        if sent.get(name):
            rows = rows.filter(condition if sent[name] == "1" else completed & ~condition)
    if sent.get("reopened"):
        rows = rows.filter(reopen_count__gt=0) if sent["reopened"] == "1" else rows.filter(reopen_count=0)
    return rows.annotate(
        on_time=Case(When(~completed, then=Value(None)), When(on_time, then=Value(True)), default=Value(False),
                     output_field=BooleanField(null=True)),
        first_fix=Case(When(~completed, then=Value(None)), When(first_fix, then=Value(True)), default=Value(False),
                       output_field=BooleanField(null=True)),
    ).order_by(F(stamp).desc(), "-id").values(
        "id", "number", "request_id", "request__number", "project__name", "department__name",
        "assignee__staff_profile__display_name", "assignee__username", "dispatched_at", "accepted_at", "arrived_at",
        "completed_at", "held_seconds", "resolve_by", "materials", "reopen_count", "on_time", "first_fix")


def attach_work_orders(user, rows: list[dict]) -> list[dict]:
    """Add each request's non-cancelled work orders (department, assignee, result) to a batch of request rows: one
    query per batch."""
    by_request: dict[int, list[dict]] = defaultdict(list)
    if rows:
        orders = (WorkOrder.objects.restrict(user).filter(request_id__in=[row["id"] for row in rows])
                  .exclude(status=WorkOrderStatus.CANCELLED).order_by("request_id", "created_at", "id")
                  .values("request_id", "department__name", "assignee__staff_profile__display_name",
                          "assignee__username", "result"))
        for order in orders:
            by_request[order["request_id"]].append(order)
    for row in rows:
        row["orders"] = by_request.get(row["id"], [])
    return rows


# --- the registers ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Register:
    name: str  # requests, complaints, visits, orders (the URL and the API's name)
    title: Promise  # the paper form's title
    columns: tuple[Column, ...]
    fields: tuple[FilterField, ...]  # the register's own filters (period and place are common)
    queryset: Callable[[object, RegisterFilters], QuerySet]
    attach: Callable[[object, list[dict]], list[dict]] | None = None
    period_note: Promise = gettext_lazy("Requests are listed in the period they were received.")

    @property
    def has_phones(self) -> bool:
        return any(column.phone for column in self.columns)

    def batches(self, user, filters: RegisterFilters, *, size: int | None = None) -> Iterator[list[dict]]:
        """Every row of the register, in batches of CHUNK_SIZE read from one streaming query (exports)."""
        rows = self.queryset(user, filters).iterator(chunk_size=size or CHUNK_SIZE)
        while batch := list(islice(rows, size or CHUNK_SIZE)):
            yield self.attach(user, batch) if self.attach else batch

    def page_rows(self, user, rows: Iterable[dict], *, first: int = 1) -> list[dict]:
        """One page's rows (a sliced queryset) with their work orders and their sequence numbers."""
        batch = [dict(row, _seq=first + index) for index, row in enumerate(rows)]
        return self.attach(user, batch) if self.attach else batch


REGISTERS: dict[str, Register] = {
    "requests": Register("requests", gettext_lazy("Repair, complaint and reception summary"), REQUEST_COLUMNS,
                         (REQUEST_KIND_FIELD, *REQUEST_FIELDS), request_rows, attach_work_orders),
    "complaints": Register("complaints", gettext_lazy("Customer complaint register"), COMPLAINT_COLUMNS,
                           REQUEST_FIELDS, complaint_rows, attach_work_orders),
    "visits": Register("visits", gettext_lazy("Follow-up visit record"), VISIT_COLUMNS, VISIT_FIELDS, visit_rows,
                       period_note=gettext_lazy("Visits are listed in the period they were due; cancelled visits "
                                                "are left out.")),
    "orders": Register("orders", gettext_lazy("Work-order register"), ORDER_COLUMNS, ORDER_FIELDS, order_rows,
                       period_note=gettext_lazy("Cancelled work orders are left out.")),
}
