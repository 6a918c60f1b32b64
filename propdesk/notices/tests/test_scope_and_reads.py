"""Who a notice reaches: residents see the notices of their current homes only (the whole project, their building,
their unit), in effect and not withdrawn, pinned first; read counts and audience are counted in SQL."""

from datetime import timedelta

import pytest

from propdesk.core.testing import TEST_NOW, make_resident
from propdesk.wording.models import WordingFinding

from ..models import NoticeRead
from ..selectors import notice_detail, notice_list, resident_homes, resident_notices, resident_unread_count
from ..services import notice_mark_read, notice_revise, notice_withdraw
from .helpers import HOUR, building, publish, unit

pytestmark = pytest.mark.django_db


def _titles(world, user, now=TEST_NOW):
    homes = list(resident_homes(user=user, now=now))
    return [n.title for n in resident_notices(user=user, homes=homes, now=now)]


def test_a_resident_sees_the_notices_of_their_project_building_and_unit_only(world):
    a, b = world.project_a, world.project_b
    publish(world, title="3号楼停水", buildings=[building(world, a, "3")])
    publish(world, title="5号楼停电", buildings=[building(world, a, "5")])
    publish(world, title="3栋2单元电梯检修", scope="units", units=[unit(world, a, "3", "2")])
    publish(world, title="3栋1单元电梯检修", scope="units", units=[unit(world, a, "3", "1")])
    publish(world, title="小区消防演练", scope="project", kind="activity")
    publish(world, title="金桂苑停水", project=b, actor=world.users["agent_b"], buildings=[building(world, b, "3")])
    assert sorted(_titles(world, world.users["resident_a"])) == sorted(
        ["3号楼停水", "3栋2单元电梯检修", "小区消防演练"])


def test_only_notices_in_effect_and_not_withdrawn_pinned_first(world):
    b3 = [building(world, world.project_a, "3")]
    publish(world, title="旧通知", buildings=b3, now=TEST_NOW - timedelta(hours=3))
    publish(world, title="置顶提示", scope="project", kind="tip", pinned=True, now=TEST_NOW - timedelta(hours=5))
    publish(world, title="新通知", buildings=b3, now=TEST_NOW - timedelta(hours=1))
    publish(world, title="已过期", buildings=b3, valid_from=TEST_NOW - timedelta(days=3),
            valid_until=TEST_NOW - timedelta(days=1))
    publish(world, title="明天才开始", buildings=b3, valid_from=TEST_NOW + timedelta(days=1))
    withdrawn = publish(world, title="已撤回", buildings=b3)
    notice_withdraw(notice=withdrawn, actor=world.users["agent_a"])
    assert _titles(world, world.users["resident_a"]) == ["置顶提示", "新通知", "旧通知"]
    # tomorrow the scheduled one is in effect
    assert "明天才开始" in _titles(world, world.users["resident_a"], now=TEST_NOW + timedelta(days=1, hours=1))


def test_a_former_occupant_sees_nothing(world):
    publish(world, scope="project")
    from propdesk.customers.models import Occupancy

    Occupancy.objects.filter(resident=world.residents["a_owner"]).update(end_date=TEST_NOW.date() - timedelta(days=1))
    assert _titles(world, world.users["resident_a"]) == []


def test_read_count_and_audience_in_sql(world, django_assert_max_num_queries):
    a = world.project_a
    notice = publish(world, buildings=[building(world, a, "3")])
    # 3-2-1802: the owner (with the app) and a family member; another resident with the app in building 3
    from propdesk.core.testing import make_user

    neighbour = make_resident(a, "钱伟", "13600002222", world.room(a, "3-1-101"))
    neighbour.user = make_user("neighbour")
    neighbour.save(update_fields=["user"])
    admin = world.users["admin"]
    found = notice_detail(user=admin, notice_id=notice.pk, now=TEST_NOW)
    assert (found.audience, found.app_users, found.read_count) == (3, 2, 0)
    notice_mark_read(notice=notice, user=world.users["resident_a"])
    notice_mark_read(notice=notice, user=world.users["resident_a"])  # twice: one row
    notice_mark_read(notice=notice, user=neighbour.user)
    assert NoticeRead.objects.filter(notice=notice).count() == 2
    assert notice_detail(user=admin, notice_id=notice.pk, now=TEST_NOW).read_count == 2
    # revised (an incident's update): unread again for everyone
    notice_revise(notice=notice, actor=world.users["agent_a"], body="更新：预计18:00恢复", update_text="预计18:00恢复")
    assert notice_detail(user=admin, notice_id=notice.pk, now=TEST_NOW).read_count == 0
    homes = list(resident_homes(user=neighbour.user, now=TEST_NOW))
    assert resident_unread_count(user=neighbour.user, homes=homes, now=TEST_NOW) == 1
    # the list counts in a fixed number of queries whatever the number of notices
    for i in range(5):
        publish(world, title=f"通知{i}", buildings=[building(world, a, "5")])
    with django_assert_max_num_queries(4):
        rows = list(notice_list(user=admin, now=TEST_NOW, filters={"state": "active"}))
    assert len(rows) == 6 and {r.audience for r in rows} == {3, 1}


def test_a_room_code_unit_is_the_stairwell_not_the_flat(world):
    """A notice to unit 2 of building 3 reaches 3-2-1802 (unit 2), not 3-1-101 (unit 1)."""
    a = world.project_a
    notice = publish(world, scope="units", units=[unit(world, a, "3", "2")])
    make_resident(a, "钱伟", "13600002222", world.room(a, "3-1-101"))
    assert notice_detail(user=world.users["admin"], notice_id=notice.pk, now=TEST_NOW).audience == 2


def test_a_revision_counts_what_remained_of_the_language_check_in_its_new_text(world):
    a = world.project_a
    notice = publish(world, buildings=[building(world, a)], now=TEST_NOW - HOUR)
    agent = world.users["agent_a"]
    notice_revise(notice=notice, actor=agent, body="因二次供水设备检修，明日9:00-16:00停水，请提前储水。",
                  update_text="恢复时间暂不确定，请留意后续通知。")
    assert not WordingFinding.objects.exists()  # polite, and the unchanged body is not counted again
    notice_revise(notice=notice, actor=agent, body="更新：几点来水我们也不知道。\n因二次供水设备检修，明日停水。",
                  update_text="几点来水我们也不知道。")
    assert list(WordingFinding.objects.values_list("phrase", "source", "source_id")) == [
        ("不知道", "notice", notice.pk)]  # once, though the body holds the update
