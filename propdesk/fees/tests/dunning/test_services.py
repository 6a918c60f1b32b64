"""The dunning sweep, contacts, disputes, the printed letter and the ladder, through the services."""

from datetime import date, timedelta

import pytest

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.testing import sh
from propdesk.fees.models import Account, Bill, DunningAction, DunningStep
from propdesk.fees.services.contacts import contact_record, dispute_close, dispute_open
from propdesk.fees.services.dunning import StepInput, dunning_sweep, ladder_save, letter_printed
from propdesk.fees.services.payments import payment_take
from propdesk.fees.tests.ledger_check import assert_ledger_balances
from propdesk.notify.models import Notification, OutboxMessage

from .helpers import NOW, owing

pytestmark = pytest.mark.django_db


def steps_of(room):
    return sorted(DunningAction.objects.filter(room=room).exclude(step_code="").values_list("step_code", flat=True))


def test_the_sweep_sends_each_due_step_once_however_often_it_runs(world):
    room = owing(world)  # October's bills, due 2026-10-15: 39 days overdue on the 23rd of November
    first = dunning_sweep(now=NOW)
    again = dunning_sweep(now=NOW + timedelta(hours=1))
    assert steps_of(room) == ["app_15d", "sms_30d"]
    assert (first.total, again.total) == (2, 0)
    reminder = Notification.objects.get(recipient=world.users["resident_a"])
    owed = Account.objects.get(room=room).owed_fen
    assert "3-2-1802" in reminder.body and f"{owed / 100:.2f}" in reminder.body and reminder.url == "/my/fees/"
    sms = OutboxMessage.objects.filter(channel="sms", template="fee_reminder").order_by("to")
    assert [m.to for m in sms] == ["13812345678", "13900001111"]  # owner and family, one message each
    assert sms[0].body == f"【PropDesk物业】您的住房3-2-1802尚有物业费{owed / 100:.2f}元未缴，请在住这儿缴费。"
    action = DunningAction.objects.get(room=room, step_code="sms_30d")
    assert (action.episode_due, action.owed_fen, action.done_at) == (date(2026, 10, 15), owed, NOW)

    # Three weeks on: the call task for the steward and the letter to print are open tasks, sent once too.
    later = NOW + timedelta(days=21)
    assert dunning_sweep(now=later).total == 2 and dunning_sweep(now=later).total == 0
    tasks = DunningAction.objects.filter(room=room, done_at__isnull=True)
    assert sorted(tasks.values_list("step_kind", flat=True)) == ["printed_notice", "steward_call"]
    assert Notification.objects.filter(recipient=world.users["resident_a"]).count() == 1
    assert_ledger_balances()


def test_rest_hours_hold_the_resident_facing_steps_but_not_the_staff_tasks(world):
    room = owing(world, months=("2026-09", "2026-10", "2026-11"))  # 69 days: reminders, call and letter due
    night = dunning_sweep(now=sh(2026, 11, 23, 23, 0))
    assert steps_of(room) == ["call_45d", "notice_60d"]
    assert night.deferred == 2
    assert not Notification.objects.exists() and not OutboxMessage.objects.filter(channel="sms").exists()
    dunning_sweep(now=sh(2026, 11, 24, 7, 59))  # still the rest hours
    assert not OutboxMessage.objects.filter(channel="sms").exists()
    dunning_sweep(now=sh(2026, 11, 24, 8, 0))
    assert steps_of(room) == ["app_15d", "call_45d", "notice_60d", "sms_30d"]
    assert OutboxMessage.objects.filter(channel="sms").count() == 2


def test_nothing_is_sent_while_a_dispute_is_open(world):
    room = owing(world)
    dispute_open(room=room, actor=world.users["steward_a"], note="业主称漏水投诉未处理，拒缴", now=NOW)
    result = dunning_sweep(now=NOW)
    assert result.total == 0 and result.skipped_dispute == 1 and steps_of(room) == []
    with pytest.raises(ApplicationError) as caught:
        dispute_open(room=room, actor=world.users["steward_a"], note="again", now=NOW)
    assert caught.value.status_code == 409
    dispute_close(room=room, actor=world.users["steward_a"], note="维修完成，业主同意缴费", now=NOW)
    assert dunning_sweep(now=NOW).total == 2
    kinds = list(DunningAction.objects.filter(room=room, step_code="").order_by("at", "id")
                 .values_list("step_kind", flat=True))
    assert kinds == ["dispute_opened", "dispute_closed"]


def test_the_lawyer_flag_after_six_months(world):
    room = owing(world, months=("2026-04",))  # due 2026-04-15
    dunning_sweep(now=sh(2026, 10, 14, 10, 0))
    assert Account.objects.get(room=room).lawyer_flag_at is None
    dunning_sweep(now=sh(2026, 10, 15, 10, 0))
    assert Account.objects.get(room=room).lawyer_flag_at == sh(2026, 10, 15, 10, 0)
    assert "lawyer_6m" in steps_of(room)


def test_a_step_threshold_of_owed_amount_and_inactive_steps(world):
    owing(world)
    DunningStep.objects.filter(project=world.project_a, code="sms_30d").update(min_owed_fen=10**9)
    DunningStep.objects.filter(project=world.project_a, code="app_15d").update(active=False)
    assert dunning_sweep(now=NOW).total == 0


