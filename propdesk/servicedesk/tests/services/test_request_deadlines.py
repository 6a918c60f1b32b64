"""Deadlines 时效 stored by request_submit and workorder_create, computed from the company's policy on the project's
working calendar at a controlled intake instant.

2026 calendar used below: 09-25 (Fri) Mid-Autumn, 10-01…10-07 National Day, 调休 working days on Sunday 09-20 and
Saturday 10-10; 03-10 is an ordinary Tuesday."""

import pytest

from propdesk.core.errors import ApplicationError
from propdesk.notify.models import Notification
from propdesk.servicedesk.models import ServicePolicy, ServiceRequest, TimelineEvent, WorkingHours

from .helpers import complaint, order, sh, submit

pytestmark = pytest.mark.django_db

LUNCH_BREAK_SLOTS = [["08:30", "12:00"], ["13:30", "18:00"]]


def intake_notices(user):
    return list(Notification.objects.filter(recipient=user, kind="complaint_intake").values_list("title", flat=True))


# -- complaints ------------------------------------------------------------------------------------------------------

def test_minor_complaint_must_be_solved_within_48_hours(world):
    request = complaint(world, now=sh(2026, 3, 10, 10, 0), severity="minor")
    assert request.resolve_by == sh(2026, 3, 12, 10, 0)
    assert request.respond_by is None
    assert request.next_escalation_at == request.resolve_by  # watched at its deadline while nothing is dispatched
    assert not Notification.objects.filter(kind="complaint_intake").exists()  # nobody extra is told


@pytest.mark.parametrize(("resident_deadline", "expected"), [
    (sh(2026, 3, 11, 18, 0), sh(2026, 3, 11, 18, 0)),  # the resident wants it sooner: their date is the promise
    (sh(2026, 3, 14, 12, 0), sh(2026, 3, 12, 10, 0)),  # a later date does not stretch the 48 hours
])
def test_the_residents_earlier_deadline_wins(world, resident_deadline, expected):
    request = complaint(world, now=sh(2026, 3, 10, 10, 0), severity="minor", resident_deadline=resident_deadline)
    assert request.resolve_by == expected


def test_important_complaint_goes_to_the_project_manager_who_has_an_hour(world):
    now = sh(2026, 3, 10, 21, 5)  # after hours: the hour runs round the clock
    request = complaint(world, now=now, severity="important")
    assert request.respond_by == sh(2026, 3, 10, 22, 5)
    assert request.next_escalation_at == sh(2026, 3, 10, 22, 5)  # the sweep checks the acknowledgement then
    assert len(intake_notices(world.users["pm_a"])) == 1
    assert request.number in intake_notices(world.users["pm_a"])[0]
    assert intake_notices(world.users["leader_east"]) == []
    assert list(TimelineEvent.objects.filter(request=request, kind="escalation").values_list("action", flat=True)) \
        == ["intake_project_manager"]


def test_major_complaint_reaches_the_branch_leadership_at_intake(world):
    request = complaint(world, now=sh(2026, 3, 10, 15, 0), severity="major", description="小区大门禁系统瘫痪，业主聚集")
    assert len(intake_notices(world.users["leader_east"])) == 1
    assert len(intake_notices(world.users["pm_a"])) == 1  # the manager handles it
    assert request.resolve_by == sh(2026, 3, 10, 23, 59, 59)  # into handling the same day
    # The branch leadership has 2 hours to take it into handling; the sweep checks the acknowledgement then.
    assert request.respond_by == sh(2026, 3, 10, 17, 0)
    assert request.next_escalation_at == sh(2026, 3, 10, 17, 0)
    assert set(TimelineEvent.objects.filter(request=request, kind="escalation").values_list("action", flat=True)) \
        == {"intake_branch_leader", "intake_project_manager"}


# -- repairs ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("description", "urgent", "expected_urgent"), [
    ("卫生间水管漏水，水已经流到客厅", None, True),  # judged from the words
    ("楼上跑水，天花板在滴水", None, True),
    ("电梯异响", True, True),  # the agent says so
    ("厨房水龙头漏水", False, False),  # a dripping tap: the agent overrides the hint
])
def test_urgent_repair_is_on_site_within_30_minutes_even_at_night(world, description, urgent, expected_urgent):
    now = sh(2026, 3, 10, 23, 10)
    request = submit(world, now=now, description=description, urgent=urgent)
    work_order = order(world, request, now=now)
    assert request.urgent is expected_urgent
    if expected_urgent:
        assert work_order.arrive_by == sh(2026, 3, 10, 23, 40)
        assert work_order.respond_by == sh(2026, 3, 10, 23, 20)
        assert work_order.resolve_by == request.resolve_by == sh(2026, 3, 11, 23, 10)
    else:  # a normal repair is accepted within 30 working minutes: the next morning
        assert work_order.arrive_by == sh(2026, 3, 11, 23, 10)
        assert work_order.respond_by == sh(2026, 3, 11, 9, 0)
        assert work_order.resolve_by == sh(2026, 3, 12, 23, 10)


