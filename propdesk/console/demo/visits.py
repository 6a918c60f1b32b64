"""Follow-up visits 回访 for the demo's year of history, so that the visit queues, the rates page and the customer 360
page have something real to show.

It reads the history just written (inside the demo's transaction) the way the service desk's hook saw it: every time a
request became resolved or closed from an unhandled state is a handling, and each handling gets one visit with the
window and visitor of the handbook's default rules (``followups/rules/schedule.py``; the demo company has no
FollowUpPolicy). Then, from ``random.Random(seed + SEED_OFFSET)`` and in request order, it decides what became of each
visit as if time ran on — made on time or late, by phone, in person or rated online, or unreachable after three calls,
or never made — and replays that up to "as of" (midnight starting ``today``), as the services and the handover sweep
would have left it: what had not happened by then is still pending, handed to the project manager once it was 3 days
overdue.

Dissatisfied residents are only those the history shows acting on it: a work order reopened after its handling
(decision "reopened", the visit made just before the reopening), or a complaint from the same household soon after
(decision "complaint", linked as the follow-up complaint). About 70 % of the records carry the project manager's
review. The latest visits of each project's first agent were rescheduled at the resident's request to the coming days
(more of them in a small demo), so that the agent's queue has rows at any scale.
"""

from __future__ import annotations

import math
import random
import time as clock
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import reset_queries

from propdesk.console.demo.plan import DemoPlan
from propdesk.console.demo.spec import BATCH
from propdesk.followups.models import FollowUpVisit, VisitAttempt
from propdesk.followups.rules.schedule import OVERDUE_HANDOVER, next_calling_time, rule_for, visitor_for, window
from propdesk.org.models import Project
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent, WorkOrder
from propdesk.staff.models import StaffProfile

SEED_OFFSET = 2_000_029  # the visits draw from their own random stream: the rest of the demo stays as it was
TZ = ZoneInfo("Asia/Shanghai")
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
SWEEP_DELAY = timedelta(seconds=30)
MAX_ATTEMPTS = 3  # the policy's default
MIN_TO_DO = 3  # visits each project's first agent still has to make, however small the demo

# Share of visits made (on time or late), by rule, before the project's and the month's own variation.
DONE = {"complaint": 0.955, "repair": 0.915, "help": 0.915, "other": 0.86}
LATE = {"complaint": 0.05, "repair": 0.08, "help": 0.08, "other": 0.06}  # of the visits made
LINK_WITHIN = timedelta(days=45)  # a complaint this soon after a handling followed a dissatisfied visit
UNREACHABLE = 0.95  # of the visits not made; the rest were never made (handed over, still pending)
METHODS = {"complaint": {"phone": 84, "face_to_face": 16}, "major": {"face_to_face": 60, "phone": 40},
           "online": {"phone": 68, "online": 22, "face_to_face": 10}}
SATISFACTION = {"complaint": {5: 30, 4: 48, 3: 22}, "": {5: 58, 4: 34, 3: 8}}
EFFECTS = {
    "complaint": ("住户认可处理结果", "整改已落实，住户表示理解", "住户表示问题已解决，感谢物业重视",
                  "住户情绪平稳，接受处理意见"),
    "work": ("问题已解决，使用正常", "维修后使用正常，住户满意", "已恢复正常，住户表示感谢", "维修效果良好，无复发"),
    "other": ("住户表示答复清楚", "住户对答复满意", "住户表示已了解，无其他诉求", "住户感谢客服的耐心解答"),
}
SHORTCOMINGS = ("师傅上门时间比约定晚了半小时", "维修后现场未清理干净", "等待时间较长", "处理结果一般，希望更细致",
                "电话多次才联系上客服", "答复不够具体")
SUGGESTIONS = ("希望上门前提前电话联系", "建议维修后清理现场", "希望加快响应速度", "建议增加夜间值班人员",
               "希望能在APP上查看处理进度")
REOPEN_SHORTCOMINGS = ("维修后问题复发，仍未修好", "用了两天又坏了", "问题没有根治，还是老样子")
COMPLAINT_SHORTCOMINGS = ("对处理结果不满意，要求投诉", "处理拖延，态度敷衍", "问题反复出现，要求给个说法")
REVIEWS = {"good": ("回访及时，记录完整", "已阅，继续保持", "住户满意，同意", "回访规范，记录清楚"),
           "neutral": ("已提醒维修人员注意上门时间", "已与相关部门沟通改进", "跟进住户意见，下周复查"),
           "bad": ("已督促整改，跟进复查结果", "已约谈责任人，持续跟进", "已报分公司，跟进处理结果")}
