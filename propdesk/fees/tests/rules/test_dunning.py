from datetime import date, time

import pytest

from propdesk.fees.rules.dunning import DEFAULT_LADDER, Step, StepKind, steps_due, validate_ladder

OLDEST = date(2026, 9, 15)
DAY = time(10, 0)


def codes(steps):
    return [step.code for step in steps]


def decide(on, *, sent=(), dispute=False, clock=DAY, owed=750_72, oldest=OLDEST, ladder=DEFAULT_LADDER):
    return steps_due(ladder=ladder, oldest_due=oldest, owed_fen=owed, on=on, local_time=clock, sent=sent,
                     dispute_open=dispute)


def test_steps_come_due_as_the_arrears_age():
    assert codes(decide(date(2026, 9, 29)).due) == []
    assert codes(decide(date(2026, 9, 30)).due) == ["app_15d"]
    assert codes(decide(date(2026, 11, 23)).due) == ["app_15d", "sms_30d", "call_45d", "notice_60d"]
    assert codes(decide(date(2027, 3, 15)).due) == ["app_15d", "sms_30d", "call_45d", "notice_60d", "lawyer_6m"]


def test_each_step_once():
    decision = decide(date(2026, 11, 23), sent={"app_15d", "sms_30d"})
    assert codes(decision.due) == ["call_45d", "notice_60d"]
    assert codes(decide(date(2026, 11, 23), sent=codes(DEFAULT_LADDER)).due) == []


def test_nothing_while_a_dispute_is_open():
    decision = decide(date(2027, 3, 15), dispute=True)
    assert decision.due == () and decision.skipped_reason == "dispute_open"


def test_nothing_when_nothing_is_owed():
    assert decide(date(2027, 3, 15), owed=0).skipped_reason == "nothing_owed"
    assert decide(date(2027, 3, 15), oldest=None).due == ()


def test_resident_messages_wait_outside_rest_hours_staff_tasks_do_not():
    decision = decide(date(2026, 11, 23), clock=time(22, 30))
    assert codes(decision.due) == ["call_45d", "notice_60d"]
    assert codes(decision.deferred) == ["app_15d", "sms_30d"]
    assert codes(decide(date(2026, 11, 23), clock=time(7, 59)).deferred) == ["app_15d", "sms_30d"]
    assert decide(date(2026, 11, 23), clock=time(8, 0)).deferred == ()
    # a siesta window configured by the project
    siesta = steps_due(ladder=DEFAULT_LADDER, oldest_due=OLDEST, owed_fen=100, on=date(2026, 9, 30),
                       local_time=time(12, 30), sent=(), dispute_open=False, quiet_start=time(12, 0),
                       quiet_end=time(14, 0))
    assert codes(siesta.deferred) == ["app_15d"]


def test_a_configured_ladder():
    ladder = (Step("sms_7d", StepKind.SMS, after_days=7), Step("lawyer_3m", StepKind.LAWYER, after_months=3))
    assert codes(decide(date(2026, 12, 14), ladder=ladder).due) == ["sms_7d"]
    assert codes(decide(date(2026, 12, 15), ladder=ladder).due) == ["sms_7d", "lawyer_3m"]
    with pytest.raises(ValueError):
        validate_ladder((Step("a", StepKind.SMS), Step("a", StepKind.APP)))
    with pytest.raises(ValueError):
        validate_ladder((Step("a", StepKind.SMS, after_days=-1),))
