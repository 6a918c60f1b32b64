"""Planning work orders: dispatch or pool, accept, arrive, hold and resume, complete, and the occasional reopen."""

from __future__ import annotations

from datetime import datetime, timedelta

from propdesk.console.demo.history.plans import RequestPlan, WOPlan, _Skeleton, _Staff, _Steps
from propdesk.console.demo.history.spec import MINUTE
from propdesk.console.demo.history.subjects import (
    CANCEL_REASONS,
    REASSIGN_REASONS,
    REJECT_REASONS,
    REOPEN_REASONS,
    SEC,
    E,
)


class _WorkOrderPlanning:
    """Part of ``_Planner``: the life of a request's work orders as steps."""

    # -- work orders -------------------------------------------------------------------------------------------

    def _work(self, r: RequestPlan, sk: _Skeleton, staff: _Staff, steps: _Steps, arrive_by: datetime | None) -> None:
        rng = self.rng
        t0 = r.received_at
        if r.urgent or r.kind == "help" or r.severity == "major" or r.channel == "patrol":
            base = t0 + (self.minutes(1, 3) if r.urgent else self.minutes(2, 8))
        else:
            base = t0 + self.lognorm(4, 0.6, 1, 30)
            if not (7 * 60 + 30 <= base.hour * 60 + base.minute < 21 * 60):  # recorded at night, dispatched at 8:30
                base = self.on_duty(base, (8, 30), (21, 0), 15)
        stall = ""
        if sk.stall:
            stall = rng.choice(("unaccepted", "slow", "slow", "parts"))
        finals = []
        instructions = ""
        if r.urgent:
            instructions = "紧急报修，请立即到场处理。"
        elif r.appointment_at:
            instructions = f"住户预约{r.appointment_at:%m月%d日%H:%M}上门。"
        reopenable = r.kind in ("repair", "help") and r.room is not None and not stall
        reopen_wo = None
        for index, dept in enumerate(r.subject.depts):
            created = base + timedelta(seconds=rng.randrange(20, 90) + 60 * index)
            wo = WOPlan(index=index + 1, department=dept, created_at=created, respond_by=r.respond_by,
                        arrive_by=arrive_by, resolve_by=r.resolve_by, instructions=instructions)
            r.work_orders.append(wo)
            final, outcome = self._chain(r, wo, staff, steps, created, stall=stall if index == 0 else "")
            finals.append(final)
            if outcome == "completed" and reopenable and reopen_wo is None and rng.random() < 0.03:
                reopen_wo = wo
        if stall:
            return
        reply_at = max(finals) + (self.lognorm(180, 0.8, 30, 1800) if r.kind == "complaint"
                                  else self.lognorm(40, 0.9, 5, 1200))
        reply_at = self.on_duty(reply_at, (8, 0), (21, 0), 40)
        self._answer(r, staff, steps, reply_at)
        if reopen_wo is not None:
            self._reopen(r, reopen_wo, staff, steps, reply_at)

    def _members(self, staff: _Staff, dept: str) -> tuple[list[str], list[float]]:
        members = staff.members[dept]
        weights = [0.42, 0.34, 0.24][:len(members)] if dept == E else [1.0] * len(members)
        return members, weights

    def _accept_after(self, t: datetime, dept: str, urgent: bool, quick: bool = False) -> datetime:
        if urgent:
            return t + self.minutes(0.5, 5)
        if quick:  # help: someone is waiting at the door
            return t + self.lognorm(6, 0.6, 1, 60)
        if dept != SEC and not 8 <= t.hour < 20:  # the guard room works at night; the others start at 8
            t = self.on_duty(t, (8, 0), (20, 0), 40)
        return t + self.lognorm(10, 0.6, 1, 120)

    def _arrival(self, r: RequestPlan, dept: str, accepted: datetime) -> datetime:
        if r.urgent:
            return accepted + self.minutes(6, 22) + (self.minutes(10, 30) if self.rng.random() < 0.07 else MINUTE * 0)
        if r.appointment_at:
            return max(accepted + self.minutes(5, 10), r.appointment_at + self.minutes(-10, 20))
        if r.kind == "help" or r.severity == "major":
            return accepted + self.minutes(5, 30)
        if r.kind == "complaint":
            if dept == E:
                return self.on_duty(accepted + self.minutes(120, 1800))
            return self.on_duty(accepted + self.lognorm(40, 0.8, 10, 180), (8, 0), (20, 0))
        return self.on_duty(accepted + self.lognorm(45, 0.8, 10, 300), (8, 30), (18, 0), 90)

    def _work_time(self, r: RequestPlan) -> timedelta:
        if r.kind == "help":
            return self.lognorm(20, 0.5, 5, 90)
        if r.kind == "complaint":
            return self.lognorm(40, 0.6, 10, 240)
        return self.lognorm(35, 0.6, 10, 180)

    def _chain(self, r: RequestPlan, wo: WOPlan, staff: _Staff, steps: _Steps, created: datetime, *,
               stall: str) -> tuple[datetime, str]:
        """Steps of one work order from creation to completion (or cancellation). Returns when and how it ended."""
        rng = self.rng
        i = wo.index - 1
        dept = wo.department
        members, weights = self._members(staff, dept)
        dispatcher = self.desk(staff, created)
        far = self.as_of + timedelta(days=rng.randint(1, 10))
        steps.add(created, i, "create", dispatcher)
        t = created + self.minutes(0.3, 2)
        if len(members) > 1 and not r.urgent and rng.random() < 0.2:
            steps.add(t, i, "pool", dispatcher)
            grabbed = far if stall == "unaccepted" else self._accept_after(t, dept, False)
            assignee = rng.choices(members, weights=weights)[0]
            steps.add(grabbed, i, "grab", assignee)
            t = grabbed
        else:
            assignee = rng.choices(members, weights=weights)[0]
            steps.add(t, i, "dispatch", dispatcher, assignee=assignee)
            if len(members) > 1 and not stall and rng.random() < 0.03:
                t += self.minutes(2, 15)
                steps.add(t, i, "reject", assignee, reason=rng.choice(REJECT_REASONS))
                assignee = rng.choice([m for m in members if m != assignee])
                t += self.minutes(2, 10)
                steps.add(t, i, "dispatch", self.desk(staff, t), assignee=assignee)
            t = far if stall == "unaccepted" else self._accept_after(t, dept, r.urgent, r.kind == "help")
            steps.add(t, i, "accept", assignee)
        if stall == "unaccepted":
            return far, "stalled"
        if len(members) > 1 and not stall and rng.random() < 0.02:
            t += self.minutes(10, 90)
            assignee = rng.choice([m for m in members if m != assignee])
            steps.add(t, i, "reassign", self.desk(staff, t), assignee=assignee, reason=rng.choice(REASSIGN_REASONS))
            t += self.minutes(3, 20)
            steps.add(t, i, "accept", assignee)
        if not stall and r.kind in ("repair", "help") and rng.random() < 0.02:
            t = self.on_duty(t + self.minutes(10, 360), (8, 0), (21, 0))
            steps.add(t, i, "cancel", self.desk(staff, t), reason=rng.choice(CANCEL_REASONS))
            return t, "cancelled"
        late = not stall and rng.random() < (0.07 if r.urgent or r.kind == "help" else 0.11)
        arrive = self._arrival(r, dept, t)
        holds: list[tuple[str, str, datetime, datetime]] = []  # (reason code, text, from, until)
        hold_mode = ""
        if stall == "slow":
            arrive = far
        elif stall == "parts" or (not late and r.kind == "repair" and not r.urgent and r.room is not None
                                  and rng.random() < 0.1):
            hold_mode = "parts" if stall else self.weighted({"parts": 5, "not_home": 3, "appointment": 2})
        work = self._work_time(r)
        if hold_mode == "not_home":  # at the door, nobody home: hold until the resident is back
            resume = self.on_duty(arrive + self.minutes(120, 1500), (8, 30), (19, 0))
            holds.append(("not_home", "上门时住户不在家，已电话联系改约时间", arrive, resume))
            arrive = resume + self.minutes(20, 90)
        elif hold_mode == "appointment":
            hold_from = t + self.minutes(10, 60)
            resume = self.on_duty(hold_from + timedelta(days=rng.randint(1, 4)), (8, 30), (17, 0))
            holds.append(("appointment", "住户要求改约其他时间上门", hold_from, resume))
            arrive = max(arrive, resume + self.minutes(20, 60))
        first_arrive = arrive
        if hold_mode == "parts":
            days = rng.randint(1, 5)
            hold_from = arrive + self.minutes(10, 40)
            resume = far if stall else self.on_duty(hold_from + timedelta(days=days), (8, 30), (17, 0))
            holds.append(("parts", f"需要更换{r.subject.part}，配件缺货已下单，预计{days}天到货", hold_from, resume))
            arrive = resume + self.minutes(20, 60)
        done = arrive + work
        if late and wo.resolve_by is not None:
            resolve_by = wo.resolve_by
            if done <= resolve_by:
                lateness = self.lognorm(300, 1.0, 30, 4 * 24 * 60)
                arrive = self.on_duty(resolve_by + lateness - work, (8, 0), (20, 0))
                first_arrive = arrive
                done = arrive + work
        # Steps: arrive (first visit), holds, later visit, complete.
        if hold_mode == "not_home":
            reason, text, hold_from, resume = holds[0]
            steps.add(hold_from, i, "hold", assignee, reason=text, hold_reason=reason)
            steps.add(resume, i, "resume", assignee)
            steps.add(arrive, i, "arrive", assignee)
        elif hold_mode == "appointment":
            reason, text, hold_from, resume = holds[0]
            steps.add(hold_from, i, "hold", self.desk(staff, hold_from), reason=text, hold_reason=reason)
            steps.add(resume, i, "resume", self.desk(staff, resume))
            steps.add(arrive, i, "arrive", assignee)
        elif hold_mode == "parts":
            reason, text, hold_from, resume = holds[0]
            steps.add(first_arrive, i, "arrive", assignee)
            steps.add(hold_from, i, "hold", assignee, reason=text, hold_reason=reason)
            steps.add(resume, i, "resume", assignee)
            steps.add(arrive, i, "arrive", assignee)
        else:
            steps.add(arrive, i, "arrive", assignee)
        if stall:
            return far, "stalled"
        self._complete(r, wo, steps, assignee, done, i)
        return done, "completed"

    def _complete(self, r: RequestPlan, wo: WOPlan, steps: _Steps, assignee: str, at: datetime, i: int,
                  again: bool = False) -> None:
        rng = self.rng
        subject = r.subject
        results = subject.results2 if wo.index == 2 and subject.results2 else subject.results
        choice = rng.randrange(len(results))
        result = results[choice]
        if again:  # the same fix, done properly this time
            earlier = next(s[5]["result"] for s in reversed(steps.items) if s[2] == i and s[3] == "complete")
            choice = results.index(earlier) if earlier in results else choice
            result = f"再次上门检修：{results[choice]}"
        materials = subject.materials[choice] if wo.index == 1 and choice < len(subject.materials) else ""
        confirmation = ""
        if r.room is not None and r.kind in ("repair", "help"):
            confirmation = "signature" if rng.random() < 0.65 else "code"
            if confirmation == "code":
                steps.add(at - self.minutes(1, 4), i, "send_code", assignee, code=f"{rng.randrange(10 ** 6):06d}")
        steps.add(at, i, "complete", assignee, result=result, materials=materials, confirmation=confirmation)

    def _reopen(self, r: RequestPlan, wo: WOPlan, staff: _Staff, steps: _Steps, replied: datetime) -> None:
        rng = self.rng
        i = wo.index - 1
        at = self.on_duty(replied + self.minutes(240, 4320), (8, 30), (20, 0))
        steps.add(at, i, "reopen", self.desk(staff, at), reason=rng.choice(REOPEN_REASONS))
        # Reopen sends the order back to its last assignee: find who that was.
        assignee = next(s[5].get("assignee") or s[4] for s in reversed(steps.items)
                        if s[2] == i and s[3] in ("accept", "grab", "complete"))
        t = self._accept_after(at, wo.department, False)
        steps.add(t, i, "accept", assignee)
        t = self.on_duty(t + self.lognorm(90, 0.8, 20, 600), (8, 30), (18, 0))
        steps.add(t, i, "arrive", assignee)
        done = t + self._work_time(r)
        self._complete(r, wo, steps, assignee, done, i, again=True)
        reply_at = self.on_duty(done + self.lognorm(40, 0.9, 5, 1200), (8, 0), (21, 0), 40)
        self._answer(r, staff, steps, reply_at)
