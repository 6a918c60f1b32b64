"""Rounds through the services: materialising twice creates nothing twice; start, submit, finish; every refusal
writes nothing; findings become dispatched patrol requests; the supervisor hears of missed and late rounds once."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import sh
from propdesk.notify.models import Notification
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.models import DispatchRule, ServiceRequest
from propdesk.stewardship.models import PatrolFinding, PatrolRound, PatrolVisit
from propdesk.stewardship.services.patrols.plans import PlanInput, plan_create
from propdesk.stewardship.services.patrols.rounds import ItemResult, checkpoint_submit, round_finish, round_start
from propdesk.stewardship.services.patrols.sweep import patrols_sweep, rounds_materialise

from .factories import NOW, area_patrol, jpeg, morning_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages matched below are the English msgids
        yield


def fine(n):
    return [ItemResult(fine=True) for _ in range(n)]


def test_sweep_materialises_today_and_tomorrow_once(world):
    plan = area_patrol(world)
    assert PatrolRound.objects.filter(plan=plan).count() == 4  # Monday and Tuesday, two windows each
    assert rounds_materialise(now=NOW) == 0
    assert PatrolRound.objects.filter(plan=plan).count() == 4
    first = morning_round(plan)
    assert first.window_start == sh(2026, 11, 23, 9, 30) and first.window_end == sh(2026, 11, 23, 11)


def test_working_days_only_skips_saturday(world):
    plan = area_patrol(world)
    rounds_materialise(now=sh(2026, 11, 28, 8))  # Saturday: nothing Saturday, nothing Sunday
    assert not PatrolRound.objects.filter(plan=plan, day__in=[date(2026, 11, 28), date(2026, 11, 29)]).exists()


def test_a_round_end_to_end_with_a_finding_dispatched_by_rule(world):
    engineering = Department.objects.get(project=world.project_a, kind=DepartmentKind.ENGINEERING)
    DispatchRule.objects.create(project=world.project_a, order=1, kind="repair", department=engineering)
    plan = area_patrol(world)
    agent = world.users["agent_a"]
    round_ = morning_round(plan)
    round_start(round_id=round_.pk, actor=agent, now=NOW)
    points = list(plan.checkpoints.all())
    checkpoint_submit(round_id=round_.pk, checkpoint_id=points[0].pk, actor=agent, now=NOW + timedelta(minutes=5),
                      results=[ItemResult(fine=False, note="大堂地面有积水", photos=[jpeg()]), ItemResult(fine=True)])
    checkpoint_submit(round_id=round_.pk, checkpoint_id=points[1].pk, actor=agent, now=NOW + timedelta(minutes=15),
                      results=fine(2))
    checkpoint_submit(round_id=round_.pk, checkpoint_id=points[2].pk, actor=agent, now=NOW + timedelta(minutes=25),
                      results=fine(1))
    round_finish(round_id=round_.pk, actor=agent, now=NOW + timedelta(minutes=30))
    round_.refresh_from_db()
    assert (round_.status, round_.checkpoints_done, round_.checkpoints_total, round_.findings) == ("on_time", 3, 3, 1)
    finding = PatrolFinding.objects.get()
    request = ServiceRequest.objects.get(pk=finding.request_id)
    assert request.channel == "patrol" and request.common_area_id == points[0].common_area_id
    assert "大堂地面有积水" in request.description
    assert request.attachments.count() == 1
    assert request.work_orders.get().department == engineering
    assert not Notification.objects.filter(recipient=world.users["pm_a"]).exists()  # on time, complete


def test_refusals_write_nothing(world):
    plan = area_patrol(world)
    other = area_patrol(world, name="车库巡查", checkpoints=1)
    agent = world.users["agent_a"]
    round_ = morning_round(plan)
    point = plan.checkpoints.first()
    with pytest.raises(ApplicationError, match="started only within its window"):
        round_start(round_id=round_.pk, actor=agent, now=sh(2026, 11, 23, 9, 14))
    with pytest.raises(ApplicationError, match="assigned to someone else"):
        round_start(round_id=round_.pk, actor=world.users["steward_a"], now=NOW)
    with pytest.raises(ApplicationError, match="not in progress"):
        checkpoint_submit(round_id=round_.pk, checkpoint_id=point.pk, actor=agent, now=NOW, results=fine(2))
    round_start(round_id=round_.pk, actor=agent, now=NOW)
    with pytest.raises(ApplicationError, match="already been started"):
        round_start(round_id=round_.pk, actor=agent, now=NOW)
    with pytest.raises(ApplicationError, match="another plan|not on this round"):
        checkpoint_submit(round_id=round_.pk, checkpoint_id=other.checkpoints.first().pk, actor=agent, now=NOW,
                          results=fine(1))
    with pytest.raises(ApplicationError, match="window is over"):
        checkpoint_submit(round_id=round_.pk, checkpoint_id=point.pk, actor=agent, now=sh(2026, 11, 23, 11, 16),
                          results=fine(2))
    with pytest.raises(ApplicationError) as refused:
        checkpoint_submit(round_id=round_.pk, checkpoint_id=point.pk, actor=agent, now=NOW,
                          results=[ItemResult(fine=False), ItemResult(fine=True)])
    assert set(refused.value.field_errors) == {"note_0", "photo_0"}
    assert not PatrolVisit.objects.exists() and not ServiceRequest.objects.exists()
    checkpoint_submit(round_id=round_.pk, checkpoint_id=point.pk, actor=agent, now=NOW, results=fine(2))
    with pytest.raises(ApplicationError, match="already been recorded"):
        checkpoint_submit(round_id=round_.pk, checkpoint_id=point.pk, actor=agent, now=NOW, results=fine(2))
    assert PatrolVisit.objects.count() == 1


def test_missed_and_late_rounds_reach_the_supervisor_once(world):
    plan = area_patrol(world)
    agent, pm = world.users["agent_a"], world.users["pm_a"]
    assert plan.supervisor == pm
    patrols_sweep(now=sh(2026, 11, 23, 11, 10))
    assert not Notification.objects.exists()  # still within tolerance
    patrols_sweep(now=sh(2026, 11, 23, 11, 20))
    patrols_sweep(now=sh(2026, 11, 23, 11, 35))
    morning = morning_round(plan)
    assert morning.status == "missed"
    assert Notification.objects.filter(recipient=pm).count() == 1
    afternoon = PatrolRound.objects.get(plan=plan, day=NOW.date(), window_index=1)
    round_start(round_id=afternoon.pk, actor=agent, now=sh(2026, 11, 23, 16, 50))
    round_finish(round_id=afternoon.pk, actor=agent, now=sh(2026, 11, 23, 17, 20))
    afternoon.refresh_from_db()
    assert afternoon.status == "late"
    patrols_sweep(now=sh(2026, 11, 23, 18))
    assert Notification.objects.filter(recipient=pm).count() == 2


def test_plan_input_is_checked(world):
    with pytest.raises(ApplicationError) as refused:
        plan_create(actor=world.users["pm_a"], project=world.project_a, now=NOW, data=PlanInput(
            name="", windows=["09:30-11:00", "10:30-12:00"], assignee_id=world.users["agent_b"].pk))
    assert set(refused.value.field_errors) == {"name", "windows", "assignee_id"}
