"""Planning the year: which requests came in when, in which project, each planned in full (pure Python)."""

from __future__ import annotations

import bisect
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from itertools import accumulate

import chinese_calendar

from propdesk.console.demo.history.plans import RequestPlan, _People, _Skeleton, _Staff
from propdesk.console.demo.history.requests import _RequestPlanning
from propdesk.console.demo.history.spec import DAY, DAYS, RECENT_DAYS, REQUESTS_PER_YEAR, SEED_OFFSET, TZ
from propdesk.console.demo.history.subjects import (
    CHANNELS,
    HOURS_OFFICE,
    HOURS_WEEKDAY,
    HOURS_WEEKEND,
    KIND_WEIGHTS,
    MONTH_VOLUME,
    PATROL_WINDOWS,
    SEASONS,
    SUBJECTS,
    Subject,
)
from propdesk.console.demo.history.timeline import _Replay
from propdesk.console.demo.history.work_orders import _WorkOrderPlanning
from propdesk.console.demo.plan import DemoPlan
from propdesk.servicedesk.rules import escalation, sla
from propdesk.servicedesk.rules.calendar import WorkingCalendar


def plan_history(plan: DemoPlan) -> list[RequestPlan]:
    """Every request of the year, replayed up to midnight starting ``plan.today``. Pure: same plan, same history."""
    return list(iter_history(plan))


def iter_history(plan: DemoPlan) -> Iterator[RequestPlan]:
    """The requests in the order they came in (across projects), numbered per project and day."""
    return _Planner(plan).requests()


