"""An action a technician took offline reaches the server later, with the order as the phone saw it. What changed on
the order meanwhile decides whether the action may still be applied: anything at all refuses it, and the phone is
told what. Pure Python: the caller passes both states."""

from dataclasses import dataclass
from enum import StrEnum


class Change(StrEnum):
    CANCELLED = "cancelled"  # 撤销: the work is no longer wanted
    COMPLETED = "completed"  # 完工 meanwhile (by the technician on another phone, or by someone else)
    REASSIGNED = "reassigned"  # the order went to someone else (转单, or grabbed from the pool by a colleague)
    UNASSIGNED = "unassigned"  # taken back: sent back (退单) or put into the pool, nobody has it now
    STATUS = "status"  # another state than the one seen (held, resumed, accepted, reopened…)


@dataclass(frozen=True)
class Seen:
    """The order as the phone showed it when the action was taken."""

    status: str
    assignee_id: int | None


def changes(*, seen: Seen, status: str, assignee_id: int | None) -> list[Change]:
    """What differs between what the phone saw and the order now, most telling first; empty: nothing changed."""
    found = []
    if assignee_id != seen.assignee_id:
        found.append(Change.UNASSIGNED if assignee_id is None else Change.REASSIGNED)
    if status != seen.status:
        found.append(Change.CANCELLED if status == "cancelled"
                     else Change.COMPLETED if status == "completed" else Change.STATUS)
    # The end of the work says more than who had it: a cancelled order is "cancelled", whoever held it last.
    found.sort(key=lambda change: change not in (Change.CANCELLED, Change.COMPLETED))
    return found
