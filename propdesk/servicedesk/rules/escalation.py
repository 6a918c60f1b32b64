"""The escalation ladder 升级 as data, and when each rung fires. Pure Python: no Django, no ``now()``.

A ladder is a tuple of :class:`Rung`. Each rung fires once, at its anchor plus its offset:

- anchor ``"warn"``: ``start + warn_fraction × (deadline − start)`` — a warning before the deadline;
- anchor ``"deadline"``: the deadline itself (breach).

Times are wall-clock: the caller passes ``start`` and ``deadline`` (already computed on the working calendar by
``rules/sla.py``, and moved by holds), so "80 % of the time" is 80 % of the wall-clock span between them, and
"breach + 2 h" is two clock hours after the deadline, at night too. The service keeps the keys it has sent on the
row, stores :func:`next_fire_at` in an indexed column, and the sweep calls :func:`due_rungs` for rows whose time has
come. A rung that has been sent stays sent when the deadline moves.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Anchor = Literal["warn", "deadline"]
ANCHORS = ("warn", "deadline")
# Relations the service resolves to people for one order: the assignee (for a pooled order nobody yet, so the
# service warns the department), the head of the order's department, the project's manager(s), the branch's
# leadership, whoever dispatched the order, and the company's quality department (品质管理部).
RECIPIENTS = ("assignee", "department_head", "project_manager", "branch_leader", "dispatcher", "quality")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
DEFAULT_WARN_FRACTION = 0.8


@dataclass(frozen=True)
class Rung:
    key: str  # stable id, stored on the row once sent; never rename a key in use
    recipient: str  # one of RECIPIENTS
    anchor: Anchor
    offset: timedelta = timedelta(0)


class LadderConfigError(ValueError):
    pass


# Policy defaults for the resolution deadline (resolve_by). The company edits them in its SLA policy.
DEFAULT_LADDER: tuple[Rung, ...] = (
    # The assignee is reminded when 80 % of the time is used (the fraction is the policy's warn_fraction).
    Rung("warn_assignee", "assignee", "warn"),
    # At breach the head of the responsible department is told.
    Rung("breach_department_head", "department_head", "deadline"),
    # Two hours after breach it is the project manager's problem.
    Rung("breach_project_manager", "project_manager", "deadline", timedelta(hours=2)),
    # Eight hours after breach (about a working day) the branch leadership hears of it.
    Rung("breach_branch_leader", "branch_leader", "deadline", timedelta(hours=8)),
)

# Policy default for the response deadline (respond_by): an order nobody has accepted goes back to its dispatcher.
DEFAULT_ACCEPT_LADDER: tuple[Rung, ...] = (
    Rung("unaccepted_dispatcher", "dispatcher", "deadline"),
)

@dataclass(frozen=True)
class IntakeRule:
    """What a complaint of one severity sets off at intake.

    ``notify``: relations told at once. ``acknowledgers``: roles whose acknowledgement ("I take this complaint")
    stops the response clock (the request's ``respond_by``, computed by ``rules/sla.py`` from the policy); empty when
    no acknowledgement is asked for. ``unacknowledged``: the relation told, once, when ``respond_by`` passes without
    one. An admin may always acknowledge (they stand in for anyone).
    """

    notify: tuple[str, ...] = ()
    acknowledgers: frozenset[str] = frozenset()
    unacknowledged: str | None = None

    @property
    def needs_acknowledgement(self) -> bool:
        return bool(self.acknowledgers)

    def ack_rung(self) -> str | None:
        """The key the missed acknowledgement is recorded under (stable: stored on rows)."""
        return f"unacknowledged_{self.unacknowledged}" if self.unacknowledged else None


# DESIGN §4. Major: same day to the branch leadership and into handling — the branch leader is told, and so is the
# project manager who does the work, and the branch leadership acknowledges (within the policy's response time, 2 hours
# bounded by the end of the day); if nobody does, the company's quality department hears of it. Important: to the
# project manager within 1 hour of intake, who acknowledges, else the branch leadership hears of it (the branch leader
# may take it too). Minor: handled by the department within 2 days, nobody extra.
INTAKE_RULES: dict[str, IntakeRule] = {
    "major": IntakeRule(notify=("branch_leader", "project_manager"), acknowledgers=frozenset({"branch_leader"}),
                        unacknowledged="quality"),
    "important": IntakeRule(notify=("project_manager",),
                            acknowledgers=frozenset({"project_manager", "branch_leader"}),
                            unacknowledged="branch_leader"),
    "minor": IntakeRule(),
}
ACK_RUNG_KEYS = frozenset(rule.ack_rung() for rule in INTAKE_RULES.values() if rule.ack_rung())


def intake_rule(severity: str) -> IntakeRule:
    """The intake rule of a complaint of ``severity``."""
    try:
        return INTAKE_RULES[str(severity)]
    except KeyError:
        raise ValueError(f"Unknown complaint severity {severity!r}.") from None


def may_acknowledge(severity: str, role: str | None) -> bool:
    """Whether a user of ``role`` may acknowledge a complaint of ``severity`` (and so stop its response clock)."""
    rule = intake_rule(severity)
    return rule.needs_acknowledgement and (role == "admin" or role in rule.acknowledgers)


def notice_is_overdue(*, deadline: datetime, now: datetime) -> bool:
    """Whether a rung sent at ``now`` tells of a deadline already passed ("overdue") rather than one coming ("due
    soon"). It depends on the time it is sent, not on the rung's anchor: a warning whose moment was missed — the
    sweep was down, or the order was dispatched so late that its warn point was behind it — and that goes out only
    after the deadline is the overdue notice ("due soon" about a deadline gone by would mislead), and a deadline rung
    with a negative offset (a reminder before breach) is a "due soon" notice."""
    _check_aware(now)
    _check_aware(deadline)
    return now >= deadline


def fire_at(rung: Rung, *, start: datetime, deadline: datetime,
            warn_fraction: float = DEFAULT_WARN_FRACTION) -> datetime:
    """When ``rung`` fires for a clock running from ``start`` to ``deadline``."""
    _check_span(start, deadline, warn_fraction)
    if rung.anchor == "warn":
        anchor = start + (deadline - start) * warn_fraction
    else:
        anchor = deadline
    return anchor + rung.offset


def due_rungs(*, ladder: tuple[Rung, ...], start: datetime, deadline: datetime, now: datetime,
              already_sent: frozenset[str], warn_fraction: float = DEFAULT_WARN_FRACTION) -> list[Rung]:
    """Rungs whose time has come (fire time ≤ ``now``) and that were not sent yet, in ladder order."""
    _check_aware(now)
    return [rung for rung in ladder if rung.key not in already_sent
            and fire_at(rung, start=start, deadline=deadline, warn_fraction=warn_fraction) <= now]


def next_fire_at(*, ladder: tuple[Rung, ...], start: datetime, deadline: datetime, already_sent: frozenset[str],
                 warn_fraction: float = DEFAULT_WARN_FRACTION) -> datetime | None:
    """When the earliest unsent rung fires, or None when every rung has been sent.

    ``due_rungs(now=t)`` is non-empty exactly when this is ≤ ``t``.
    """
    times = [fire_at(rung, start=start, deadline=deadline, warn_fraction=warn_fraction)
             for rung in ladder if rung.key not in already_sent]
    return min(times, default=None)


def ladder_from_config(config: list[dict]) -> tuple[Rung, ...]:
    """Build a ladder from policy data (JSON), or raise :class:`LadderConfigError` naming the bad entry.

    Each entry: ``{"key": "breach_project_manager", "recipient": "project_manager", "anchor": "deadline",
    "offset_minutes": 120}``. ``offset_minutes`` defaults to 0; it may be negative on the deadline anchor (a reminder
    before breach) but not on the warn anchor. An empty list is a ladder that never fires.
    """
    if not isinstance(config, list):
        raise LadderConfigError("The escalation ladder must be a list of rungs.")
    rungs: list[Rung] = []
    seen: set[str] = set()
    for index, entry in enumerate(config, start=1):
        where = f"Rung {index}"
        if not isinstance(entry, dict):
            raise LadderConfigError(f"{where}: must be an object with key, recipient, anchor and offset_minutes.")
        unknown = set(entry) - {"key", "recipient", "anchor", "offset_minutes"}
        if unknown:
            raise LadderConfigError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
        key = entry.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            raise LadderConfigError(f"{where}: key must be lowercase letters, digits and underscores.")
        if key in seen:
            raise LadderConfigError(f"{where}: key {key!r} is used twice.")
        recipient = entry.get("recipient")
        if recipient not in RECIPIENTS:
            raise LadderConfigError(f"{where}: recipient must be one of {', '.join(RECIPIENTS)}.")
        anchor = entry.get("anchor")
        if anchor not in ANCHORS:
            raise LadderConfigError(f"{where}: anchor must be 'warn' or 'deadline'.")
        minutes = entry.get("offset_minutes", 0)
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise LadderConfigError(f"{where}: offset_minutes must be a whole number of minutes.")
        if anchor == "warn" and minutes < 0:
            raise LadderConfigError(f"{where}: a warning cannot fire before its warn point.")
        if abs(minutes) > 60 * 24 * 30:
            raise LadderConfigError(f"{where}: offset_minutes must be within 30 days.")
        seen.add(key)
        rungs.append(Rung(key=key, recipient=recipient, anchor=anchor, offset=timedelta(minutes=minutes)))
    return tuple(rungs)


def ladder_to_config(ladder: tuple[Rung, ...]) -> list[dict]:
    """The JSON form of a ladder, as :func:`ladder_from_config` reads it (offsets in whole minutes)."""
    return [{"key": rung.key, "recipient": rung.recipient, "anchor": rung.anchor,
             "offset_minutes": int(rung.offset.total_seconds() // 60)} for rung in ladder]


def _check_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Escalation times must be timezone-aware.")


def _check_span(start: datetime, deadline: datetime, warn_fraction: float) -> None:
    _check_aware(start)
    _check_aware(deadline)
    if deadline < start:
        raise ValueError("The deadline is before the start.")
    if not 0 < warn_fraction <= 1:
        raise ValueError("warn_fraction must be in (0, 1].")
