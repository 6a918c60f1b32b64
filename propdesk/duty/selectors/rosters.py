"""Who is on duty: read by dispatch (suggestions), the escalation sweep (at night the on-duty person of the rung's
role), and the dispatch queue's "on duty now" box."""

from datetime import datetime

from propdesk.duty.models import RosterEntry

MANAGERS = object()  # department=MANAGERS: the project's duty managers (shifts without a department)


def on_duty_entries(*, project_id: int, at: datetime, department_id=None):
    """Roster entries covering ``at`` in a project; ``department_id`` narrows to one department (``MANAGERS``: the
    project's duty managers). One indexed query; the person is selected along."""
    rows = RosterEntry.objects.filter(project_id=project_id, starts_at__lte=at, ends_at__gt=at)
    if department_id is MANAGERS:
        rows = rows.filter(department__isnull=True)
    elif department_id is not None:
        rows = rows.filter(department_id=department_id)
    return rows.select_related("user", "user__staff_profile", "shift", "department").order_by("starts_at", "id")


def on_duty_user_ids(*, project_id: int, at: datetime, department_id=None) -> set[int]:
    rows = RosterEntry.objects.filter(project_id=project_id, starts_at__lte=at, ends_at__gt=at)
    if department_id is MANAGERS:
        rows = rows.filter(department__isnull=True)
    elif department_id is not None:
        rows = rows.filter(department_id=department_id)
    return set(rows.values_list("user_id", flat=True))
