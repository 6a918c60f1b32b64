"""A project with its usual fee items, three months of bills (September to November) and an open complaint of
周美玲's home 3-2-1802: what the front desk tests start from."""

from datetime import date

from propdesk.core.testing import sh
from propdesk.fees.models import Bill
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.setup import fee_items_standard
from propdesk.servicedesk.tests.services.helpers import complaint

NOW = sh(2026, 11, 23, 10, 0)
HOME = "3-2-1802"


def billed(world, *, periods=("2026-09", "2026-10", "2026-11"), with_complaint=True):
    fee_items_standard(project=world.project_a, effective_from=date(2026, 1, 1))
    for period in periods:
        bills_generate(project=world.project_a, period_key=period, now=sh(2026, 9, 1, 8, 0))
    if with_complaint:
        complaint(world, now=sh(2026, 10, 20, 9, 0), severity="minor", description="楼上装修噪音一个月没人管")
    return world.room(world.project_a, HOME)


def open_bills(room):
    return list(Bill.objects.filter(room=room, open_fen__gt=0).order_by("due_date", "period_key", "pk"))
