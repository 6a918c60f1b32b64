"""Numbers a resident reads out on the phone are unique in the company: requests, work orders and receipts start
with their project's prefix, the database refuses a number twice, and the printed receipt is a receipt (付款人,
收款单位, amount in figures and capitals, payment method, stamp line, cashier, copy marks)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from propdesk.core.testing import make_user
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.models import Payment, PriceItem, ServiceRequest, WorkOrder
from propdesk.servicedesk.services.payments import QuoteLineInput, payment_record, quote_agree, quote_create
from propdesk.servicedesk.services.prices import price_list_add_defaults
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 30, 9, 30, tzinfo=SH)


def staff_of(world, project):
    """A dispatcher (the project manager) and a technician of ``project``."""
    if project == world.project_a:
        return world.users["pm_a"], world.users["technician_a"]
    eng = Department.objects.get(project=project, kind=DepartmentKind.ENGINEERING)
    return (make_user(f"pm_{project.code}", role="project_manager", project=project, display_name="黄经理"),
            make_user(f"tech_{project.code}", role="technician", project=project, department=eng,
                      display_name="方师傅"))


def repair(world, project, *, now=NOW, contact="方小红", dispatcher=None):
    dispatcher = dispatcher or staff_of(world, project)[0]
    return request_submit(actor=dispatcher, project=project, now=now, data=RequestInput(
        channel="phone", kind="repair", description="卫生间水龙头关不紧，一直滴水", contact_name=contact,
        contact_phone="13955556666", room_id=world.room(project, "3-2-1802").pk))


def paid(world, project, *, now=NOW, method="cash"):
    """A repair of ``project`` dispatched, quoted (one valve, ¥30 × 4 = ¥120), agreed and paid at ``now``."""
    dispatcher, tech = staff_of(world, project)
    sr = repair(world, project, now=now, dispatcher=dispatcher)
    eng = Department.objects.get(project=project, kind=DepartmentKind.ENGINEERING)
    wo = workorder_create(request=sr, department=eng, actor=dispatcher, now=now)
    workorder_act(work_order=wo, actor=dispatcher, action="dispatch", assignee_id=tech.pk, now=now)
    workorder_act(work_order=wo, actor=tech, action="accept", now=now)
    price_list_add_defaults(project=project, actor=world.users["admin"])
    valve = PriceItem.objects.get(project=project, name="更换水龙头阀芯")
    quote_create(work_order=wo, lines=[QuoteLineInput(valve.pk, 4)], actor=tech, now=now)
    quote_agree(work_order=wo, actor=tech, method="in_person", now=now)
    return payment_record(work_order=wo, amount="120", method=method, actor=tech, now=now)


# Request and work-order numbers ----------------------------------------------------------------------------------

def test_the_first_requests_of_a_day_in_two_projects_get_different_numbers(world):
    a, b = world.project_a, world.project_b
    first_a, first_b = repair(world, a), repair(world, b)
    second_a = repair(world, a)
    assert first_a.number == f"{a.number_prefix}-261130-001" and second_a.number == f"{a.number_prefix}-261130-002"
    assert first_b.number == f"{b.number_prefix}-261130-001"
    assert a.number_prefix != b.number_prefix
    dispatcher = world.users["pm_a"]
    wo = workorder_create(request=first_a, department=Department.objects.get(project=a, kind="engineering"),
                          actor=dispatcher, now=NOW)
    assert wo.number == f"{a.number_prefix}-261130-001-1"


def test_the_database_refuses_a_request_or_work_order_number_used_in_another_project(world):
    taken = repair(world, world.project_a)
    other = repair(world, world.project_b)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.filter(pk=other.pk).update(number=taken.number)
    eng = Department.objects.get(project=world.project_a, kind="engineering")
    wo = workorder_create(request=taken, department=eng, actor=world.users["pm_a"], now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkOrder.objects.create(request=other, project=world.project_b, number=wo.number,
                                 department=Department.objects.get(project=world.project_b, kind="engineering"))


def test_a_project_gets_a_prefix_of_its_own(world):
    prefixes = [p.number_prefix for p in (world.project_a, world.project_b, world.project_c)]
    assert len(set(prefixes)) == 3 and all(p.isalpha() and p.isupper() and 2 <= len(p) <= 4 for p in prefixes)


# Receipts --------------------------------------------------------------------------------------------------------

def test_receipts_of_two_projects_are_told_apart_and_unique(world):
    in_a, in_b = paid(world, world.project_a), paid(world, world.project_b)
    assert in_a.receipt_number == f"{world.project_a.number_prefix}-RC2026000001"
    assert in_b.receipt_number == f"{world.project_b.number_prefix}-RC2026000001"
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=in_b.pk).update(receipt_number=in_a.receipt_number)


def test_the_printed_receipt_names_payer_payee_method_amounts_stamp_cashier_and_copies(world, login):
    with time_machine.travel(NOW, tick=False):
        payment = paid(world, world.project_a, method="cash")
        page = login(world.users["pm_a"]).get(reverse("servicedesk:receipt", args=[payment.pk])).content.decode()
    assert "付款人:</span> <span class=\"payer\">方小红</span>" in page
    assert "付款方式:</span> <span class=\"method\">现金</span>" in page
    assert "付款方式: 方小红" not in page and "付款方式:</span> <span class=\"payer\">" not in page
    assert "收款单位:</span> <span class=\"payee\">万家物业服务有限公司 翠湖花园</span>" in page
    assert "壹佰贰拾元整" in page and "¥120.00" in page and "小写" in page
    assert "收款单位（盖章）" in page and "收款人: 刘师傅" in page and "付款人签名" in page
    for copy in ("第一联 存根", "第二联 交款人", "第三联 记账"):
        assert f'<div class="copy-mark">{copy}</div>' in page, copy
    assert page.count(payment.receipt_number) >= 3 and page.count('id="receipt-number"') == 1
    assert payment.amount == Decimal("120.00")


def test_a_voided_receipt_keeps_its_prefixed_number(world, login):
    payment = paid(world, world.project_a)
    number = payment.receipt_number
    login(world.users["pm_a"]).post(reverse("servicedesk:receipt_void", args=[payment.pk]),
                                    {"reason": "收款方式记错"})
    payment.refresh_from_db()
    assert payment.is_void and payment.receipt_number == number
