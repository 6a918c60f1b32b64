"""Writing the history in batches of ``CHUNK`` requests with ``bulk_create``, and the request-number counters."""

from __future__ import annotations

import time as clock
from collections import defaultdict
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import reset_queries

from propdesk.console.demo.history.planner import iter_history
from propdesk.console.demo.history.plans import RequestPlan
from propdesk.console.demo.plan import DemoPlan
from propdesk.console.demo.spec import BATCH
from propdesk.core.models import Counter
from propdesk.org.models import CommonArea, Department, Project
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent, WorkOrder
from propdesk.servicedesk.rules import numbers

CHUNK = 2_000  # requests written per round of bulk_create (keeps memory flat)

# --- writing ---------------------------------------------------------------------------------------------------


@contextmanager
def _historical_timestamps():
    """Let bulk_create keep the planned creation and update times instead of stamping "now" on a year of rows."""
    fields = [WorkOrder._meta.get_field("created_at"), ServiceRequest._meta.get_field("updated_at")]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def build_history(plan: DemoPlan, *, stdout=None) -> dict[str, int]:
    """Write the year of requests for the demo just written from ``plan`` (call inside its transaction)."""
    started = clock.monotonic()
    codes = [pp.spec.code for pp in plan.projects]
    projects = {p.code: p for p in Project.objects.filter(code__in=codes)}
    departments = {(d.project_id, d.kind): d.pk for d in Department.objects.filter(project__in=projects.values())}
    users = {u.username: u.pk for u in get_user_model().objects.filter(
        username__in=[s.username for s in plan.staff])}
    areas: dict[int, list[int]] = defaultdict(list)
    for pk, project_id in CommonArea.objects.filter(project__in=projects.values()).order_by("id").values_list(
            "id", "project_id"):
        areas[project_id].append(pk)
    counts = {"requests": 0, "work orders": 0, "events": 0}
    last_numbers: dict[tuple[int, str], int] = {}
    with _historical_timestamps():
        batch: list[RequestPlan] = []
        for request in iter_history(plan):
            batch.append(request)
            if len(batch) >= CHUNK:
                _write_batch(batch, projects, departments, users, areas, counts, last_numbers)
                batch = []
                _progress(stdout, counts, started)
        if batch:
            _write_batch(batch, projects, departments, users, areas, counts, last_numbers)
    Counter.objects.bulk_create([Counter(key=numbers.request_counter_key(project_id, day), value=value)
                                 for (project_id, day), value in sorted(last_numbers.items())], batch_size=BATCH)
    if stdout is not None:
        stdout.write(f"  {counts['requests']:,} requests, {counts['work orders']:,} work orders and "
                     f"{counts['events']:,} timeline entries of history written in {clock.monotonic() - started:.1f} s")
    return counts


PROGRESS_EVERY = 4000


def _progress(stdout, counts: dict[str, int], started: float) -> None:
    """A line every few thousand requests: the history is most of the build, and minutes of silence look like a hang."""
    if stdout is not None and counts["requests"] // PROGRESS_EVERY != (counts["requests"] - CHUNK) // PROGRESS_EVERY:
        stdout.write(f"    … {counts['requests']:,} requests of history so far ({clock.monotonic() - started:.0f} s)")


EVENT_FIELDS = [f.attname for f in TimelineEvent._meta.concrete_fields]


