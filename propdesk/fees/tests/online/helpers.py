"""Shared set-up of the online-payment tests: project A's standard fee items and two months of bills."""

from datetime import date

from propdesk.core.testing import sh
from propdesk.fees.models import Bill
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.gateway import SimulatedGateway
from propdesk.fees.services.online import online_callback, online_order_create
from propdesk.fees.services.setup import fee_items_standard

NOW = sh(2026, 11, 23, 10, 0)
HOME = "3-2-1802"  # resident_a's (周美玲) home in project A


def billed(world):
    fee_items_standard(project=world.project_a, effective_from=date(2026, 1, 1))
    for period in ("2026-10", "2026-11"):
        bills_generate(project=world.project_a, period_key=period, now=NOW)
    return world.room(world.project_a, HOME)


def open_bills(room):
    return list(Bill.objects.filter(room=room, open_fen__gt=0).order_by("due_date", "pk"))


def order_for(world, room, bills, method="wechat"):
    return online_order_create(room=room, bill_ids=[b.pk for b in bills], method=method,
                               actor=world.users["resident_a"], now=NOW)


def signed(order, **kwargs):
    return SimulatedGateway().callback_payload(order, now=kwargs.pop("now", NOW), **kwargs)


def pay(order, **kwargs):
    return online_callback(payload=signed(order, **kwargs), now=NOW)
