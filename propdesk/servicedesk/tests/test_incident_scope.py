"""An incident with an affected scope: its outage notice goes to every resident in the scope, each update revises
it and reaches residents who never called (inbox; SMS when urgent, outside quiet hours), the reporters hear each
update once as before, and closing ends the notice with the reply. Time is passed explicitly (``now=``)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from propdesk.core.testing import TEST_NOW, make_resident, make_user
from propdesk.notices.models import Notice
from propdesk.notices.selectors import resident_homes, resident_notices
from propdesk.notify.models import Notification, OutboxMessage
from propdesk.org.models import Building
from propdesk.servicedesk.services.incidents import (
    incident_close,
    incident_create,
    incident_link,
    incident_set_scope,
    incident_update,
)
from propdesk.servicedesk.services.requests import RequestInput, request_submit

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(world):
    """A resident of building 3 with the app and a mobile who never called about anything."""
    a = world.project_a
    resident = make_resident(a, "钱伟", "13600002222", world.room(a, "3-1-101"))
    resident.user = make_user("neighbour")
    resident.save(update_fields=["user"])
    return resident


def _b3(world, project=None):
    return Building.objects.get(project=project or world.project_a, number="3")


def _incident(world, *, urgent=False, now=TEST_NOW):
    return incident_create(project=world.project_a, title="3号楼停水", description="地下室主管爆裂，正在抢修",
                           actor=world.users["agent_a"], scope="buildings", building_ids=[_b3(world).pk],
                           expected_restore_at=now + timedelta(hours=6), urgent=urgent, now=now)


def _visible(user, now):
    return list(resident_notices(user=user, homes=list(resident_homes(user=user, now=now)), now=now))


def test_an_incident_with_a_scope_publishes_an_outage_notice_to_it(world, neighbour):
    incident = _incident(world)
    notice = incident.notice
    assert notice.kind == "outage" and notice.pinned and notice.title == "3号楼停水"
    assert notice.expected_restore_at == TEST_NOW + timedelta(hours=6)
    assert list(notice.targets.values_list("building__number", flat=True)) == ["3"]
    assert [n.pk for n in _visible(neighbour.user, TEST_NOW)] == [notice.pk]
    assert not OutboxMessage.objects.filter(template="notice_urgent").exists()  # not urgent: no SMS


def test_an_update_reaches_a_resident_in_the_scope_who_never_called(world, neighbour):
    incident = _incident(world, urgent=True)
    caller = request_submit(actor=world.users["agent_a"], project=world.project_a, now=TEST_NOW, data=RequestInput(
        channel="phone", kind="repair", description="家里没水了", reporter_id=world.residents["a_owner"].pk,
        room_id=world.room(world.project_a, "3-2-1802").pk))
    incident_link(incident=incident, request=caller, actor=world.users["agent_a"], now=TEST_NOW)
    later = TEST_NOW + timedelta(hours=2)
    restore = TEST_NOW + timedelta(hours=8)
    update = incident_update(incident=incident, text="管道已更换，正在冲洗水箱", actor=world.users["agent_a"],
                             expected_restore_at=restore, now=later)
    notice = Notice.objects.get(pk=incident.notice_id)
    assert notice.version == 2 and "正在冲洗水箱" in notice.body and notice.expected_restore_at == restore
    # the neighbour: in the inbox, by SMS (urgent), and the notice is unread again
    assert Notification.objects.filter(recipient=neighbour.user, body="管道已更换，正在冲洗水箱").count() == 1
    sms = OutboxMessage.objects.filter(template="notice_update")
    assert sorted(sms.values_list("to", flat=True)) == ["13600002222", "13900001111"]  # neighbour, family member
    assert not _visible(neighbour.user, later)[0].read
    # the caller hears it once, as a reporter — not a second time as a resident of the building
    assert OutboxMessage.objects.filter(to="13812345678", template="incident_update").count() == 1
    assert not sms.filter(to="13812345678").exists()
    inbox = Notification.objects.filter(recipient=world.users["resident_a"])
    assert inbox.filter(title="管道已更换，正在冲洗水箱").count() == 1
    assert not inbox.filter(kind="notice_update").exists()
    assert (update.reached, update.residents_reached) == (1, 3)


def test_an_sms_update_at_night_waits_for_the_morning(world, neighbour):
    incident = _incident(world, urgent=True)
    night = datetime(2026, 11, 23, 23, 10, tzinfo=SHANGHAI)
    incident_update(incident=incident, text="抢修仍在进行", actor=world.users["agent_a"], now=night)
    sms = OutboxMessage.objects.get(template="notice_update", to="13600002222")
    assert sms.available_at == datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI)
    # the inbox is not a disturbance: it is there at once
    assert Notification.objects.filter(recipient=neighbour.user, body="抢修仍在进行").exists()


def test_closing_ends_the_notice_with_the_reply(world, neighbour):
    incident = _incident(world)
    closed_at = TEST_NOW + timedelta(hours=5)
    incident_close(incident=incident, reply="3号楼已于15:00恢复供水，感谢您的耐心", actor=world.users["agent_a"],
                   now=closed_at)
    notice = Notice.objects.get(pk=incident.notice_id)
    assert notice.valid_until == closed_at and notice.body == "3号楼已于15:00恢复供水，感谢您的耐心"
    assert Notification.objects.filter(recipient=neighbour.user, body__startswith="3号楼已于15:00").exists()
    assert _visible(neighbour.user, closed_at + timedelta(minutes=1)) == []
    assert notice.withdrawn_at is None  # ended, not withdrawn: it stays in the record as it was


def test_the_scope_set_later_and_corrected(world, neighbour):
    incident = incident_create(project=world.project_a, title="5号楼停电", actor=world.users["agent_a"],
                               now=TEST_NOW)
    assert incident.notice_id is None
    incident_set_scope(incident=incident, scope="buildings", building_ids=[_b3(world).pk],
                       actor=world.users["agent_a"], now=TEST_NOW)
    incident.refresh_from_db()
    assert incident.notice_id and [n.title for n in _visible(neighbour.user, TEST_NOW)] == ["5号楼停电"]
    building5 = Building.objects.get(project=world.project_a, number="5")
    incident_set_scope(incident=incident, scope="buildings", building_ids=[building5.pk],
                       expected_restore_at=TEST_NOW + timedelta(hours=3), actor=world.users["agent_a"], now=TEST_NOW)
    assert _visible(neighbour.user, TEST_NOW) == []
    assert Notice.objects.count() == 1


def test_pages_open_an_incident_with_a_scope_and_refuse_another_projects_building(world, client, neighbour):
    client.force_login(world.users["agent_a"])
    page = client.get(reverse("servicedesk:incident_list")).content.decode()
    assert f'name="buildings" value="{_b3(world).pk}"' in page
    response = client.post(reverse("servicedesk:incident_list"), {
        "project": world.project_a.pk, "title": "3号楼停水", "description": "主管爆裂", "scope": "buildings",
        "buildings": [_b3(world, world.project_b).pk], "expected_restore_at": "2026-11-23T18:00"})
    assert response.status_code == 302
    assert not Notice.objects.exists()
    from propdesk.servicedesk.models import Incident

    assert not Incident.objects.exists()  # nothing half written
    messages = [str(m) for m in client.get(reverse("servicedesk:incident_list")).context["messages"]]
    assert any("所选楼栋不属于该项目" in m for m in messages), messages
    client.post(reverse("servicedesk:incident_list"), {
        "project": world.project_a.pk, "title": "3号楼停水", "description": "主管爆裂", "scope": "buildings",
        "buildings": [_b3(world).pk], "expected_restore_at": "2026-11-23T18:00", "urgent": "on"})
    incident = Incident.objects.get()
    assert incident.urgent and incident.expected_restore_at == datetime(2026, 11, 23, 18, 0, tzinfo=SHANGHAI)
    detail = client.get(reverse("servicedesk:incident_detail", args=[incident.pk]))
    assert detail.status_code == 200 and reverse("notices:detail", args=[incident.notice_id]) in detail.content.decode()
    client.post(reverse("servicedesk:incident_update", args=[incident.pk]),
                {"text": "预计推迟到20:00恢复", "expected_restore_at": "2026-11-23T20:00"})
    incident.refresh_from_db()
    assert incident.expected_restore_at.astimezone(SHANGHAI).hour == 20
    assert Notification.objects.filter(recipient=neighbour.user, body="预计推迟到20:00恢复").exists()
    response = client.post(reverse("servicedesk:incident_scope", args=[incident.pk]),
                           {"scope": "units", "units": [], "expected_restore_at": ""})
    assert Notice.objects.get().scope == "buildings"  # refused: nothing changed