def _write_batch(batch: list[RequestPlan], projects, departments, users, areas, counts, last_numbers) -> None:
    rows = []
    for r in batch:
        project = projects[r.project]
        day = r.received_at.date()  # local (the planner's zone), as request_submit takes it
        sequence = int(r.number.rsplit("-", 1)[1])
        key = (project.pk, day)
        last_numbers[key] = max(last_numbers.get(key, 0), sequence)
        rows.append(ServiceRequest(
            project_id=project.pk, number=r.number, channel=r.channel, kind=r.kind, status=r.status,
            reporter_id=r.reporter.obj.pk if r.reporter is not None else None,
            contact_name=r.contact_name, contact_phone=r.contact_phone,
            room_id=r.room.obj.pk if r.room is not None else None,
            common_area_id=areas[project.pk][r.area] if r.area is not None else None,
            location_note=r.location_note, occurred_at=r.occurred_at, description=r.description, cause=r.cause,
            impact=r.impact, resident_request=r.resident_request, resident_deadline=r.resident_deadline,
            appointment_at=r.appointment_at, emotion=r.emotion, urgent=r.urgent,
            complaint_category=r.complaint_category, severity=r.severity,
            complained_department_id=departments.get((project.pk, r.complained_department)),
            complained_person=r.complained_person, complaint_valid=r.complaint_valid, root_cause=r.root_cause,
            needs_written_reply=r.needs_written_reply, written_reply=r.written_reply,
            written_reply_at=r.written_reply_at, reply=r.reply, replied_at=r.replied_at, closed_at=r.closed_at,
            resolved_at=r.resolved_at,
            received_at=r.received_at, respond_by=r.respond_by, resolve_by=r.resolve_by,
            acknowledged_at=r.acknowledged_at, escalations_sent=r.escalations_sent,
            acknowledged_by_id=users[r.acknowledged_by] if r.acknowledged_by else None,
            next_escalation_at=r.next_escalation_at, created_by_id=users[r.created_by], updated_at=r.updated_at,
            search_grams=ServiceRequest.grams_of(  # bulk_create bypasses save(), which keeps them otherwise
                description=r.description, location_note=r.location_note, reply=r.reply,
                contact_name=r.contact_name, room_code=r.room.obj.code if r.room is not None else "")))
    _bulk(ServiceRequest, rows, ("project_id", "number"))
    orders, order_of = [], {}
    for r, row in zip(batch, rows, strict=True):
        for wo in r.work_orders:
            obj = WorkOrder(
                request_id=row.pk, project_id=row.project_id, number=numbers.work_order_number(r.number, wo.index),
                department_id=departments[(row.project_id, wo.department)], status=wo.status,
                assignee_id=users[wo.assignee] if wo.assignee else None,
                dispatcher_id=users[wo.dispatcher] if wo.dispatcher else None, instructions=wo.instructions,
                created_at=wo.created_at, dispatched_at=wo.dispatched_at, accepted_at=wo.accepted_at,
                arrived_at=wo.arrived_at, completed_at=wo.completed_at, held_since=wo.held_since,
                held_seconds=wo.held_seconds, hold_reason=wo.hold_reason, respond_by=wo.respond_by,
                arrive_by=wo.arrive_by, resolve_by=wo.resolve_by, escalations_sent=wo.escalations_sent,
                next_escalation_at=wo.next_escalation_at, result=wo.result, materials=wo.materials,
                confirmation_method=wo.confirmation_method, signature=wo.signature,
                confirmation_code_hash=wo.code_hash, confirmation_code_sent_at=wo.code_sent_at,
                confirmed_at=wo.confirmed_at, reopen_count=wo.reopen_count)
            orders.append(obj)
            order_of[(id(r), wo.index)] = obj
    _bulk(WorkOrder, orders, ("project_id", "number"))
    events = []
    for r, row in zip(batch, rows, strict=True):
        for at, kind, action, actor, message, internal, data, index in r.events:
            if "assignee_id" in data:
                data = {**data, "assignee_id": users[data["assignee_id"]] if data["assignee_id"] else None}
            elif "recipients" in data:
                data = {"recipients": [users[name] for name in data["recipients"]]}
            values = {"id": None, "request_id": row.pk, "kind": kind, "action": action, "at": at,
                      "work_order_id": order_of[(id(r), index)].pk if index is not None else None,
                      "actor_id": users[actor] if actor else None, "message": message, "internal": internal,
                      "data": data}
            events.append(TimelineEvent(*[values[name] for name in EVENT_FIELDS]))  # positional: half the cost
    TimelineEvent.objects.bulk_create(events, batch_size=BATCH)
    counts["requests"] += len(rows)
    counts["work orders"] += len(orders)
    counts["events"] += len(events)
    reset_queries()  # with DEBUG on, Django keeps every statement (megabytes each here) in memory


def _bulk(model, objs: list, key: tuple[str, ...]) -> None:
    """bulk_create that leaves every object with its primary key, also on backends that return none."""
    model._default_manager.bulk_create(objs, batch_size=BATCH)
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        wanted = {tuple(getattr(obj, f) for f in key) for obj in missing}
        project_ids = {obj.project_id for obj in missing}
        lookup = {tuple(row[:-1]): row[-1] for row in model._default_manager.filter(
            project_id__in=project_ids).values_list(*key, "pk") if tuple(row[:-1]) in wanted}
        for obj in missing:
            obj.pk = lookup[tuple(getattr(obj, f) for f in key)]
