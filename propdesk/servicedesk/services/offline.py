"""Actions queued on a technician's phone while offline (助这儿) and sent when it is back online.

The phone sends the order's state as it saw it (``Seen``) and an Idempotency-Key made when the action was queued.
workorder_act calls these two under its row lock: a retry of an action already applied answers as the first time and
writes nothing; an order that changed meanwhile refuses the action with a 409 naming what changed, and nothing is
written."""

from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

from ..choices import ACTION_LABELS, EventKind, WorkOrderStatus
from ..models import TimelineEvent, WorkOrder
from ..rules.offline import Change, Seen, changes

KEY_DATA = "idempotency_key"  # where the key is kept: in the data of the timeline entry the action wrote


def action_replayed(*, work_order: WorkOrder, actor, action: str, key: str) -> bool:
    """True when this actor already applied this action to this order with this key (a retry after a lost answer).
    The same key for another action is the phone's mistake: a 422 that writes nothing."""
    done = (TimelineEvent.objects.filter(work_order=work_order, actor=actor, kind=EventKind.WORK_ORDER,
                                         **{f"data__{KEY_DATA}": key})
            .values_list("action", flat=True).first())
    if done is None:
        return False
    if done != action:
        message = _("This Idempotency-Key was already used for another action. Send a new key with a new action.")
        raise ApplicationError(message, {"code": "key_reused", "fields": {"Idempotency-Key": [message]}},
                               status_code=422)
    return True


def seen_check(*, work_order: WorkOrder, action: str, seen: Seen) -> None:
    """Refuse (409) an action taken on the order as the phone saw it when the order has changed since."""
    found = changes(seen=seen, status=work_order.status, assignee_id=work_order.assignee_id)
    if not found:
        return
    labels = dict(WorkOrderStatus.choices)
    assignee = work_order.assignee if work_order.assignee_id else None
    name = _display_name(assignee) if assignee else ""
    what = {
        Change.CANCELLED: _("it was cancelled"),
        Change.COMPLETED: _("it was already completed"),
        Change.REASSIGNED: _("it now belongs to %(name)s") % {"name": name},
        Change.UNASSIGNED: (_("it was put back in the pool") if work_order.status == WorkOrderStatus.POOLED
                            else _("it was taken back for dispatch")),
        Change.STATUS: _("it went from “%(seen)s” to “%(now)s”") % {
            "seen": labels.get(seen.status, seen.status), "now": labels.get(work_order.status, work_order.status)},
    }[found[0]]
    message = _("Work order %(number)s changed while you were offline: %(what)s. Your “%(action)s” was not "
                "carried out.") % {"number": work_order.number, "what": what,
                                   "action": ACTION_LABELS.get(action, action)}
    raise ApplicationError(message, {"code": "changed", "changes": [str(change) for change in found],
                                     "status": work_order.status, "assignee_name": name or None},
                           status_code=409)


def _display_name(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else user.get_username()


__all__ = ["KEY_DATA", "Seen", "action_replayed", "seen_check"]