def test_a_new_episode_after_the_oldest_bills_are_paid_starts_the_ladder_again(world):
    room = owing(world, months=("2026-09", "2026-11"))
    dunning_sweep(now=NOW)
    assert steps_of(room) == ["app_15d", "call_45d", "notice_60d", "sms_30d"]
    agent = world.users["agent_a"]
    payment_take(room=room, amount="1", method="cash", actor=agent, payer="周美玲", now=NOW)
    assert dunning_sweep(now=NOW).total == 0  # the oldest bill partly paid: the same episode, nothing again
    first = list(Bill.objects.filter(room=room, open_fen__gt=0, due_date__lt=date(2026, 11, 1)))
    payment_take(room=room, amount=f"{sum(b.open_fen for b in first) / 100:.2f}", method="cash", actor=agent,
                 payer="周美玲", bill_ids=[b.pk for b in first], match_chosen=True, now=NOW)
    account = Account.objects.get(room=room)
    assert account.oldest_due == date(2026, 11, 15)
    assert dunning_sweep(now=NOW).total == 0  # 8 days overdue: nothing due yet in the new episode
    assert dunning_sweep(now=sh(2026, 11, 30, 10, 0)).total == 1  # 15 days: the app reminder again
    assert DunningAction.objects.filter(room=room, step_code="app_15d").count() == 2
    assert_ledger_balances()


def test_contact_completes_the_call_task_and_records_the_promise(world):
    room = owing(world, months=("2026-09", "2026-10", "2026-11"))
    dunning_sweep(now=NOW)
    steward = world.users["steward_a"]
    with pytest.raises(ApplicationError) as caught:
        contact_record(room=room, actor=steward, channel="phone", outcome="promised", promise_date=None, now=NOW)
    assert "promise_date" in caught.value.field_errors
    for bad in (dict(channel="fax", outcome="promised"), dict(channel="phone", outcome="maybe")):
        with pytest.raises(ApplicationError):
            contact_record(room=room, actor=steward, promise_date=date(2026, 11, 30), now=NOW, **bad)
    with pytest.raises(ApplicationError) as caught:
        contact_record(room=room, actor=steward, channel="phone", outcome="promised", promise_date=date(2026, 11, 1),
                       now=NOW)
    assert "promise_date" in caught.value.field_errors
    action = contact_record(room=room, actor=steward, channel="phone", outcome="promised",
                            promise_date=date(2026, 11, 30), note="业主答应月底前缴清", now=NOW)
    account = Account.objects.get(room=room)
    assert (account.promise_date, account.last_contact_at) == (date(2026, 11, 30), NOW)
    assert action.step_code == "" and action.actor == steward
    call = DunningAction.objects.get(room=room, step_kind="steward_call")
    assert call.done_at == NOW and call.actor == steward
    assert DunningAction.objects.get(room=room, step_kind="printed_notice").done_at is None  # the letter still waits
    with pytest.raises(PermissionDenied):
        contact_record(room=room, actor=world.users["agent_a"], channel="phone", outcome="no_answer", now=NOW)


def test_printing_the_letter_records_the_notice_step(world):
    room = owing(world)
    steward = world.users["steward_a"]
    action = letter_printed(room=room, actor=steward, now=NOW)  # before the sweep reaches the step
    assert (action.step_code, action.done_at) == ("notice_60d", NOW)
    assert letter_printed(room=room, actor=steward, now=NOW + timedelta(hours=1)).pk == action.pk
    dunning_sweep(now=NOW + timedelta(days=30))
    assert DunningAction.objects.filter(room=room, step_code="notice_60d").count() == 1
    with pytest.raises(ApplicationError) as caught:
        letter_printed(room=world.room(world.project_a, "3-1-101"), actor=steward, now=NOW)
    assert caught.value.status_code == 409


def test_finance_edits_the_ladder_with_validation(world):
    owing(world)
    finance = world.users["finance_east"]
    steps = [StepInput("app_7d", "app_reminder", after_days=7), StepInput("sms_30d", "sms", after_days=30),
             StepInput("lawyer_3m", "lawyer_letter", after_months=3, min_owed_fen=100_000)]
    saved = ladder_save(project=world.project_a, actor=finance, steps=steps)
    active = {row.code: row for row in saved if row.active}
    assert set(active) == {"app_7d", "sms_30d", "lawyer_3m"} and active["lawyer_3m"].min_owed_fen == 100_000
    assert not DunningStep.objects.get(project=world.project_a, code="call_45d").active
    for bad, field in (([StepInput("a", "sms"), StepInput("a", "sms")], "steps"),
                       ([StepInput("Bad Code", "sms")], "steps.0.code"),
                       ([StepInput("x", "fax")], "steps.0.kind"),
                       ([StepInput("x", "sms", after_days=-1)], "steps.0.after_days"),
                       ([StepInput("x", "sms", after_months=500)], "steps.0.after_months")):
        with pytest.raises(ApplicationError) as caught:
            ladder_save(project=world.project_a, actor=finance, steps=bad)
        assert field in caught.value.field_errors, (bad, caught.value.field_errors)
    with pytest.raises(PermissionDenied):
        ladder_save(project=world.project_a, actor=world.users["steward_a"], steps=steps)
