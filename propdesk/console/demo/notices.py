"""Notices 公告 of the demo: in 翠湖花园 (the first project, where resident1 lives) a water-cut notice to
resident1's building, a pinned winter reminder and a weekend activity for the whole project, an expired lift
inspection notice and a withdrawn one, with some reads; and an open incident — a power fault in resident1's building —
with that building as its affected scope, an expected restore time and two updates, so resident1 finds it on their
notices and in their inbox. Everything goes through the services, as staff would do it; times are relative to the
build (or to noon of ``today`` when the demo is built for another day)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from propdesk.console.demo.spec import staff_username
from propdesk.customers.models import Occupancy
from propdesk.notices.services import NoticeInput, notice_mark_read, notice_publish, notice_withdraw
from propdesk.org.models import Project
from propdesk.servicedesk.services.incidents import incident_create, incident_update

FIRST_PROJECT = "cuihu"


def _base(today: date) -> datetime:
    if timezone.localdate() == today:
        return timezone.now().replace(second=0, microsecond=0)
    return timezone.make_aware(datetime.combine(today, time(12, 0)))


def build_notices(*, today: date, stdout=None) -> dict[str, int]:
    """Write the demo's notices and its incident with a scope; returns counts."""
    project = Project.objects.filter(code=FIRST_PROJECT).first()
    if project is None:
        return {"notices": 0, "incidents": 0}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[
        staff_username("agent", FIRST_PROJECT), staff_username("steward", FIRST_PROJECT),
        staff_username("pm", FIRST_PROJECT), "resident1", "resident2"])}
    agent = users[staff_username("agent", FIRST_PROJECT)]
    steward = users.get(staff_username("steward", FIRST_PROJECT), agent)
    pm = users.get(staff_username("pm", FIRST_PROJECT), agent)
    base = _base(today)
    home = (Occupancy.objects.filter(resident__user__username="resident1", project=project)
            .select_related("room__building").order_by("id").first())
    building = home.room.building if home else project.buildings.order_by("sort", "id").first()
    number = building.number

    notice_publish(project=project, actor=agent, now=base - timedelta(hours=3), data=NoticeInput(
        kind="outage", title=f"{number}号楼明日停水通知", scope="buildings", building_ids=[building.pk],
        body=(f"尊敬的{number}号楼业主/住户：\n因二次供水水箱清洗消毒，定于明日9:00至16:00暂停供水，"
              "请提前做好储水准备。停水期间请关好家中水龙头，以免来水时跑水。\n给您带来不便，敬请谅解！\n"
              f"{project.name}客户服务中心"),
        valid_from=base - timedelta(hours=3), valid_until=base + timedelta(days=1, hours=8),
        expected_restore_at=timezone.make_aware(datetime.combine(today + timedelta(days=1), time(16, 0))),
        urgent=True))
    tip = notice_publish(project=project, actor=steward, now=base - timedelta(days=2), data=NoticeInput(
        kind="tip", title="冬季防寒防冻温馨提示", scope="project", pinned=True,
        body=("近期气温骤降，请各位业主：\n1. 关好门窗，阳台、厨房的外露水管做好包裹保温；\n"
              "2. 长期外出请关闭户内总水阀；\n3. 使用取暖设备注意用电安全，人走断电。\n"
              "如有水管冻裂等情况，请拨打服务中心电话，我们将第一时间上门处理。"),
        valid_from=base - timedelta(days=2)))
    activity = notice_publish(project=project, actor=steward, now=base - timedelta(days=1), data=NoticeInput(
        kind="activity", title="周六上午亲子植树活动报名", scope="project",
        body=("本周六上午9:30在中心花园举办亲子植树活动，物业提供树苗和工具，欢迎业主带孩子参加。"
              "名额40组，请到客服中心或拨打服务电话报名。"),
        valid_from=base - timedelta(days=1), valid_until=base + timedelta(days=4)))
    expired = notice_publish(project=project, actor=agent, now=base - timedelta(days=12), data=NoticeInput(
        kind="outage", title="电梯年度检验通知", scope="buildings", building_ids=[building.pk],
        body="特种设备检验所将对本楼电梯进行年度检验，检验期间电梯分时段停运，请住户合理安排出行。",
        valid_from=base - timedelta(days=12), valid_until=base - timedelta(days=10)))
    withdrawn = notice_publish(project=project, actor=agent, now=base - timedelta(days=3), data=NoticeInput(
        kind="other", title="燃气管道安全检查入户通知", scope="project",
        body="燃气公司将于本周四入户检查燃气管道，请家中留人。", valid_from=base - timedelta(days=3)))
    notice_withdraw(notice=withdrawn, actor=pm, now=base - timedelta(days=3) + timedelta(hours=2))

    for user, notice, hours in ((users.get("resident2"), tip, 30), (users.get("resident2"), activity, 20),
                                (users.get("resident1"), expired, 280), (users.get("resident1"), tip, 40)):
        if user is not None:
            notice_mark_read(notice=notice, user=user, now=base - timedelta(hours=hours))

    start = base - timedelta(hours=2)
    incident = incident_create(
        project=project, title=f"{number}号楼配电柜故障停电", actor=agent, now=start, scope="buildings",
        building_ids=[building.pk], expected_restore_at=base + timedelta(hours=3),
        description=f"{number}号楼地下配电室低压柜跳闸，整栋楼停电，电梯暂停运行，工程部已到场抢修。")
    incident_update(incident=incident, actor=agent, now=start + timedelta(minutes=40),
                    text="故障点已找到，为一台断路器烧毁，正在更换，电梯内无人员被困。")
    incident_update(incident=incident, actor=agent, now=base - timedelta(minutes=15),
                    expected_restore_at=base + timedelta(hours=1, minutes=30),
                    text="新断路器已到货，正在安装调试，预计提前恢复供电，请勿乘坐电梯。")
    if stdout is not None:
        stdout.write(f"  notices: 6 in {project.name} (one from an incident with building {number} as its scope)\n")
    return {"notices": 6, "incidents": 1}
