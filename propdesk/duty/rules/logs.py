"""Rules of work logs and duty logs 工作日志 / 值班记录. Pure Python: no Django, no clock.

- A log is a draft, then submitted, then signed (签阅) by a supervisor. A signed log is append-only: its body and
  items never change again; comments 批示 may still be added.
- Who signs: a project manager (or branch leader, admin) any log of their scope; an agent — the customer-service
  assistant 客服助理, who "signs the stewards' work logs" (DESIGN §4) — only stewards' work logs. Nobody signs their
  own log.
- Handover 交接班: a duty log may be submitted only once the previous log of its department was acknowledged
  (or there was none); the acknowledger is someone other than the previous log's author.
- Items not done carry over into the next log of the same chain (a person's work logs, a department's duty logs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DRAFT, SUBMITTED, SIGNED = "draft", "submitted", "signed"
WORK, DUTY = "work", "duty"

# what each status allows: edit body/items, submit, acknowledge (by the next shift), sign
ALLOWED = {
    DRAFT: frozenset({"edit", "submit"}),
    SUBMITTED: frozenset({"acknowledge", "sign"}),
    SIGNED: frozenset({"acknowledge"}),
}
SIGNERS_OF_ANY_LOG = frozenset({"project_manager", "branch_leader", "admin"})
SIGNERS_OF_STEWARD_WORK_LOGS = frozenset({"agent"})


def chain_key(*, kind: str, project_id: int, author_id: int | None = None, department_id: int | None = None) -> str:
    """The series a log belongs to: a person's work logs, or a department's duty logs in a project (the duty
    managers' shifts, without a department, are the series ``mgr``)."""
    if kind == WORK:
        return f"work:{author_id}"
    return f"duty:{project_id}:{department_id if department_id else 'mgr'}"


def allowed(status: str, action: str) -> bool:
    return action in ALLOWED.get(status, frozenset())


def may_sign(*, signer_role: str | None, signer_id: int, author_id: int, kind: str, author_role: str | None) -> bool:
    if signer_id == author_id or signer_role is None:
        return False
    if signer_role in SIGNERS_OF_ANY_LOG:
        return True
    return signer_role in SIGNERS_OF_STEWARD_WORK_LOGS and kind == WORK and author_role == "steward"


@dataclass(frozen=True)
class OpenItem:
    """An item of the previous log as the carry-over sees it."""

    id: int
    text: str
    request_number: str
    started_on: date
    done: bool


def items_to_carry(previous: list[OpenItem]) -> list[OpenItem]:
    """The previous log's items that go into the next log: those not done, in their order, keeping the day each
    matter started (so a matter carried for a week still says when it began)."""
    return [item for item in previous if not item.done]


def days_open(started_on: date, today: date) -> int:
    return max((today - started_on).days, 0)
