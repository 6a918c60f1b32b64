"""Races that only a real database shows, with real threads on PostgreSQL: two technicians grabbing one pooled
order, and two deadline sweeps running at the same minute in two workers."""

from collections import Counter

import pytest
from django.db import connection

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import make_user, run_together
from propdesk.notify.models import Notification
from propdesk.servicedesk.models import TimelineEvent, WorkOrder
from propdesk.servicedesk.services.escalations import escalation_sweep
from propdesk.servicedesk.services.workorders import workorder_act

from .helpers import act, complaint, department_head, dispatched, engineering, order, sh, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to test (CI runs this on PostgreSQL)")



def test_two_technicians_grabbing_one_pooled_order_make_one_winner(world):
    first = world.users["technician_a"]
    second = make_user("technician_a2", role="technician", department=engineering(world), project=world.project_a,
                       display_name="王师傅")
    now = sh(2026, 3, 10, 9, 0)
    work_order = act(order(world, submit(world, now=now), now=now), world.users["agent_a"], "pool", now=now)
    assert work_order.status == "pooled"

    results = run_together(*(lambda user=user: workorder_act(work_order=work_order, actor=user, action="grab",
                                                             now=sh(2026, 3, 10, 9, 5))
                             for user in (first, second)))

    winners = [user for user, result in zip((first, second), results, strict=True)
               if isinstance(result, WorkOrder)]
    losers = [result for result in results if isinstance(result, ApplicationError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].status_code == 409
    work_order.refresh_from_db()
    assert work_order.status == "accepted" and work_order.assignee == winners[0]
    grabs = TimelineEvent.objects.filter(work_order=work_order, action="grab")
    assert list(grabs.values_list("actor", flat=True)) == [winners[0].pk]


def test_sweeps_in_several_workers_at_the_same_minute_send_each_rung_once(world):
    head = department_head(world)
    received = sh(2026, 3, 10, 9, 0)
    orders = [dispatched(world, submit(world, now=received), now=received) for _ in range(6)]
    complaints = [complaint(world, now=received, severity="important") for _ in range(3)]

    # Days later every rung is due: five per order (unaccepted, warn, breach, +2 h, +8 h), two per complaint (not
    # acknowledged within the hour → branch; past its deadline with nothing dispatched → project manager).
    results = run_together(*(lambda: escalation_sweep(now=sh(2026, 3, 13, 9, 0)) for _ in range(3)))

    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == 6 * 5 + 3 * 2
    for work_order in orders:
        actions = Counter(TimelineEvent.objects.filter(work_order=work_order, kind="escalation")
                          .values_list("action", flat=True))
        assert actions == {"unaccepted_dispatcher": 1, "warn_assignee": 1, "breach_department_head": 1,
                           "breach_project_manager": 1, "breach_branch_leader": 1}, work_order.number
    for request in complaints:
        assert TimelineEvent.objects.filter(request=request, action="unacknowledged_branch_leader").count() == 1
        assert TimelineEvent.objects.filter(request=request, action="unhandled_project_manager").count() == 1
    inbox = Counter(Notification.objects.filter(kind="escalation").values_list("recipient__username", flat=True))
    assert inbox == {"agent_a": 6, "technician_a": 6, head.username: 6, "pm_a": 6 + 3, "leader_east": 6 + 3}
    assert escalation_sweep(now=sh(2026, 3, 13, 9, 0)) == 0
