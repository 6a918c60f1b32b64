"""Reads of the service desk, always through the user's scope. Queues fetch what their rows show in a fixed number
of queries, whatever the page size."""

import re
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, CharField, Exists, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from propdesk.org.models import Project
from propdesk.staff.models import StaffProfile

from ..choices import LIVE_WORK_ORDER_STATUSES, OPEN_REQUEST_STATUSES, EventKind, RequestStatus, WorkOrderStatus
from ..models import ServiceRequest, TimelineEvent, WorkOrder
from ..rules.numbers import parse_request_number
from ..rules.transitions import FIELD_ROLES
from .search import words_q

User = get_user_model()

LIVE_WO = list(LIVE_WORK_ORDER_STATUSES)
OPEN_REQUEST = list(OPEN_REQUEST_STATUSES)
WORD_HITS = 10  # requests the search box lists for words: the newest; the request list has the rest
_NUMBER_START = re.compile(r"[A-Za-z]{2,4}-[0-9-]*")  # a number being typed: CH-, CH-2611
_ROOM_CODE = re.compile(r"[0-9A-Za-z]{1,16}(-[0-9A-Za-z]{1,16}){2}")  # 3-2-1802, as stored on the room


def request_list(*, user, filters: dict | None = None):
    filters = filters or {}
    qs = (ServiceRequest.objects.restrict(user)
          .select_related("project", "room", "common_area", "reporter")
          .prefetch_related(Prefetch("work_orders", queryset=WorkOrder.objects.select_related(
              "department", "assignee__staff_profile").order_by("id"))))
    for name in ("status", "kind", "channel", "severity", "project_id"):
        value = filters.get(name)
        if value:
            qs = qs.filter(**{name: value})
    if filters.get("open"):
        qs = qs.filter(status__in=OPEN_REQUEST)
    if filters.get("reporter_id"):
        qs = qs.filter(reporter_id=filters["reporter_id"])
    if filters.get("q"):
        qs = qs.filter(request_text_q(user, filters["q"]))
    return qs.order_by("-received_at", "-id")


def request_text_q(user, text: str) -> Q:
    """What a search box's text finds, by what the text is: a request number (whole, or after the prefix), the
    start of one (CH-2611), a room's code, or else words of description, location, reply, contact name and room
    (selectors/search.py, by index). One kind of match per text: an OR of a number test and the words index
    would make the database scan the project to test every row."""
    text = text.strip()
    by_number = request_number_q(user, text)
    if by_number is not None:
        return by_number
    if _NUMBER_START.fullmatch(text):
        return Q(number__startswith=text.upper())
    if _ROOM_CODE.fullmatch(text):
        return Q(room__code=text)
    return words_q(text) or Q(pk__in=[])


def request_number_q(user, text: str) -> Q | None:
    """The requests ``text`` names as a number (rules/numbers.parse_request_number), or None when it is not one.
    The whole number is one row; the part after the prefix (what a resident may read out) is that number in each
    of the user's projects: one indexed lookup per project, the projects coming from a subquery in scope."""
    query = parse_request_number(text)
    if query is None:
        return None
    if query.prefix:
        return Q(number=query.full)
    numbers_in_scope = (Project.objects.restrict(user)
                        .annotate(candidate=Concat("number_prefix", Value(f"-{query.local}"),
                                                   output_field=CharField()))
                        .values("candidate"))
    return Q(number__in=numbers_in_scope)


def request_search(*, user, query: str, limit: int = 20, words: bool = False,
                   words_limit: int = WORD_HITS) -> list[ServiceRequest]:
    """The search box's request hits: requests of the user's scope whose number ``query`` is (whole, after the
    prefix, or a work order's number), newest first. With ``words`` (the text is no number, phone or room), the
    newest ``words_limit`` requests whose text holds the words of ``query`` instead."""
    scoped = ServiceRequest.objects.restrict(user).select_related("project", "room", "common_area")
    by_number = request_number_q(user, query)
    if by_number is not None:
        return list(scoped.filter(by_number).order_by("-received_at", "-id")[:limit])
    by_words = words_q(query) if words else None
    if by_words is None:
        return []
    return list(scoped.filter(by_words).order_by("-received_at", "-id")[:words_limit])


