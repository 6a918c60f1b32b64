"""Taking a complaint into handling 受理确认 (issue 9, defects 2 and 15): a major complaint by the branch leadership
within 2 hours of the same day, an important one by the project manager within the hour. The acknowledgement stops
the response clock, is logged as its own timeline event with who, and a missed one goes one level up once.

2026-03-10 is an ordinary Tuesday; times are Shanghai wall-clock times."""

from collections import Counter

import pytest

from propdesk.core.errors import ApplicationError
from propdesk.notify.models import Notification
from propdesk.servicedesk.models import TimelineEvent
from propdesk.servicedesk.services.escalations import escalation_sweep
from propdesk.servicedesk.services.requests import request_acknowledge

from .helpers import complaint, sh, submit

pytestmark = pytest.mark.django_db

RECEIVED = sh(2026, 3, 10, 15, 0)


def escalations():
    return Counter(Notification.objects.filter(kind="escalation").values_list("recipient__username", flat=True))


def major(world, now=RECEIVED):
    return complaint(world, now=now, severity="major", description="3号楼电梯连续三天困人，二十多位业主聚集在物业中心")


def test_a_major_complaint_is_not_overdue_when_saved(world):
    request = major(world)
    assert request.respond_by == sh(2026, 3, 10, 17, 0) > request.received_at
    assert request.acknowledged_at is None


def test_the_branch_leader_takes_a_major_complaint_and_the_clock_stops(world):
    request = major(world)
    leader = world.users["leader_east"]
    request_acknowledge(request=request, actor=leader, now=sh(2026, 3, 10, 15, 20))
    request.refresh_from_db()
    assert (request.acknowledged_at, request.acknowledged_by) == (sh(2026, 3, 10, 15, 20), leader)
    assert request.responded_at() == sh(2026, 3, 10, 15, 20)
    # The clock stopped: nothing is escalated at 17:00; the request is watched only at its own deadline.
    assert request.next_escalation_at == request.resolve_by
    assert escalation_sweep(now=sh(2026, 3, 10, 17, 0)) == 0
    event = TimelineEvent.objects.get(request=request, action="acknowledge")
    assert event.kind == "acknowledged" and event.get_kind_display() == "已接手处理"
    assert event.actor == leader and event.at == sh(2026, 3, 10, 15, 20)
    assert event.message == "分公司领导已接手处理（在受理时限内）。"
    assert not TimelineEvent.objects.filter(request=request, kind="status", action="acknowledge").exists()
    # A second click changes nothing and logs nothing.
    request_acknowledge(request=request, actor=leader, now=sh(2026, 3, 10, 15, 30))
    assert TimelineEvent.objects.filter(request=request, action="acknowledge").count() == 1


def test_a_project_manager_cannot_stop_the_clock_of_a_major_complaint(world):
    request = major(world)
    with pytest.raises(ApplicationError) as refused:
        request_acknowledge(request=request, actor=world.users["pm_a"], now=sh(2026, 3, 10, 15, 10))
    assert refused.value.status_code == 403
    request.refresh_from_db()
    assert request.acknowledged_at is None


def test_an_unacknowledged_major_complaint_goes_to_the_quality_department_once(world):
    request = major(world)
    assert escalation_sweep(now=sh(2026, 3, 10, 16, 59)) == 0
    assert sum(escalation_sweep(now=sh(2026, 3, 10, 17, 0)) for _ in range(3)) == 1
    assert escalation_sweep(now=sh(2026, 3, 10, 18, 0)) == 0
    assert escalations() == {"quality": 1}
    title = Notification.objects.get(kind="escalation").title
    assert request.number in title and title.startswith("未按时受理")
    assert list(TimelineEvent.objects.filter(request=request, kind="escalation").exclude(
        action__startswith="intake_").values_list("action", flat=True)) == ["unacknowledged_quality"]
    # Taken late: logged as late, and nothing more is sent for the acknowledgement.
    request_acknowledge(request=request, actor=world.users["leader_east"], now=sh(2026, 3, 10, 17, 30))
    assert TimelineEvent.objects.get(request=request, action="acknowledge").message \
        == "分公司领导已接手处理（已超过受理时限）。"


def test_an_important_complaint_is_acknowledged_by_its_manager_and_logged_as_such(world):
    request = complaint(world, now=RECEIVED, severity="important")
    request_acknowledge(request=request, actor=world.users["pm_a"], now=sh(2026, 3, 10, 15, 30))
    event = TimelineEvent.objects.get(request=request, action="acknowledge")
    assert (event.kind, event.actor, event.message) == ("acknowledged", world.users["pm_a"],
                                                        "项目经理已接手处理（在受理时限内）。")


@pytest.mark.parametrize("fields", [{"kind": "repair"}, {"kind": "complaint", "severity": "minor",
                                                         "complaint_category": "property"}])
def test_requests_that_wait_for_no_acknowledgement_refuse_one(world, fields):
    request = submit(world, now=RECEIVED, **fields)
    with pytest.raises(ApplicationError) as refused:
        request_acknowledge(request=request, actor=world.users["leader_east"], now=sh(2026, 3, 10, 15, 10))
    assert refused.value.status_code == 409
