"""Dunning 催缴: a configurable ladder of steps, and which are due for an account on a date.

Rules:
- A ladder is a list of steps, each with a kind (app reminder, SMS, steward call task, printable 催缴通知书,
  lawyer's letter flag) and a threshold: days overdue (``after_days``) or whole months overdue (``after_months``),
  counted from the due date of the OLDEST open bill of the account.
- A step is due when the account owes more than ``min_owed_fen`` (default: anything), the threshold is reached, and
  the step was not already sent for this arrears episode (each step once; ``sent`` are the step codes already on the
  account since the oldest open bill fell due).
- Nothing is due while a dispute is open on the account (e.g. an unresolved complaint the resident withholds over).
- Steps that reach a resident (app reminder, SMS) are never sent in rest hours: when the caller's local time is in
  the quiet window (notify's quiet-hours rule), they are returned as ``deferred`` instead of ``due``. Staff tasks
  (call task, notice to print, lawyer's flag) are not messages to the resident and are due at any hour.
- Steps are returned in ladder order; a later step does not wait for an earlier one that is deferred.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from propdesk.notify.rules.quiet_hours import is_quiet

from .arrears import months_between


class StepKind(StrEnum):
    APP = "app_reminder"
    SMS = "sms"
    CALL = "steward_call"
    NOTICE = "printed_notice"  # 催缴通知书
    LAWYER = "lawyer_letter"


RESIDENT_FACING = frozenset({StepKind.APP, StepKind.SMS})


@dataclass(frozen=True)
class Step:
    code: str  # unique in the ladder, recorded on the account when done
    kind: StepKind
    after_days: int = 0
    after_months: int = 0

    def reached(self, due: date, on: date) -> bool:
        return (on - due).days >= self.after_days and months_between(due, on) >= self.after_months


DEFAULT_LADDER = (
    Step("app_15d", StepKind.APP, after_days=15),
    Step("sms_30d", StepKind.SMS, after_days=30),
    Step("call_45d", StepKind.CALL, after_days=45),
    Step("notice_60d", StepKind.NOTICE, after_days=60),
    Step("lawyer_6m", StepKind.LAWYER, after_months=6),
)


def validate_ladder(steps: Sequence[Step]) -> None:
    codes = [step.code for step in steps]
    if len(set(codes)) != len(codes):
        raise ValueError("step codes must be unique")
    if any(step.after_days < 0 or step.after_months < 0 for step in steps):
        raise ValueError("thresholds must be non-negative")


@dataclass(frozen=True)
class DunningDecision:
    due: tuple[Step, ...]
    deferred: tuple[Step, ...]  # reached, but resident-facing inside quiet hours: try again after the window
    skipped_reason: str = ""  # "dispute_open", "nothing_owed", or ""


def steps_due(*, ladder: Sequence[Step], oldest_due: date | None, owed_fen: int, on: date, local_time: time,
              sent: Iterable[str], dispute_open: bool, quiet_start: time = time(21, 0),
              quiet_end: time = time(8, 0), min_owed_fen: int = 1) -> DunningDecision:
    validate_ladder(ladder)
    if oldest_due is None or owed_fen < min_owed_fen:
        return DunningDecision((), (), "nothing_owed")
    if dispute_open:
        return DunningDecision((), (), "dispute_open")
    done = set(sent)
    quiet = is_quiet(local_time, start=quiet_start, end=quiet_end)
    due, deferred = [], []
    for step in ladder:
        if step.code in done or not step.reached(oldest_due, on):
            continue
        (deferred if quiet and step.kind in RESIDENT_FACING else due).append(step)
    return DunningDecision(tuple(due), tuple(deferred))