def workorder_list(*, user, filters: dict | None = None, now: datetime | None = None):
    filters = filters or {}
    now = now or timezone.now()
    # The request and its place in the same query; the department and the assignee's name by id afterwards: joined
    # too, the eight tables cost PostgreSQL ~5 ms to plan each list (three on the dispatch queue), against ~1 ms to
    # run it at a million orders.
    qs = (WorkOrder.objects.restrict(user)
          .select_related("request", "request__room", "request__common_area")
          .prefetch_related("department", Prefetch("assignee", queryset=User.objects.select_related("staff_profile"))))
    if filters.get("nobody_can_grab") or filters.get("with_grab_flag"):  # the pages' rows do not show it
        qs = qs.annotate(nobody_can_grab=nobody_can_grab())
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("live"):
        qs = qs.filter(status__in=LIVE_WO)
    if filters.get("department_id"):
        qs = qs.filter(department_id=filters["department_id"])
    if filters.get("assignee_id"):
        qs = qs.filter(assignee_id=filters["assignee_id"])
    if filters.get("mine_or_pool") is not None:
        user_ = filters["mine_or_pool"]
        profile = getattr(user_, "staff_profile", None)
        pool = Q(status=WorkOrderStatus.POOLED, department_id=profile.department_id) if profile else Q(pk__in=[])
        qs = qs.filter(Q(assignee=user_, status__in=LIVE_WO) | pool)
    if filters.get("overdue"):
        qs = qs.filter(status__in=LIVE_WO, resolve_by__lt=now)
    if filters.get("due_soon"):
        qs = qs.filter(status__in=LIVE_WO, resolve_by__gte=now, resolve_by__lt=now + timezone.timedelta(hours=4))
    if filters.get("to_dispatch"):
        qs = qs.filter(status__in=[WorkOrderStatus.PENDING])
    if filters.get("nobody_can_grab"):  # waiting in a pool that no one can grab from
        # Only a pooled order can be stranded: said in the filter, an index finds the pool instead of the annotation
        # being evaluated on every order of the scope (135 ms at 250,000 orders in a project).
        qs = qs.filter(status=WorkOrderStatus.POOLED, nobody_can_grab=True)
    if filters.get("reopened"):  # sent back to work (a dissatisfied resident, a repair that failed again)
        qs = qs.filter(reopen_count__gt=0, status__in=[WorkOrderStatus.DISPATCHED, WorkOrderStatus.PENDING])
    order = "resolve_by" if filters.get("overdue") or filters.get("due_soon") else "-created_at"
    return qs.order_by(order, "-id")


# What a row of work orders shows (servicedesk/_workorder_rows.html, the dispatch queue's stranded orders): the
# request's other forty columns are not read. A million-row queue built ~250 model instances a load, each from
# every column; reading these only is a fifth of the page.
WORKORDER_ROW_FIELDS = (
    "number", "status", "resolve_by", "completed_at", "reopen_count", "created_at", "department", "assignee",
    "request__kind", "request__severity", "request__urgent", "request__hurry_count", "request__description",
    "request__location_note", "request__room__code", "request__common_area__name")


def workorder_rows(queryset):
    """``workorder_list`` reading only what a list's rows show."""
    return queryset.only(*WORKORDER_ROW_FIELDS)


REQUEST_ROW_FIELDS = (
    "number", "kind", "severity", "urgent", "hurry_count", "contact_name", "description", "status", "resolve_by",
    "closed_at", "received_at", "location_note", "room__code", "common_area__name")


def request_rows(queryset):
    """``request_list`` reading only what a list's rows show (servicedesk/_request_rows.html): no project,
    reporter or assignee, and of the work orders their department's name and status. A row of a full page loaded
    seven model instances and 25 datetimes, 0.2 ms of Python each (10 → 20 ms from 11 rows to 50)."""
    orders = WorkOrder.objects.select_related("department").only("request", "status", "department__name")
    return (queryset.select_related(None).select_related("room", "common_area").only(*REQUEST_ROW_FIELDS)
            .prefetch_related(None).prefetch_related(Prefetch("work_orders", queryset=orders.order_by("id"))))


def requests_to_dispatch(*, user):
    """Requests with nothing under way: recorded but no live work order yet, or every order sent back."""
    return request_list(user=user, filters={"status": RequestStatus.OPEN})


def request_detail(*, user, request_id: int) -> ServiceRequest:
    return (ServiceRequest.objects.restrict(user)
            .select_related("project", "project__branch", "room", "common_area", "reporter", "created_by",
                            "complained_department", "incident")
            .get(pk=request_id))


def request_timeline(*, request: ServiceRequest, include_internal: bool):
    qs = (TimelineEvent.objects.filter(request=request)
          .select_related("actor__staff_profile", "actor__resident", "work_order"))
    if not include_internal:  # what a resident may read: no internal notes, no escalations
        qs = qs.filter(internal=False).exclude(kind=EventKind.ESCALATION)
    return qs.order_by("at", "id")


def workorder_detail(*, user, work_order_id: int) -> WorkOrder:
    return (WorkOrder.objects.restrict(user)
            .select_related("request", "request__project", "request__room", "request__common_area",
                            "request__reporter", "department", "assignee__staff_profile", "dispatcher")
            .get(pk=work_order_id))


# --- pools: who can grab ------------------------------------------------------------------------------------

def grabbers():
    """Everyone who can grab from a department's pool: active technicians and department staff, each of their own
    department (the transition table's ``department_member``)."""
    return StaffProfile.objects.filter(role__in=FIELD_ROLES, is_active=True, user__is_active=True,
                                       department__isnull=False)


def pool_department_ids(*, department_ids) -> set[int]:
    """Of these departments, those whose pool someone can grab from."""
    return set(grabbers().filter(department_id__in=list(department_ids))
               .values_list("department_id", flat=True).distinct())


def nobody_can_grab():
    """A work order's annotation: True when it waits in a pool that no one can grab from (it would wait forever)."""
    return Case(When(Q(status=WorkOrderStatus.POOLED)
                     & ~Exists(grabbers().filter(department_id=OuterRef("department_id"))), then=Value(True)),
                default=Value(False), output_field=BooleanField())
