from datetime import timedelta

from propdesk.core.testing import TEST_NOW
from propdesk.org.models import Building, Unit

from ..services import NoticeInput, notice_publish


def building(world, project, number="3"):
    return Building.objects.get(project=project, number=number)


def unit(world, project, building_number="3", number="2"):
    return Unit.objects.get(project=project, building__number=building_number, number=number)


def publish(world, *, project=None, scope="buildings", buildings=(), units=(), actor=None, now=TEST_NOW, **extra):
    project = project or world.project_a
    fields = {"kind": "outage", "title": "3号楼明日停水通知",
              "body": "因二次供水设备检修，明日9:00-16:00停水，请提前储水。", **extra}
    data = NoticeInput(scope=scope, building_ids=[b.pk for b in buildings], unit_ids=[u.pk for u in units],
                       **fields)
    return notice_publish(project=project, data=data, actor=actor or world.users["agent_a"], now=now)


HOUR = timedelta(hours=1)