RESCHEDULE_REASONS = ("住户外出旅游，约定回来后再回访", "住户表示近期工作忙，约下周再联系",
                      "住户住院，家属请求延后回访", "住户要求等使用一段时间后再回访")
ATTEMPTS = (("no_answer", "无人接听"), ("busy", "占线"), ("call_back", "住户在忙，约稍后再打"),
            ("no_answer", "关机"), ("wrong_number", "号码有误，已核对档案"))


@dataclass(eq=False, slots=True)
class _Request:
    pk: int
    project: int
    kind: str
    severity: str
    created_by: int
    reporter: int | None
    room: int | None
    complained_department: int | None
    received_at: datetime
    number: str
    department: int | None = None  # of the first work order
    handlings: list[datetime] = field(default_factory=list)
    reopens: list[tuple[datetime, str]] = field(default_factory=list)


VISIT_FIELDS = [f.attname for f in FollowUpVisit._meta.concrete_fields]
VISIT_DEFAULTS = {f.attname: f.get_default() for f in FollowUpVisit._meta.concrete_fields}
RECORD_FIELDS = ("status", "done_at", "late", "method", "quality", "effect", "satisfaction", "shortcomings",
                 "suggestions", "confirmation", "recorded_by_id", "decision", "decision_note", "follow_request_id",
                 "review_comment", "reviewed_by_id", "reviewed_at")
ATTEMPT_FIELDS = [f.attname for f in VisitAttempt._meta.concrete_fields]


class _Row:
    """A visit as planned, its columns as plain attributes: model instances built field by field are the slow part
    of writing 20,000 of them, so the model is made at the end, positionally."""

    def __init__(self, **values):
        self.__dict__.update(VISIT_DEFAULTS)
        self.__dict__.update(values)

    def model(self) -> FollowUpVisit:
        return FollowUpVisit(*[self.__dict__[name] for name in VISIT_FIELDS])


@dataclass(frozen=True)
class _Staff:
    agents: dict[int, list[int]]  # project → agent user ids, in order
    managers: dict[int, int]  # project → the project manager
    leaders: dict[int, int]  # project → the leader of its branch


def build_visits(plan: DemoPlan, *, stdout=None) -> dict[str, int]:
    """Write the visits of the history just written from ``plan`` (call inside the demo's transaction)."""
    started = clock.monotonic()
    as_of = datetime.combine(plan.today, time(0), TZ)
    project_ids = list(Project.objects.filter(code__in=[pp.spec.code for pp in plan.projects])
                       .order_by("id").values_list("id", flat=True))
    requests = _requests(project_ids)
    planner = _Planner(random.Random(plan.seed + SEED_OFFSET), as_of, _staff(project_ids), requests)
    rows, planned_attempts = planner.plan()
    visits = [row.model() for row in rows]
    FollowUpVisit.objects.bulk_create(visits, batch_size=BATCH)
    _fill_keys(visits)
    for row, visit in zip(rows, visits, strict=True):
        row.pk = visit.pk
    attempts = [VisitAttempt(*[{"id": None, "visit_id": row.pk, "at": at, "by_id": by, "outcome": outcome,
                                "note": note}[name] for name in ATTEMPT_FIELDS])
                for row, at, by, outcome, note in planned_attempts]
    VisitAttempt.objects.bulk_create(attempts, batch_size=BATCH)
    reset_queries()
    counts = {"visits": len(visits), "attempts": len(attempts)}
    if stdout is not None:
        stdout.write(f"  {len(visits):,} follow-up visits and {len(attempts):,} call attempts written in "
                     f"{clock.monotonic() - started:.1f} s")
    return counts


def _requests(project_ids: list[int]) -> list[_Request]:
    requests = {row[0]: _Request(*row) for row in ServiceRequest.objects.filter(project_id__in=project_ids).order_by(
        "id").values_list("id", "project_id", "kind", "severity", "created_by_id", "reporter_id", "room_id",
                          "complained_department_id", "received_at", "number")}
    for request_id, department in WorkOrder.objects.filter(project_id__in=project_ids).order_by(
            "-request_id", "-id").values_list("request_id", "department_id"):
        requests[request_id].department = department  # the last one written is the first order
    events = TimelineEvent.objects.filter(request__project_id__in=project_ids)
    for request_id, at, data in events.filter(kind="status", action__in=("resolved", "closed")).order_by(
            "request_id", "at", "id").values_list("request_id", "at", "data"):
        if data.get("from") not in ("resolved", "closed"):  # became handled: the hook scheduled a visit
            requests[request_id].handlings.append(at)
    for request_id, at, reason in events.filter(kind="work_order", action="reopen").order_by(
            "request_id", "at", "id").values_list("request_id", "at", "message"):
        requests[request_id].reopens.append((at, reason))
    return list(requests.values())


