"""Replaying a request's steps up to "as of": the rows and timeline events the services would have written, and the
escalations the deadline sweep would have sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from propdesk.console.demo.history.plans import RequestPlan, WOPlan, _Staff, _Steps
from propdesk.console.demo.history.spec import (
    CHANNEL_LABELS,
    DEPARTMENT_LABELS,
    SIGNATURE,
    STATUS_LABELS,
    SWEEP_DELAY,
    WAITING,
    WHO_LABELS,
)
from propdesk.servicedesk.rules import escalation, numbers, sla
from propdesk.servicedesk.rules.transitions import WorkOrderState, request_state_from
from propdesk.servicedesk.services.codes import code_digest


class _Replay:
    """Part of ``_Planner``: the replay of one request's steps."""

    # -- replay: what the services would have written -------------------------------------------------------------

    def _replay(self, r: RequestPlan, staff: _Staff, steps: _Steps) -> None:
        items = sorted(steps.items, key=lambda s: (s[0], s[1]))
        wos: dict[int, WOPlan] = {}
        templates = {wo.index - 1: wo for wo in r.work_orders}
        r.work_orders = []
        target = self.targets[r.rule]
        for at, _seq, index, action, actor, payload in items:
            if at >= self.as_of:
                break
            self._escalate(r, staff, wos, at)
            if index is None:
                self._apply_request(r, staff, action, actor, at, payload)
            else:
                if action == "create":
                    wo = templates[index]
                    wos[index] = wo
                    r.work_orders.append(wo)
                self._apply_work_order(r, wos[index], staff, action, actor, at, payload, target)
            new = request_state_from([WorkOrderState(wo.status) for wo in r.work_orders],
                                     replied=r.replied_at is not None, cancelled=False).value
            if new != r.status:
                r.events.append((at, "status", new, actor, STATUS_LABELS[new], False, {"from": r.status, "to": new},
                                 None))
                r.status = new
                r.closed_at = at if new == "closed" else None
                if new not in ("resolved", "closed"):
                    r.resolved_at = None
                elif r.resolved_at is None:
                    r.resolved_at = at
            r.updated_at = at
        self._escalate(r, staff, wos, self.as_of - timedelta(microseconds=1))
        for wo in r.work_orders:
            wo.next_escalation_at = self._next_rung(r, wo)
        if r.updated_at is None:
            r.updated_at = r.received_at

    def _apply_request(self, r: RequestPlan, staff: _Staff, action: str, actor, at: datetime, payload) -> None:
        if action == "created":
            r.events.append((at, "created", "", actor, f"通过{CHANNEL_LABELS[r.channel]}受理。", False,
                             {"urgent": r.urgent, "rule": r.rule}, None))
        elif action == "intake":
            rule = escalation.intake_rule(r.severity)
            for relation in rule.notify:
                r.events.append((at, "escalation", f"intake_{relation}", None, f"受理时已报告{WHO_LABELS[relation]}。",
                                 False, {}, None))
            if rule.needs_acknowledgement:
                r.escalations_sent = []
                r.next_escalation_at = r.respond_by
        elif action == "ack":
            r.acknowledged_at, r.acknowledged_by = at, actor
            r.next_escalation_at = None
            role = "branch_leader" if actor == staff.leader else "project_manager"
            on_time = r.respond_by is None or at <= r.respond_by
            when = "在受理时限内" if on_time else "已超过受理时限"
            r.events.append((at, "acknowledged", "acknowledge", actor, f"{WHO_LABELS[role]}已接手处理（{when}）。",
                             False, {"on_time": on_time, "role": role}, None))
        elif action == "note":
            r.events.append((at, "comment", "", actor, payload["text"], True, {}, None))
        elif action == "reply":
            r.reply, r.replied_at = payload["text"], at
            if payload["written"]:
                r.written_reply, r.written_reply_at = payload["text"], at
            if r.kind == "complaint":
                r.complaint_valid, r.root_cause = payload["valid"], payload["root_cause"]
            r.events.append((at, "reply", "", actor, payload["text"], False, {"written": payload["written"]}, None))

    def _apply_work_order(self, r: RequestPlan, wo: WOPlan, staff: _Staff, action: str, actor, at: datetime,
                          payload, target) -> None:
        message = payload.get("reason", "")
        dept_name = f"{staff.name}{DEPARTMENT_LABELS[wo.department]}"
        if action == "create":
            wo.created_at = wo.changed_at = at
            wo_number = numbers.work_order_number(r.number, wo.index)
            r.events.append((at, "work_order", "create", actor, f"工单{wo_number}派{dept_name}。", False, {}, wo.index))
            wo.rungs = self._rungs(r, wo)
            return
        if action == "send_code":
            # Long expired by the time anyone looks; stored as the live service stores codes (an HMAC).
            wo.code_hash = code_digest(f"demo:{numbers.work_order_number(r.number, wo.index)}", payload["code"])
            wo.code_sent_at = at
            r.events.append((at, "work_order", "send_code", actor, "已向住户发送确认码。", False, {}, wo.index))
            return
        if action in ("dispatch", "reassign"):
            wo.assignee = payload["assignee"]
            wo.dispatcher, wo.dispatched_at, wo.accepted_at = actor, at, None
            message = message or f"派单给{staff.names[wo.assignee]}。"
            wo.status = "dispatched"
        elif action == "pool":
            wo.assignee, wo.dispatcher, wo.dispatched_at = None, actor, at
            message = f"放入{dept_name}抢单池。"
            wo.status = "pooled"
        elif action == "grab":
            wo.assignee, wo.accepted_at = actor, at
            message = f"{staff.names[actor]}抢单。"
            wo.status = "accepted"
        elif action == "accept":
            wo.accepted_at = at
            wo.status = "accepted"
        elif action == "reject":
            wo.assignee, wo.accepted_at = None, None
            wo.status = "pending"
        elif action == "arrive":
            wo.arrived_at = at
            wo.status = "on_site"
        elif action == "hold":
            wo.held_since, wo.hold_reason = at, payload["hold_reason"]
            wo.status = "on_hold"
        elif action == "resume":
            self._release(wo, at, target)
            wo.status = "accepted"
        elif action == "complete":
            self._release(wo, at, target)
            wo.result, wo.materials, wo.completed_at = payload["result"], payload["materials"], at
            if payload["confirmation"]:
                wo.confirmation_method = payload["confirmation"]
                wo.signature = SIGNATURE if payload["confirmation"] == "signature" else ""
                wo.confirmed_at = at
            message = wo.result
            wo.status = "completed"
        elif action == "cancel":
            self._release(wo, at, target)
            wo.status = "cancelled"
        elif action == "reopen":
            wo.reopen_count += 1
            wo.completed_at = wo.confirmed_at = wo.accepted_at = None
            wo.result = ""
            wo.dispatched_at = at
            r.replied_at = None  # the earlier answer no longer closes it
            wo.status = "dispatched"
        wo.changed_at = at
        wo.rungs = self._rungs(r, wo)
        data = {"status": wo.status, "assignee_id": wo.assignee}
        if action == "hold":
            data["hold_reason"] = payload["hold_reason"]
        r.events.append((at, "work_order", action, actor, message, False, data, wo.index))

    def _release(self, wo: WOPlan, at: datetime, target) -> None:
        if wo.held_since is None:
            return
        if wo.resolve_by:
            wo.resolve_by = sla.extend_for_hold(resolve_by=wo.resolve_by, held_from=wo.held_since, held_until=at,
                                                target=target, calendar=self.calendar)
        wo.held_seconds += int((at - wo.held_since).total_seconds())
        wo.held_since, wo.hold_reason = None, ""

    def _rungs(self, r: RequestPlan, wo: WOPlan) -> list[tuple[datetime, escalation.Rung]]:
        """Unsent rungs of the order's ladders with their fire times, as the sweep sees the order now."""
        sent = frozenset(wo.escalations_sent)
        out = []
        if wo.status in WAITING and wo.respond_by:
            start = wo.dispatched_at or wo.created_at
            if start >= wo.respond_by:
                start = wo.respond_by - timedelta(seconds=1)
            out += [(escalation.fire_at(rung, start=start, deadline=wo.respond_by), rung)
                    for rung in self.accept_ladder if rung.key not in sent]
        if wo.status not in ("completed", "cancelled", "on_hold") and wo.resolve_by and r.received_at < wo.resolve_by:
            out += [(escalation.fire_at(rung, start=r.received_at, deadline=wo.resolve_by), rung)
                    for rung in self.ladder if rung.key not in sent]
        return out

    def _escalate(self, r: RequestPlan, staff: _Staff, wos: dict[int, WOPlan], upto: datetime) -> None:
        """Send what the sweep (every minute) would have sent by ``upto``, each rung once."""
        due = []
        for wo in wos.values():
            for at, rung in wo.rungs:
                at = max(at, wo.changed_at + SWEEP_DELAY)
                if at <= upto:
                    due.append((at, wo.index, rung, wo))
        for at, _index, rung, wo in sorted(due, key=lambda item: (item[0], item[1])):
            recipients = self._recipients(rung.recipient, r, wo, staff)
            r.events.append((at, "escalation", rung.key, None, f"已升级至{WHO_LABELS[rung.recipient]}。", False,
                             {"recipients": recipients}, wo.index))
            wo.escalations_sent.append(rung.key)
            wo.rungs = [item for item in wo.rungs if item[1] is not rung]
        if r.next_escalation_at is not None and r.next_escalation_at <= upto and r.acknowledged_at is None:
            rule = escalation.intake_rule(r.severity)
            who = [staff.leader] if rule.unacknowledged == "branch_leader" else []
            r.events.append((r.next_escalation_at, "escalation", rule.ack_rung(), None,
                             f"已升级至{WHO_LABELS[rule.unacknowledged]}。", False, {"recipients": who}, None))
            r.escalations_sent = [*r.escalations_sent, rule.ack_rung()]
            r.next_escalation_at = None

    def _recipients(self, relation: str, r: RequestPlan, wo: WOPlan, staff: _Staff) -> list[str]:
        if relation == "assignee":
            return [wo.assignee] if wo.assignee else list(staff.members[wo.department])
        if relation in ("department_head", "project_manager"):  # the demo's departments have no head
            return [staff.pm]
        if relation == "branch_leader":
            return [staff.leader]
        return [wo.dispatcher or r.created_by]

    def _next_rung(self, r: RequestPlan, wo: WOPlan) -> datetime | None:
        times = [at for at, _rung in self._rungs(r, wo)]
        return min(times, default=None)
