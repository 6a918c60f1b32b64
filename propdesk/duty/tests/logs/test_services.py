from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from propdesk.core.errors import ApplicationError
from propdesk.duty.models import Log, LogComment, LogItem
from propdesk.duty.services import logs as services

from .conftest import NOW, roster

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def _written(log, actor, body="巡查正常", items=()):
    return services.log_update(log=log, actor=actor, body=body, items=list(items), now=NOW)


def test_open_items_carry_over_into_the_next_work_log_with_their_start(world):
    steward = world.users["steward_a"]
    yesterday = services.work_log_start(actor=steward, day=TODAY - timedelta(days=1), now=NOW)
    _written(yesterday, steward, items=[{"text": "3栋电梯异响待复查", "request_number": "A-20261122-0003"},
                                        {"text": "5栋路灯已修", "done": True}])
    services.log_submit(log=yesterday, actor=steward, now=NOW)
    today = services.work_log_start(actor=steward, day=TODAY, now=NOW)
    carried = list(today.items.all())
    assert [(i.text, i.request_number, i.started_on, i.carried) for i in carried] == [
        ("3栋电梯异响待复查", "A-20261122-0003", TODAY - timedelta(days=1), True)]
    assert services.work_log_start(actor=steward, day=TODAY, now=NOW).pk == today.pk  # one a day


def test_a_signed_log_refuses_edits_in_the_service_and_in_save(world):
    steward, agent = world.users["steward_a"], world.users["agent_a"]
    log = services.work_log_start(actor=steward, day=TODAY, now=NOW)
    _written(log, steward, items=[{"text": "空置房5-1-302门窗检查"}])
    services.log_submit(log=log, actor=steward, now=NOW)
    services.log_sign(log=log, actor=agent, now=NOW)  # the assistant signs the stewards' work logs
    with pytest.raises(ApplicationError) as refused:
        _written(log, steward, body="改过的内容")
    assert refused.value.status_code == 409
    stored = Log.objects.get(pk=log.pk)
    assert stored.body == "巡查正常" and stored.status == "signed"
    stored.body = "绕过服务改正文"
    with pytest.raises(ValidationError):
        stored.save()
    item = LogItem.objects.get(log=log)
    item.done = True
    with pytest.raises(ValidationError):
        item.save()
    with pytest.raises(ValidationError):
        item.delete()
    assert Log.objects.get(pk=log.pk).body == "巡查正常" and not LogItem.objects.get(log=log).done
    comment = services.log_comment(log=log, actor=world.users["pm_a"], body="已阅，电梯问题跟进", now=NOW)
    assert LogComment.objects.filter(log=log).count() == 1
    comment.body = "改批示"
    with pytest.raises(ValidationError):
        comment.save()


def test_signing_a_draft_twice_or_ones_own(world):
    steward, pm, agent = world.users["steward_a"], world.users["pm_a"], world.users["agent_a"]
    log = services.work_log_start(actor=steward, day=TODAY, now=NOW)
    with pytest.raises(ApplicationError) as draft:
        services.log_sign(log=log, actor=pm, now=NOW)
    assert draft.value.status_code == 409
    _written(log, steward)
    services.log_submit(log=log, actor=steward, now=NOW)
    services.log_sign(log=log, actor=pm, now=NOW)
    with pytest.raises(ApplicationError) as twice:
        services.log_sign(log=log, actor=pm, now=NOW)
    assert twice.value.status_code == 409
    own = services.work_log_start(actor=agent, day=TODAY, now=NOW)
    _written(own, agent)
    services.log_submit(log=own, actor=agent, now=NOW)
    with pytest.raises(ApplicationError) as not_a_steward:  # an agent signs stewards' logs only
        services.log_sign(log=own, actor=world.users["agent_a"], now=NOW)
    assert not_a_steward.value.status_code == 403


def test_handover_submit_waits_for_the_acknowledgement_and_acknowledging_twice_is_refused(
        world, night_shift, day_shift, technician2_a):
    tech = world.users["technician_a"]
    night = services.duty_log_start(actor=tech, now=NOW, roster_entry=roster(night_shift, tech,
                                                                              TODAY - timedelta(days=1)))
    _written(night, tech, body="夜间巡查：2号泵房漏水已关阀", items=[{"text": "泵房阀门待更换"}])
    services.log_submit(log=night, actor=tech, now=NOW)
    day = services.duty_log_start(actor=technician2_a, now=NOW, shift=day_shift, day=TODAY)  # no roster entry
    assert day.previous_id == night.pk and [i.text for i in day.items.all()] == ["泵房阀门待更换"]
    _written(day, technician2_a, body="白班：更换阀门")
    with pytest.raises(ApplicationError) as unread:
        services.log_submit(log=day, actor=technician2_a, now=NOW)
    assert unread.value.status_code == 409 and Log.objects.get(pk=day.pk).status == "draft"
    with pytest.raises(ApplicationError):  # the author does not acknowledge their own log
        services.log_acknowledge(log=night, actor=tech, now=NOW)
    services.log_acknowledge(log=night, actor=technician2_a, now=NOW)
    with pytest.raises(ApplicationError) as twice:
        services.log_acknowledge(log=night, actor=technician2_a, now=NOW)
    assert twice.value.status_code == 409
    assert Log.objects.get(pk=night.pk).acknowledged_by == technician2_a
    services.log_submit(log=day, actor=technician2_a, now=NOW)
    assert Log.objects.get(pk=day.pk).status == "submitted"


def test_bad_items_are_refused_with_nothing_written(world):
    steward = world.users["steward_a"]
    log = services.work_log_start(actor=steward, day=TODAY, now=NOW)
    with pytest.raises(ApplicationError) as error:
        _written(log, steward, body="新内容", items=[{"text": "好"}, {"text": "x" * 301}])
    assert "items" in error.value.field_errors
    with pytest.raises(ApplicationError):
        _written(log, steward, items=[{"text": "别人的事项", "id": 999999}])
    assert Log.objects.get(pk=log.pk).body == "" and not LogItem.objects.filter(log=log).exists()
    with pytest.raises(ApplicationError) as empty:
        services.log_submit(log=log, actor=steward, now=NOW)
    assert "body" in empty.value.field_errors


def test_an_instance_built_by_hand_cannot_overwrite_a_signed_log(world):
    steward = world.users["steward_a"]
    log = services.work_log_start(actor=steward, day=TODAY, now=NOW)
    _written(log, steward)
    services.log_submit(log=log, actor=steward, now=NOW)
    services.log_sign(log=log, actor=world.users["pm_a"], now=NOW)
    forged = Log.objects.get(pk=log.pk)
    del forged._stored
    forged.status, forged.body = "draft", "重写"
    with pytest.raises(ValidationError):
        forged.save()
    assert Log.objects.get(pk=log.pk).status == "signed"
