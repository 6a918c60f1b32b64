"""Rules of violations, without the database: which state allows what, and the default time to put a kind right."""

from datetime import date, timedelta

from ..models import ViolationKind as K
from ..models import ViolationStatus as S

# Working days a notice gives by default, per kind (the handbooks: a blocked fire lane or a parked car at once,
# construction a week to take down).
DEFAULT_WORKING_DAYS = {K.FIRE_LANE: 1, K.PARKING: 1, K.LITTERING: 3, K.NOISE: 3, K.PETS: 3, K.CONSTRUCTION: 7,
                        K.GROUP_RENTAL: 10, K.OTHER: 5}

NOTICE_FROM = {S.OPEN, S.NOTIFIED, S.ESCALATED}
FOLLOW_UP_FROM = {S.NOTIFIED, S.ESCALATED, S.REFERRED}
ESCALATE_FROM = {S.OPEN, S.NOTIFIED}
REFER_FROM = {S.ESCALATED}
CLOSE_FROM = {S.OPEN, S.NOTIFIED, S.RECTIFIED, S.ESCALATED, S.REFERRED}
# Closing what the PM has taken over is the PM's (ESCALATE_VIOLATIONS).
CLOSE_NEEDS_ESCALATE = {S.ESCALATED, S.REFERRED}


def add_working_days(start: date, days: int, is_workday) -> date:
    """The ``days``-th working day after ``start`` (``is_workday(date) -> bool``: the project's calendar)."""
    day, left = start, max(days, 1)
    for _guard in range(days * 7 + 60):
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
            if left == 0:
                return day
    return start + timedelta(days=days)


def overdue(*, status: str, deadline: date | None, today: date) -> bool:
    """Past the deadline and not put right (nor closed)."""
    return status in FOLLOW_UP_FROM and deadline is not None and deadline < today
