"""When a follow-up visit 回访 is due, who makes it, and the rate it must reach. Pure Python: no Django.

The handbook's table (DESIGN §4 "Follow-up visits"), as defaults the company overrides:

| what was done            | when to visit                          | visit rate required        |
| complaint handled        | within 3 days after handling           | 100 %                      |
| repair / help completed  | from 1 week to 1 month after completion| 90 %                       |
| other management work    | within 1 week after completion         | set by the CS supervisor   |

Who visits: major complaint — branch leadership with the project manager and customer service; ordinary complaint —
the project manager (of the complained-about department) with customer service; repair, help and the rest — the
customer-service manager or the front desk.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

VISITORS = ("branch_leader", "project_manager", "customer_service")
OTHER = "other"


@dataclass(frozen=True)
class VisitRule:
    key: str
    opens_after: timedelta  # the window opens this long after handling
    closes_after: timedelta  # … and closes this long after handling
    target_rate: int | None  # percent of handled requests that must be visited; None: set by the supervisor
    online_allowed: bool  # may a resident's online rating count as the visit?


DEFAULT_RULES: dict[str, VisitRule] = {
    "complaint": VisitRule("complaint", timedelta(0), timedelta(days=3), 100, online_allowed=False),
    "repair": VisitRule("repair", timedelta(days=7), timedelta(days=30), 90, online_allowed=True),
    "help": VisitRule("help", timedelta(days=7), timedelta(days=30), 90, online_allowed=True),
    OTHER: VisitRule(OTHER, timedelta(0), timedelta(days=7), None, online_allowed=True),
}

OVERDUE_HANDOVER = timedelta(days=3)  # a visit not done within 3 days of its due date goes to the project manager


def rule_for(kind: str, rules: dict[str, VisitRule] | None = None) -> VisitRule:
    rules = rules or DEFAULT_RULES
    return rules.get(kind) or rules[OTHER]


def visitor_for(kind: str, severity: str = "") -> str:
    """The role that makes the visit: branch leadership for major complaints, the project manager for other
    complaints, customer service for everything else."""
    if kind == "complaint":
        return "branch_leader" if severity == "major" else "project_manager"
    return "customer_service"


def window(handled_at: datetime, rule: VisitRule) -> tuple[datetime, datetime]:
    return handled_at + rule.opens_after, handled_at + rule.closes_after


def is_late(done_at: datetime, due_by: datetime) -> bool:
    return done_at > due_by


def handover_due(due_by: datetime, now: datetime) -> bool:
    return now >= due_by + OVERDUE_HANDOVER


def rules_from_config(config: dict[str, Any] | None) -> dict[str, VisitRule]:
    """Overlay {"repair": {"opens_after_days": 7, "closes_after_days": 30, "target_rate": 90, "online_allowed": true}}
    on the defaults. Raises ValueError naming what is wrong."""
    rules = dict(DEFAULT_RULES)
    for key, values in (config or {}).items():
        if key not in rules:
            raise ValueError(f"unknown follow-up rule {key!r}; expected one of {', '.join(rules)}")
        if not isinstance(values, dict):
            raise ValueError(f"rule {key!r} must be an object")
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if name in ("opens_after_days", "closes_after_days"):
                if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 366:
                    raise ValueError(f"{key}.{name} must be a number of days from 0 to 366")
                changes[name.replace("_days", "")] = timedelta(days=value)
            elif name == "target_rate":
                bad = isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100
                if value is not None and bad:
                    raise ValueError(f"{key}.target_rate must be a whole percent from 0 to 100, or null")
                changes[name] = value
            elif name == "online_allowed":
                if not isinstance(value, bool):
                    raise ValueError(f"{key}.online_allowed must be true or false")
                changes[name] = value
            else:
                raise ValueError(f"unknown field {key}.{name}")
        rule = replace(rules[key], **changes)
        if rule.closes_after < rule.opens_after:
            raise ValueError(f"{key}: the window closes before it opens")
        rules[key] = rule
    return rules


# Residents' rest hours: calls are suggested only inside the calling window (per project; default below).
DEFAULT_CALLING_WINDOW: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(14), time(20)))


def in_calling_window(local: datetime, slots=DEFAULT_CALLING_WINDOW) -> bool:
    t = local.timetz().replace(tzinfo=None)
    return any(start <= t < end for start, end in slots)


def next_calling_time(local: datetime, slots=DEFAULT_CALLING_WINDOW) -> datetime:
    """The next instant inside the calling window at or after ``local`` (a zone-aware local time)."""
    if in_calling_window(local, slots):
        return local
    day: date = local.date()
    for offset in range(0, 3):
        current = day + timedelta(days=offset)
        for start, _end in slots:
            candidate = datetime.combine(current, start, tzinfo=local.tzinfo)
            if candidate >= local:
                return candidate
    return local