def test_an_agreed_appointment_sets_the_visit_and_the_completion_runs_from_it(world):
    request = submit(world, now=sh(2026, 3, 10, 10, 0), appointment_at=sh(2026, 3, 13, 14, 0))
    work_order = order(world, request, now=sh(2026, 3, 10, 10, 0))
    assert work_order.arrive_by == sh(2026, 3, 13, 14, 0)
    assert work_order.resolve_by == sh(2026, 3, 15, 14, 0)


# -- the working calendar --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("received", "due"), [
    # 4 working hours: 15 minutes on the day, 3 h 30 the next working morning, 15 minutes after the lunch break.
    (sh(2026, 9, 30, 17, 45), sh(2026, 10, 8, 13, 45)),  # eve of National Day: back on Thursday 10-08
    (sh(2026, 10, 9, 17, 45), sh(2026, 10, 10, 13, 45)),  # Friday before the 调休 Saturday 10-10: worked
    (sh(2026, 10, 16, 17, 45), sh(2026, 10, 19, 13, 45)),  # an ordinary Friday: Monday
    (sh(2026, 9, 24, 17, 45), sh(2026, 9, 28, 13, 45)),  # Thursday before the Mid-Autumn Friday and the weekend
    (sh(2026, 9, 19, 10, 0), sh(2026, 9, 20, 14, 0)),  # a Saturday call: the 调休 Sunday 09-20, lunch skipped
    (sh(2026, 10, 9, 17, 30), sh(2026, 10, 10, 12, 0)),  # exactly fills the morning: 12:00, not 13:30
])
def test_inquiry_deadline_follows_working_hours_holidays_and_adjusted_working_days(world, received, due):
    WorkingHours.objects.create(project=world.project_a, slots=LUNCH_BREAK_SLOTS)
    request = submit(world, now=received, kind="inquiry", description="请问物业费可以用微信缴纳吗")
    assert request.resolve_by == due


def test_the_projects_own_working_hours_are_used(world):
    WorkingHours.objects.create(project=world.project_a, slots=[["09:00", "12:00"], ["14:00", "17:00"]])
    request = submit(world, now=sh(2026, 10, 9, 16, 30), kind="inquiry", description="停车月卡怎么办理")
    # 30 minutes on Friday, 3 h on the 调休 Saturday morning, 30 minutes after a lunch break that ends at 14:00.
    assert request.resolve_by == sh(2026, 10, 10, 14, 30)


def test_a_company_policy_overrides_the_handbook_targets(world):
    ServicePolicy.objects.create(company=world.company, targets={"complaint.minor": {"resolve_minutes": 24 * 60}})
    request = complaint(world, now=sh(2026, 3, 10, 10, 0), severity="minor")
    assert request.resolve_by == sh(2026, 3, 11, 10, 0)


def test_company_holidays_are_added_to_the_statutory_calendar(world):
    ServicePolicy.objects.create(company=world.company, extra_holidays=["2026-10-10"])
    request = submit(world, now=sh(2026, 10, 9, 17, 45), kind="inquiry", description="请问物业费可以用微信缴纳吗")
    assert request.resolve_by == sh(2026, 10, 12, 13, 45)  # the 调休 Saturday given off: Monday


def test_a_deadline_in_the_past_is_refused_and_nothing_is_written(world):
    with pytest.raises(ApplicationError) as refused:
        complaint(world, now=sh(2026, 3, 10, 10, 0), severity="minor", resident_deadline=sh(2026, 3, 10, 9, 0))
    assert "resident_deadline" in refused.value.field_errors
    assert not ServiceRequest.objects.exists()
    assert not Notification.objects.exists()


def test_request_numbers_run_per_local_day_of_intake(world):
    late = complaint(world, now=sh(2026, 3, 10, 23, 30), severity="minor")  # 15:30 UTC
    later = complaint(world, now=sh(2026, 3, 10, 23, 50), severity="minor")
    next_day = complaint(world, now=sh(2026, 3, 11, 0, 10), severity="minor")  # still 3-10 in UTC
    prefix = world.project_a.number_prefix
    assert [late.number, later.number, next_day.number] == [
        f"{prefix}-260310-001", f"{prefix}-260310-002", f"{prefix}-260311-001"]
