"""Finding a home in one search box and reading its account, within the user's scope."""

from datetime import date

import pytest

from propdesk.fees.selectors.accounts import account_detail, home_search
from propdesk.fees.services.payments import payment_take, payment_void
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .helpers import HOME, NOW, billed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("q", ["13812345678", "138 1234 5678", "+86 138-1234-5678", "5678", "3-2-1802",
                               "3栋2单元1802", "周美玲", "美玲"])
def test_one_box_finds_the_home_by_phone_room_code_or_name(world, q):
    room = billed(world, with_complaint=False)
    hits = home_search(user=world.users["agent_a"], q=q)
    assert room.pk in [hit.pk for hit in hits], q
    hit = next(h for h in hits if h.pk == room.pk)
    assert hit.owed_fen > 0 and hit.occupants[0].name == "周美玲" and hit.occupants[0].relation == "owner"
    assert hit.occupants[0].phone == "138****5678"  # masked in the list


def test_another_projects_homes_are_not_found(world):
    billed(world, with_complaint=False)
    assert home_search(user=world.users["agent_b"], q="周美玲") == []
    assert home_search(user=world.users["agent_b"], q="13812345678") == []
    assert all(h.project_id == world.project_b.pk for h in home_search(user=world.users["agent_b"], q=HOME))
    assert home_search(user=world.users["agent_a"], q="   ") == []
    assert home_search(user=world.users["agent_a"], q="不存在的人") == []


def test_the_account_groups_open_bills_per_item_with_late_fees_accruing_and_open_complaints(world):
    room = billed(world)
    detail = account_detail(user=world.users["agent_a"], room_id=room.pk, on=date(2026, 11, 23))
    assert [g.item.code for g in detail.groups] == ["property", "garbage"]
    property_bills = detail.groups[0].bills
    assert [b.period_key for b in property_bills] == ["2026-09", "2026-10", "2026-11"]
    september = property_bills[0]
    # 89 m² × 2.80 = 249.20 due 2026-09-15; 0.05 % a day for 69 days
    assert september.open_fen == 24920 and september.days_overdue == 69
    assert september.late_fee_fen == round(24920 * 5 * 69 / 10000)
    assert detail.late_fee_fen == sum(b.late_fee_fen for b in detail.open_bills)
    assert detail.groups[1].bills[0].late_fee_fen == 0  # 垃圾清运费 charges no late fee
    # three months of 249.20 and two quarters (Q3, Q4) of 垃圾清运费 30.00
    assert detail.owed_fen == 3 * 24920 + 2 * 3000 and detail.owed_capitals == "捌佰零柒元陆角整"
    assert [c.description for c in detail.complaints] == ["楼上装修噪音一个月没人管"]
    assert detail.payer == "周美玲"


def test_payments_appear_with_void_marked(world):
    room = billed(world, with_complaint=False)
    agent = world.users["agent_a"]
    september = account_detail(user=agent, room_id=room.pk, on=date(2026, 11, 23)).groups[0].bills[0]
    paid = payment_take(room=room, amount="249.20", method="cash", actor=agent, payer="周美玲", bill_ids=[september.pk],
                        match_chosen=True, now=NOW)
    wrong = payment_take(room=room, amount="1", method="cash", actor=agent, payer="周美玲", now=NOW)
    payment_void(payment=wrong, actor=agent, reason="金额录错", now=NOW)
    detail = account_detail(user=agent, room_id=room.pk, on=date(2026, 11, 23))
    assert [(p.receipt_number, p.is_void) for p in detail.payments] == [(wrong.receipt_number, True),
                                                                         (paid.receipt_number, False)]
    assert [b.period_key for b in detail.groups[0].bills] == ["2026-10", "2026-11"]
    assert_ledger_balances()


def test_the_account_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    room = billed(world, periods=("2026-11",))
    agent = world.users["agent_a"]
    with django_assert_max_num_queries(12) as few:
        account_detail(user=agent, room_id=room.pk, on=date(2026, 11, 23))
    billed(world, periods=("2026-06", "2026-07", "2026-08", "2026-09", "2026-10"))
    for _ in range(3):
        payment_take(room=room, amount="10", method="cash", actor=agent, payer="周美玲", now=NOW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        account_detail(user=agent, room_id=room.pk, on=date(2026, 11, 23))