def _staff(project_ids: list[int]) -> _Staff:
    agents: dict[int, list[int]] = defaultdict(list)
    managers, branch_leaders, branches = {}, {}, {}
    for user_id, role, project_id, branch_id in StaffProfile.objects.filter(is_active=True).order_by(
            "user_id").values_list("user_id", "role", "project_id", "branch_id"):
        if role == "agent" and project_id:
            agents[project_id].append(user_id)
        elif role == "project_manager" and project_id:
            managers.setdefault(project_id, user_id)
        elif role == "branch_leader" and branch_id:
            branch_leaders.setdefault(branch_id, user_id)
    for project_id, branch_id in Project.objects.filter(pk__in=project_ids).values_list("id", "branch_id"):
        branches[project_id] = branch_leaders.get(branch_id)
    return _Staff(agents=dict(agents), managers=managers, leaders=branches)


def _fill_keys(visits: list[FollowUpVisit]) -> None:
    """Backends that return no keys from bulk_create: find them by request and handling time (unique here)."""
    missing = [v for v in visits if v.pk is None]
    if missing:
        lookup = {key[:2]: key[2] for key in FollowUpVisit.objects.filter(
            request_id__in={v.request_id for v in missing}).values_list("request_id", "handled_at", "pk")}
        for visit in missing:
            visit.pk = lookup[(visit.request_id, visit.handled_at)]


