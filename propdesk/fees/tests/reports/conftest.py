"""A small realistic fee history of project A (and some of B, which A's reports must never show), shared by the
reports tests: bills from October 2025 to November 2026, payments on time, late, ahead (prepayment), a reduction,
a void, and the desk's day of 2026-11-23."""

from dataclasses import dataclass
from datetime import date

import pytest

from propdesk.core.testing import sh
from propdesk.fees.choices import AdjustmentKind, ApprovalStatus, EntryKind
from propdesk.fees.models import Adjustment, Bill
from propdesk.fees.services import ledger
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.payments import payment_take, payment_void
from propdesk.fees.services.setup import fee_items_standard

MONTHS = ["2025-10", "2026-05", "2026-07", "2026-09", "2026-10"]


@dataclass
class History:
    world: object
    rooms: dict
    payments: dict


def _bill(room, period, code="property"):
    return Bill.objects.get(room=room, item__code=code, period_key=period)


@pytest.fixture
def history(world):
    a, b = world.project_a, world.project_b
    for project in (a, b):
        fee_items_standard(project=project, effective_from=date(2025, 1, 1))
    rooms = {code: world.room(a, code) for code in ("3-2-1802", "3-1-101", "3-1-102", "3-2-201", "3-1-1001")}
    rooms["b"] = world.room(b, "3-1-101")
    agent, agent_b, finance = world.users["agent_a"], world.users["agent_b"], world.users["finance_east"]
    for key in MONTHS:
        year, month = map(int, key.split("-"))
        for project in (a, b):
            bills_generate(project=project, period_key=key, now=sh(year, month, 1, 8, 0))
    pay = {}
    # September paid on time by 3-1-101, ahead of the month's end.
    pay["sep_on_time"] = payment_take(room=rooms["3-1-101"], amount="174.44", method="wechat", actor=agent,
                                      payer="黄磊", bill_ids=[_bill(rooms["3-1-101"], "2026-09").pk],
                                      now=sh(2026, 9, 10, 9, 0))
    # 3-1-102 pays October's bill late, in November (arrears recovered in November).
    pay["oct_late"] = payment_take(room=rooms["3-1-102"], amount="174.44", method="cash", actor=agent, payer="林芳",
                                   bill_ids=[_bill(rooms["3-1-102"], "2026-10").pk], now=sh(2026, 11, 5, 10, 0))
    # 3-2-201 prepays in October: November's bill draws it when issued (collected for November).
    owed = sum(bill.open_fen for bill in Bill.objects.filter(room=rooms["3-2-201"], open_fen__gt=0))
    pay["prepay"] = payment_take(room=rooms["3-2-201"], amount=f"{owed / 100 + 500:.2f}", method="transfer",
                                 actor=finance, payer="高峰", now=sh(2026, 10, 20, 15, 0))
    for project in (a, b):
        bills_generate(project=project, period_key="2026-11", now=sh(2026, 11, 1, 8, 0))
    # November's bill of 3-1-1001 reduced by 20 yuan (a waiver approved by the manager).
    bill = _bill(rooms["3-1-1001"], "2026-11")
    adjustment = Adjustment.objects.create(project=a, room=rooms["3-1-1001"], bill=bill,
                                           kind=AdjustmentKind.WAIVER, amount_fen=-2000, reason="维修期间减免",
                                           status=ApprovalStatus.APPROVED, requested_by=world.users["pm_a"],
                                           requested_at=sh(2026, 11, 12, 9, 0))
    from django.db import transaction

    with transaction.atomic():
        account = ledger.account_lock(room=rooms["3-1-1001"])
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        ledger.post(account=account, kind=EntryKind.ADJUSTMENT, at=sh(2026, 11, 12, 9, 0), bill=bill,
                    adjustment=adjustment, receivable=-2000, actor=world.users["pm_a"])
        ledger.account_refresh(account)
    # The desk's day, 2026-11-23: 1802 pays everything it owes in cash, 3-1-1001 pays November by card, a cash
    # payment typed wrong is voided by the cashier, and B's agent takes money in B.
    owed = sum(bill.open_fen for bill in Bill.objects.filter(room=rooms["3-2-1802"], open_fen__gt=0))
    pay["all_cash"] = payment_take(room=rooms["3-2-1802"], amount=f"{owed / 100:.2f}", method="cash", actor=agent,
                                   payer="周美玲", now=sh(2026, 11, 23, 9, 0))
    pay["card"] = payment_take(room=rooms["3-1-1001"], amount="154.44", method="card", actor=agent, payer="许静",
                               bill_ids=[_bill(rooms["3-1-1001"], "2026-11").pk], now=sh(2026, 11, 23, 9, 30))
    pay["wrong"] = payment_take(room=rooms["3-1-102"], amount="100", method="cash", actor=agent, payer="林芳",
                                now=sh(2026, 11, 23, 9, 40))
    payment_void(payment=pay["wrong"], actor=agent, reason="金额录错", now=sh(2026, 11, 23, 9, 45))
    pay["b"] = payment_take(room=rooms["b"], amount="300", method="cash", actor=agent_b, payer="郑海燕",
                            now=sh(2026, 11, 23, 9, 50))
    return History(world, rooms, pay)