class _Planner(_RequestPlanning, _WorkOrderPlanning, _Replay):
    """The year, request by request: setup, random helpers and the calendar here; one request, its work orders and
    the replay in the mixins."""

    def __init__(self, plan: DemoPlan):
        self.plan = plan
        self.rng = random.Random(plan.seed + SEED_OFFSET)
        self.as_of = datetime.combine(plan.today, time(0), TZ)
        self.start_day = plan.today - timedelta(days=DAYS)
        # One calendar and one set of targets for the whole history: the demo company keeps the defaults
        # (services/policy.policy_for gives exactly these for its projects).
        self.calendar = WorkingCalendar(tz=TZ)
        self.targets = dict(sla.DEFAULT_POLICY)
        self.ladder = escalation.DEFAULT_LADDER
        self.accept_ladder = escalation.DEFAULT_ACCEPT_LADDER
        self.staff = [self._staff(pp) for pp in plan.projects]
        self.people = [self._people(pp) for pp in plan.projects]
        self.subjects = self._subject_tables()
        self.last_numbers: dict[tuple[str, date], int] = {}
        self.names: dict[str, str] = {}

    # -- setup -------------------------------------------------------------------------------------------------

    def _staff(self, pp) -> _Staff:
        code = pp.spec.code
        mine = [s for s in self.plan.staff if s.project == code]
        members: dict[str, list[str]] = defaultdict(list)
        for s in mine:
            if s.department:
                members[s.department].append(s.username)
        leader = next(s.username for s in self.plan.staff if s.role == "branch_leader" and s.branch == pp.branch.code)
        names = {s.username: s.display_name for s in self.plan.staff}
        return _Staff(code=code, prefix=pp.spec.prefix, name=pp.spec.name, branch=pp.branch.code,
                      agents=[s.username for s in mine if s.role == "agent"],
                      stewards=[s.username for s in mine if s.role == "steward"],
                      pm=next(s.username for s in mine if s.role == "project_manager"), leader=leader,
                      members=dict(members), names=names, mobiles={s.username: s.mobile for s in self.plan.staff})

    def _people(self, pp) -> _People:
        rng = self.rng
        relation_weight = {"owner": 1.0, "co_owner": 0.5, "tenant": 1.0, "family": 0.3, "occupant": 0.2}
        occupancies = [o for o in pp.occupancies if o.room.status != "vacant" or o.relation == "owner"]
        general, complaint, help_ = [], [], []
        for o in occupancies:
            weight = rng.lognormvariate(0, 0.9) * relation_weight.get(o.relation, 0.5)
            if o.room.status == "vacant":
                weight *= 0.1
            if o.person.login:
                weight *= 8  # the resident logins have a history of their own to look at
            general.append(weight)
            complaint.append(weight * (12 if o.person.flags.get("is_frequent_complainant") else 1))
            help_.append(weight * (6 if o.person.flags.get("is_elderly_alone") else 1))
        elevators: dict[tuple[str, str], list[int]] = defaultdict(list)
        lobbies: dict[str, int] = {}
        kinds: dict[str, list[int]] = defaultdict(list)
        names: dict[str, int] = {}
        for index, area in enumerate(pp.common_areas):
            kinds[area.kind].append(index)
            names[area.name] = index
            if area.kind == "elevator":
                unit = area.name.split("号楼")[1].split("单元")[0]
                elevators[(area.building, unit)].append(index)
            elif area.kind == "lobby":
                lobbies[area.building] = index
        return _People(occupancies=occupancies, general=list(accumulate(general)),
                       complaint=list(accumulate(complaint)), help=list(accumulate(help_)), elevators=dict(elevators),
                       lobbies=lobbies, area_kinds=dict(kinds), area_names=names,
                       rooms=[room for room in pp.rooms if room.room_type != "villa"] or pp.rooms)

    def _subject_tables(self) -> dict[tuple[str, bool, int], tuple[list[Subject], list[float]]]:
        """(kind, staff-found, month) → subjects with cumulative weights."""
        tables = {}
        for kind in KIND_WEIGHTS:
            for staff_found in (False, True):
                pool = [s for s in SUBJECTS if s.kind == kind and (s.patrol or not staff_found)]
                for month in range(12):
                    weights = [s.weight * SEASONS[s.season][month] for s in pool]
                    tables[(kind, staff_found, month)] = (pool, list(accumulate(weights)))
        return tables

    # -- random helpers ----------------------------------------------------------------------------------------

    def pick(self, population, cum_weights):
        return population[bisect.bisect_right(cum_weights, self.rng.random() * cum_weights[-1])]

    def weighted(self, table: dict):
        return self.rng.choices(list(table), weights=list(table.values()))[0]

    def minutes(self, low: float, high: float) -> timedelta:
        return timedelta(seconds=int(self.rng.uniform(low, high) * 60))

    def lognorm(self, median: float, sigma: float, low: float, high: float) -> timedelta:
        """Minutes, log-normally around ``median``, clipped to [low, high]."""
        value = median * math.exp(self.rng.gauss(0, sigma))
        return timedelta(seconds=int(min(max(value, low), high) * 60))

    def on_duty(self, t: datetime, start: tuple[int, int] = (8, 30), end: tuple[int, int] = (18, 0),
                jitter: float = 60) -> datetime:
        """``t`` when it falls in the day's duty hours, else the next start of duty plus a little."""
        minute = t.hour * 60 + t.minute
        first, last = start[0] * 60 + start[1], end[0] * 60 + end[1]
        if first <= minute < last:
            return t
        day = t.date() if minute < first else t.date() + DAY
        return datetime.combine(day, time(*start), TZ) + self.minutes(0, jitter)

    def desk(self, staff: _Staff, t: datetime) -> str:
        """The agent on duty: the first agent on weekday days and every other weekend, the second in the evening and
        at night (the 400 line never closes)."""
        if 8 <= t.hour < 16 and (t.weekday() < 5 or t.toordinal() % 2):
            return staff.agents[0]
        return staff.agents[-1]

    # -- the year ----------------------------------------------------------------------------------------------

    def _days(self) -> tuple[list[date], list[float]]:
        days = [self.start_day + timedelta(days=i) for i in range(DAYS)]
        festival = set()
        weights = []
        details = {}
        for day in days:
            try:
                details[day] = chinese_calendar.get_holiday_detail(day)
            except NotImplementedError:  # a year the package does not know: no holidays
                details[day] = (day.weekday() >= 5, None)
            if details[day][1] == chinese_calendar.Holiday.spring_festival.value and details[day][0]:
                festival.add(day)
        before_festival = {day - timedelta(days=k) for day in festival for k in range(1, 8)} - festival
        for day in days:
            weight = MONTH_VOLUME[day.month - 1]
            if self.calendar.is_workday(day):
                weight *= 1.12 if day.weekday() == 0 else 1.0
            else:
                weight *= 0.8
            if day in festival:
                weight *= 0.45  # many residents go home for the Spring Festival
            elif details[day][0] and details[day][1]:
                weight *= 0.8
            elif day in before_festival:
                weight *= 0.85
            weights.append(weight)
        return days, list(accumulate(weights))

    def _skeletons(self) -> list[_Skeleton]:
        rng = self.rng
        total = max(1, round(REQUESTS_PER_YEAR * self.plan.scale))
        sizes = [sum(1 for o in people.occupancies if o.end is None) for people in self.people]
        days, day_weights = self._days()
        kinds = list(KIND_WEIGHTS)
        kind_weights = list(accumulate(KIND_WEIGHTS.values()))
        hours = {key: list(accumulate(profile)) for key, profile in (
            ("weekday", HOURS_WEEKDAY), ("weekend", HOURS_WEEKEND), ("office", HOURS_OFFICE))}
        skeletons = []
        for index, size in enumerate(sizes):
            count = max(1, round(total * size / sum(sizes)))
            for day in rng.choices(days, cum_weights=day_weights, k=count):
                kind = self.pick(kinds, kind_weights)
                channel = self.weighted(CHANNELS[kind])
                if channel == "patrol":
                    low, high = rng.choice(PATROL_WINDOWS)
                    seconds = int(rng.uniform(low, high) * 60)
                else:
                    profile = ("office" if channel in ("walk_in", "letter", "staff")
                               else "weekday" if self.calendar.is_workday(day) else "weekend")
                    seconds = self.pick(range(24), hours[profile]) * 3600 + rng.randrange(3600)
                received = datetime.combine(day, time(0), TZ) + timedelta(seconds=seconds)
                skeletons.append(_Skeleton(index, received, kind, channel))
            skeletons += self._stalled(index, skeletons)
        skeletons.sort(key=lambda s: (s.received_at, s.project))
        return skeletons

    def _stalled(self, project: int, skeletons: list[_Skeleton]) -> list[_Skeleton]:
        """Mark a few repairs of the last two weeks (but old enough to be past their deadline) as stalled, so the
        overdue queue shows real rows; add some when a small demo has too few."""
        rng = self.rng
        low, high = self.as_of - timedelta(days=RECENT_DAYS), self.as_of - timedelta(days=5)
        mine = [i for i, s in enumerate(skeletons) if s.project == project and s.kind in ("repair", "complaint", "help")
                and self.as_of - timedelta(days=RECENT_DAYS) <= s.received_at]
        candidates = [i for i in mine if skeletons[i].kind == "repair" and skeletons[i].channel not in (
            "patrol", "staff") and low <= skeletons[i].received_at < high]
        wanted = max(2, round(0.05 * len(mine)))
        for i in rng.sample(candidates, min(wanted, len(candidates))):
            skeletons[i] = _Skeleton(project, skeletons[i].received_at, "repair", skeletons[i].channel, stall=True)
        extra = []
        for _missing in range(wanted - len(candidates)):
            received = datetime.combine(low.date() + timedelta(days=rng.randrange(RECENT_DAYS - 5)), time(10), TZ)
            extra.append(_Skeleton(project, received + self.minutes(0, 300), "repair", "phone", stall=True))
        return extra

    def requests(self) -> Iterator[RequestPlan]:
        for skeleton in self._skeletons():
            yield self._request(skeleton)
