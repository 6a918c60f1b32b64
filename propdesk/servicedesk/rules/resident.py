"""What a resident may do to their own request from the app, as data. Pure Python: no Django, no ``now()``.

- **Cancel** only before anyone is on the way: while no work order has been accepted, started or finished. Orders
  still waiting (pending, pooled, dispatched) are cancelled with the request.
- **Hurry** (催单) an open request at most once per :data:`HURRY_INTERVAL`; never a closed or cancelled one. The
  :data:`HURRY_ESCALATES_AT`-th hurry sends the request one step up its escalation ladder.
- **Confirm** a finished work order that was completed without a signature or code.

Each check returns None when allowed, else a refusal code the service turns into a message.
"""

from datetime import datetime, timedelta

HURRY_INTERVAL = timedelta(minutes=30)
HURRY_ESCALATES_AT = 2
COMMENT_MAX = 500
CANCEL_REASON_MAX = 200

FINAL_REQUEST = frozenset({"closed", "cancelled"})
# Order states in which somebody is (or was) on the way: the request can no longer be withdrawn by the resident.
UNDER_WAY = frozenset({"accepted", "on_site", "on_hold", "completed"})
WAITING = frozenset({"pending", "pooled", "dispatched"})


def cancel_refusal(request_status: str, order_statuses) -> str | None:
    if request_status in FINAL_REQUEST:
        return request_status  # "closed" / "cancelled"
    if request_status == "resolved" or any(status in UNDER_WAY for status in order_statuses):
        return "under_way"
    return None


def hurry_refusal(request_status: str, *, last_hurried_at: datetime | None, now: datetime) -> str | None:
    if request_status in FINAL_REQUEST:
        return request_status
    if request_status == "resolved":
        return "done"
    if last_hurried_at is not None and now - last_hurried_at < HURRY_INTERVAL:
        return "too_soon"
    return None


def next_hurry_at(last_hurried_at: datetime | None) -> datetime | None:
    """When the resident may hurry again (None: now)."""
    return last_hurried_at + HURRY_INTERVAL if last_hurried_at is not None else None


def hurry_escalates(count: int) -> bool:
    """Whether the hurry numbered ``count`` (1 for the first) escalates: the second, once."""
    return count == HURRY_ESCALATES_AT


def confirm_refusal(order_status: str, confirmation_method: str) -> str | None:
    if order_status != "completed":
        return "not_done"
    if confirmation_method:
        return "confirmed"
    return None
