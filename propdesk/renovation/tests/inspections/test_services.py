from datetime import timedelta

import pytest

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.testing import TEST_NOW
from propdesk.fees.choices import EntryKind
from propdesk.fees.models import LedgerEntry
from propdesk.fees.services.deposits import deposit_held_fen
from propdesk.org.models import Room
from propdesk.renovation.models import (
    AcceptanceApproval,
    InspectionKind,
    RectificationStatus,
    RenovationInspection,
    RenovationRectification,
    RenovationStatus,
)
from propdesk.renovation.services.inspections import (
    DEFAULT_CHECKLIST,
    AcceptanceInput,
    Deduction,
    InspectionInput,
    ItemAnswer,
    acceptance_decide,
    acceptance_record,
    acceptance_request,
    inspection_record,
    rectify_deadline,
)

pytestmark = pytest.mark.django_db


def answers(fail: dict | None = None):
    fail = fail or {}
    return InspectionInput(answers=[ItemAnswer(label, label not in fail, fail.get(label, ""))
                                    for label in DEFAULT_CHECKLIST])


def test_failed_then_passed_reinspection_closes_the_rectification(world, renovation):
    steward = world.users["steward_a"]
    failed = inspection_record(actor=steward, renovation_id=renovation.pk, now=TEST_NOW,
                               data=answers({DEFAULT_CHECKLIST[2]: "建筑垃圾堆放在楼道"}))
    assert not failed.passed and failed.kind == InspectionKind.ROUTINE
    rect = RenovationRectification.objects.get(renovation=renovation)
    assert rect.status == RectificationStatus.OPEN and rect.items[0]["note"] == "建筑垃圾堆放在楼道"
    assert rect.deadline == TEST_NOW.date() + timedelta(days=2)  # Monday → Wednesday, two working days
    again = inspection_record(actor=steward, renovation_id=renovation.pk, now=TEST_NOW + timedelta(days=1),
                              data=answers())
    assert again.passed and again.kind == InspectionKind.REINSPECTION
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.FIXED and rect.closed_by == again


def test_deadline_skips_the_weekend(world):
    friday = TEST_NOW.date() + timedelta(days=4)
    assert rectify_deadline(world.project_a, friday) == friday + timedelta(days=4)  # Tuesday


def test_inspection_twice_a_day_is_refused(world, renovation):
    inspection_record(actor=world.users["steward_a"], renovation_id=renovation.pk, now=TEST_NOW, data=answers())
    with pytest.raises(ApplicationError) as error:
        inspection_record(actor=world.users["pm_a"], renovation_id=renovation.pk,
                          now=TEST_NOW + timedelta(hours=2), data=answers())
    assert error.value.status_code == 409
    assert RenovationInspection.objects.count() == 1


def test_failed_item_needs_a_note_and_nothing_is_written(world, renovation):
    data = answers({DEFAULT_CHECKLIST[0]: ""})
    with pytest.raises(ApplicationError) as error:
        inspection_record(actor=world.users["steward_a"], renovation_id=renovation.pk, now=TEST_NOW, data=data)
    assert "item_0" in error.value.field_errors
    assert not RenovationInspection.objects.exists()


def test_agent_may_not_inspect(world, renovation):
    with pytest.raises(PermissionDenied):
        inspection_record(actor=world.users["agent_a"], renovation_id=renovation.pk, now=TEST_NOW, data=answers())


def test_acceptance_deductions_refund_and_room_back(world, renovation):
    steward, pm = world.users["steward_a"], world.users["pm_a"]
    acceptance_request(actor=world.users["resident_a"], resident=world.residents["a_owner"],
                       renovation_id=renovation.pk, now=TEST_NOW)
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.ACCEPTANCE_REQUESTED
    with pytest.raises(ApplicationError) as error:
        acceptance_record(actor=steward, renovation_id=renovation.pk, now=TEST_NOW, data=AcceptanceInput(
            passed=True, deductions=[Deduction("损坏电梯轿厢", 350000)]))
    assert "deductions" in error.value.field_errors
    acceptance = acceptance_record(actor=steward, renovation_id=renovation.pk, now=TEST_NOW, data=AcceptanceInput(
        passed=True, deductions=[Deduction("楼道墙面污损修复", 50000)]))
    assert acceptance.refund_fen == 250000 and acceptance.approval == AcceptanceApproval.PENDING
    with pytest.raises(PermissionDenied):
        acceptance_decide(actor=steward, acceptance_id=acceptance.pk, approve=True, now=TEST_NOW)  # no capability
    acceptance_decide(actor=pm, acceptance_id=acceptance.pk, approve=True, now=TEST_NOW + timedelta(hours=1))
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.CLOSED and renovation.closed_at
    entry = LedgerEntry.objects.get(bill=renovation.deposit_bill, kind=EntryKind.DEPOSIT_REFUND)
    assert entry.cash_fen == -250000
    assert deposit_held_fen(renovation.deposit_bill) == 50000
    assert Room.objects.get(pk=renovation.room_id).status == "occupied"


def test_inspector_may_not_approve_their_own_refund(world, renovation):
    pm = world.users["pm_a"]
    acceptance = acceptance_record(actor=pm, renovation_id=renovation.pk, now=TEST_NOW,
                                   data=AcceptanceInput(passed=True))
    with pytest.raises(PermissionDenied):
        acceptance_decide(actor=pm, acceptance_id=acceptance.pk, approve=True, now=TEST_NOW)
    assert not LedgerEntry.objects.filter(kind=EntryKind.DEPOSIT_REFUND).exists()


def test_failed_acceptance_goes_back_with_a_rectification(world, renovation):
    acceptance = acceptance_record(actor=world.users["steward_a"], renovation_id=renovation.pk, now=TEST_NOW,
                                   data=AcceptanceInput(passed=False, note="卫生间防水未做闭水试验"))
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.APPROVED and acceptance.passed is False
    assert RenovationRectification.objects.get(renovation=renovation).status == RectificationStatus.OPEN


def test_refused_refund_asks_for_a_new_acceptance(world, renovation):
    acceptance = acceptance_record(actor=world.users["steward_a"], renovation_id=renovation.pk, now=TEST_NOW,
                                   data=AcceptanceInput(passed=True))
    with pytest.raises(ApplicationError):
        acceptance_decide(actor=world.users["pm_a"], acceptance_id=acceptance.pk, approve=False, now=TEST_NOW)
    acceptance_decide(actor=world.users["pm_a"], acceptance_id=acceptance.pk, approve=False, note="扣款未列全",
                      now=TEST_NOW)
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.ACCEPTANCE_REQUESTED
    assert renovation.acceptances.count() == 2


def test_permitted_hours_follow_the_calendar_and_quiet_days(world, renovation):
    from datetime import time

    from propdesk.renovation.models import RenovationSettings
    from propdesk.renovation.selectors.inspections import permitted_hours

    monday = TEST_NOW.date()
    hours = permitted_hours(renovation, monday)
    assert hours.allowed and hours.spans == [(time(8), time(12)), (time(14), time(18))]
    assert permitted_hours(renovation, monday + timedelta(days=5)).reason == "rest_day"  # Saturday
    RenovationSettings.objects.create(project=world.project_a, quiet_days=[monday.isoformat()],
                                      updated_at=TEST_NOW)
    assert permitted_hours(renovation, monday).reason == "quiet_day"