class _Planner:
    def __init__(self, rng: random.Random, as_of: datetime, staff: _Staff, requests: list[_Request]):
        self.rng, self.as_of, self.staff, self.requests = rng, as_of, staff, requests
        self.offsets: dict[tuple, float] = {}  # (project,) and (project, month): how well the visits went
        self.complaints: dict[tuple[str, int], list[tuple[datetime, int, str]]] = defaultdict(list)
        for r in requests:
            if r.kind == "complaint":
                for key in (("reporter", r.reporter), ("room", r.room)):
                    if key[1] is not None:
                        self.complaints[key].append((r.received_at, r.pk, r.number))
        self.linked: set[int] = set()
        self.attempts: list[tuple] = []  # (visit row, at, by, outcome, note)

    # -- helpers ---------------------------------------------------------------------------------------------------

    def weighted(self, table: dict):
        return self.rng.choices(list(table), weights=list(table.values()))[0]

    def call_time(self, start: datetime, end: datetime, skew: tuple[float, float] = (1.3, 3.0)) -> datetime:
        """A time to call from ``start`` to ``end``, early rather than late, inside the residents' calling window."""
        at = start + (end - start) * self.rng.betavariate(*skew)
        at = next_calling_time(at.astimezone(TZ)) + timedelta(seconds=self.rng.randrange(0, 1800))
        if at > end:
            at = next_calling_time(start.astimezone(TZ))
        return at

    def done_share(self, rule: str, r: _Request, due_by: datetime) -> float:
        local = due_by.astimezone(TZ)
        month = (local.year, local.month)
        project = self.offsets.setdefault((r.project,), self.rng.uniform(-0.015, 0.015))
        noise = self.offsets.setdefault((r.project, month), max(-0.03, min(0.03, self.rng.gauss(0, 0.01))))
        return min(0.995, DONE[rule] + project + noise)

    def visitor(self, r: _Request, role: str) -> int | None:
        if role == "branch_leader" and self.staff.leaders.get(r.project):
            return self.staff.leaders[r.project]
        if role in ("branch_leader", "project_manager") and self.staff.managers.get(r.project):
            return self.staff.managers[r.project]
        agents = self.staff.agents.get(r.project, [])
        return r.created_by if r.created_by in agents else (agents[0] if agents else None)

    # -- the year ---------------------------------------------------------------------------------------------------

    def plan(self) -> tuple[list[_Row], list[tuple]]:
        visits = []
        for r in self.requests:
            for index, handled in enumerate(r.handlings):
                reopen = next(((at, why) for at, why in r.reopens if at > handled), None)
                nxt = r.handlings[index + 1] if index + 1 < len(r.handlings) else None
                if reopen is not None and nxt is not None and reopen[0] > nxt:
                    reopen = None
                visits.append(self.visit(r, handled, reopen))
        self.keep_some_to_do(visits)
        return visits, self.attempts

    def keep_some_to_do(self, visits: list[_Row]) -> None:
        """The resident asked to be called later: the latest visits of each project's first agent were rescheduled
        (with a reason) to the coming days, more of them when a small demo leaves the agent fewer than MIN_TO_DO
        visits to make — so that the agent's queue has rows at any scale."""
        for agents in self.staff.agents.values():
            mine = [v for v in visits if v.visitor_id == agents[0]]
            wanted = max(1, MIN_TO_DO - sum(v.status == "pending" for v in mine))
            made = sorted((v for v in mine if v.status == "done" and v.method != "online" and not v.decision
                           and v.handed_over_at is None), key=lambda v: v.handled_at)
            for v in made[-wanted:]:
                v.__dict__.update({name: VISIT_DEFAULTS[name] for name in RECORD_FIELDS})
                later = max(v.due_by, self.as_of) + timedelta(hours=self.rng.uniform(20, 200))
                v.due_by = next_calling_time(later.astimezone(TZ))
                v.due_from = min(v.due_from, v.due_by)
                v.reschedule_reason = self.rng.choice(RESCHEDULE_REASONS)

    def visit(self, r: _Request, handled: datetime, reopen: tuple[datetime, str] | None) -> _Row:
        """The visit of one handling, decided as if time ran on, then replayed up to "as of"."""
        rng = self.rng
        rule = rule_for(r.kind)
        due_from, due_by = window(handled, rule)
        role = visitor_for(r.kind, r.severity)
        v = _Row(request_id=r.pk, project_id=r.project, kind=r.kind, rule=rule.key, handled_at=handled,
                 due_from=due_from, due_by=due_by, visitor_id=self.visitor(r, role), visitor_role=role,
                 department_id=r.complained_department or r.department)
        methods = METHODS["major" if role == "branch_leader" else "online" if rule.online_allowed else "complaint"]
        follow = None if reopen else self.follow_complaint(r, handled, due_by)
        failed: list[datetime] = []
        if reopen is not None:  # the resident was dissatisfied at the visit: the work was reopened right after
            done = max(reopen[0] - timedelta(minutes=rng.randint(2, 20)), handled + 10 * MINUTE)
            online = rule.online_allowed and "回访" not in reopen[1] and rng.random() < 0.6
            outcome, method = "dissatisfied", "online" if online else "phone"
        elif follow is not None:  # … or made a complaint right after the visit
            done = max(follow[0] - timedelta(minutes=rng.randint(3, 45)), handled + 10 * MINUTE)
            in_person = r.kind != "complaint" and rng.random() < 0.2
            outcome, method = "dissatisfied", "face_to_face" if in_person else "phone"
        else:
            method = self.weighted(methods)
            late = LATE[rule.key]
            if self.as_of - OVERDUE_HANDOVER <= due_by < self.as_of:
                late = 0.5  # the last days' visits pile up: some are still overdue in the queues
            if rng.random() < self.done_share(rule.key, r, due_by):
                outcome, done = "done", self.planned_time(rule.key, handled, due_from, due_by, method)
                if method != "online" and rng.random() < late:
                    done = self.after(due_by, 2, 100)
                    if done > due_by + OVERDUE_HANDOVER:  # the project manager had it by then, and went in person
                        done, method = self.after(due_by + OVERDUE_HANDOVER, 6, 96), "face_to_face"
                if method != "online" and rng.random() < 0.12:  # reached at a later call
                    failed = self.calls(handled, done, rng.choice((1, 1, 2)))
            elif rng.random() < UNREACHABLE:
                outcome, method = "unreachable", "phone"
                first = self.planned_time(rule.key, handled, due_from, due_by, "phone")
                failed = [first] + [self.after(first, 24 * k + 2, 24 * k + 30) for k in range(1, MAX_ATTEMPTS)]
                done = failed[-1]
            else:
                outcome, done = "missed", None
        handover = due_by + OVERDUE_HANDOVER + SWEEP_DELAY
        if done is not None and done <= handover:
            handover = None  # made (or given up) before the sweep could take it
        self.replay(v, r, outcome, method, done, failed, handover, follow)
        return v

    def after(self, start: datetime, low_hours: float, high_hours: float) -> datetime:
        return next_calling_time((start + timedelta(hours=self.rng.uniform(low_hours, high_hours))).astimezone(TZ))

    def calls(self, handled: datetime, reached: datetime, count: int) -> list[datetime]:
        """Unanswered calls before the one that reached the resident."""
        times = []
        for k in range(count, 0, -1):
            at = reached - timedelta(days=k, minutes=self.rng.randint(0, 120))
            at = next_calling_time(max(at, handled + HOUR).astimezone(TZ))
            if at < reached - 30 * MINUTE and (not times or at > times[-1]):
                times.append(at)
        return times

    def planned_time(self, rule: str, handled: datetime, due_from: datetime, due_by: datetime, method: str
                     ) -> datetime:
        rng = self.rng
        if method == "online":  # the resident rates when the text arrives, mostly the same day
            at = handled + timedelta(minutes=min(max(300 * math.exp(rng.gauss(0, 1.1)), 10), 4320))
            local = at.astimezone(TZ)
            if not 7 <= local.hour < 23:
                day = local.date() + (DAY if local.hour >= 23 else timedelta(0))
                at = datetime.combine(day, time(8), TZ) + timedelta(minutes=rng.randrange(180))
            return at
        skew = (1.2, 2.2) if rule == "complaint" else (1.3, 3.5)
        return self.call_time(due_from + (20 * MINUTE if rule == "complaint" else timedelta(0)), due_by, skew)

    def follow_complaint(self, r: _Request, handled: datetime, due_by: datetime) -> tuple[datetime, int, str] | None:
        """A complaint from the same resident or home soon after the handling: the visit (late, if it came after the
        window) found them dissatisfied and the complaint followed."""
        for key in (("reporter", r.reporter), ("room", r.room)):
            for received, pk, number in self.complaints.get(key, ()):
                if pk not in self.linked and handled + HOUR < received <= max(due_by, handled + LINK_WITHIN):
                    if self.rng.random() < 0.95:
                        self.linked.add(pk)
                        return received, pk, number
                    return None
        return None

    # -- up to "as of": what the services and the sweep left --------------------------------------------------------

    def replay(self, v: _Row, r: _Request, outcome: str, method: str, done: datetime | None,
               failed: list[datetime], handover: datetime | None, follow: tuple[datetime, int, str] | None) -> None:
        rng = self.rng
        as_of = self.as_of
        manager = self.staff.managers.get(r.project)
        original = v.visitor_id
        handed = handover is not None and handover < as_of and manager is not None
        if handed:
            v.visitor_id, v.handed_over_at = manager, handover
        tried = [at for at in failed if at < as_of]
        for at in tried:
            code, note = rng.choice(ATTEMPTS)
            by = manager if handed and at >= handover else original
            self.attempts.append((v, at, by, code, note))
        v.attempts = len(tried)
        if done is None or done >= as_of:
            return  # still to visit
        if outcome == "unreachable":
            v.status, v.done_at = "unreachable", done
            return
        v.status, v.done_at, v.late, v.method = "done", done, done > v.due_by, method
        v.recorded_by_id = v.visitor_id
        v.confirmation = {"phone": "phone", "face_to_face": "signed", "online": "online"}[method]
        if outcome == "dissatisfied":
            v.satisfaction = 1 if rng.random() < 0.3 else 2
            if follow is None:
                v.shortcomings = rng.choice(REOPEN_SHORTCOMINGS)
                v.decision, v.decision_note = "reopened", "已报分公司；1 个工单已重新派发。"
            else:
                v.shortcomings = rng.choice(COMPLAINT_SHORTCOMINGS)
                v.decision, v.follow_request_id = "complaint", follow[1]
                v.decision_note = f"已报分公司；已立投诉单 {follow[2]} 跟进处理。"
        else:
            v.satisfaction = self.weighted(SATISFACTION["complaint" if r.kind == "complaint" else ""])
            if v.satisfaction == 3 or rng.random() < 0.05:
                v.shortcomings = rng.choice(SHORTCOMINGS) if rng.random() < 0.7 else ""
        if v.satisfaction >= 3:
            kind = "complaint" if r.kind == "complaint" else "work" if r.department else "other"
            v.effect = rng.choice(EFFECTS[kind])
        if r.department and r.kind != "complaint":
            v.quality = "poor" if v.satisfaction <= 2 else "good" if v.satisfaction == 5 or rng.random() < 0.8 \
                else "fair"
        if rng.random() < 0.12:
            v.suggestions = rng.choice(SUGGESTIONS)
        if manager is not None and rng.random() < 0.7:
            reviewed = next_calling_time((done + timedelta(minutes=min(max(1200 * math.exp(
                rng.gauss(0, 0.9)), 30), 14400))).astimezone(TZ))
            if reviewed < as_of:
                mood = "bad" if v.satisfaction <= 2 else "neutral" if v.satisfaction == 3 else "good"
                v.review_comment, v.reviewed_by_id, v.reviewed_at = rng.choice(REVIEWS[mood]), manager, reviewed
