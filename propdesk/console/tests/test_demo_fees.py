"""Fees of the demo: a year of bills for every home, payments that balance with the ledger, prepayments drawn,
a tail of long arrears, readings with an alarm, dunning in progress, and the finance officer's login."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.db.models import Max

from propdesk.console.demo import DEMO_PASSWORD, build_demo, demo_logins
from propdesk.console.demo.fees import collection_lines
from propdesk.core.models import Counter as Sequence
from propdesk.core.testing import password_login
from propdesk.fees.models import Account, Bill, DunningAction, LedgerEntry, MeterReading, Payment
from propdesk.fees.tests.ledger_check import assert_ledger_balances
from propdesk.org.models import Project, Room
from propdesk.servicedesk.rules import numbers
from propdesk.staff.models import StaffProfile

TODAY = date(2026, 11, 20)


@pytest.mark.django_db
def test_the_demo_has_a_year_of_fees(client):
    """One build (a small one takes a minute): bills and payments, then readings and dunning, then the rate."""
    out = StringIO()
    build_demo(seed=42, scale=0.02, today=TODAY, stdout=out)
    bills_and_payments(out.getvalue())
    readings_dunning_and_the_finance_login(client)
    collection_rate_is_summed_per_project()


def bills_and_payments(demo: str):
    for project in Project.objects.all():
        months = set(Bill.objects.filter(project=project, item__code="property").values_list("period_key", flat=True))
        assert {f"2025-{m:02d}" for m in (12,)} | {f"2026-{m:02d}" for m in range(1, 12)} <= months
        assert all(key >= "2025-10" for key in months)  # long arrears reach back 14 months at most
        # every home but those of the building being handed over (issue 14: billed from their handover on)
        homes = Room.objects.filter(project=project, handover_buyer__isnull=True).count()
        assert Bill.objects.filter(project=project, period_key="2026-11", item__code="property").count() == homes
    assert_ledger_balances()

    payments = Payment.objects.all()
    assert len(set(payments.values_list("receipt_number", flat=True))) == payments.count()
    for project in Project.objects.all():
        last = Sequence.objects.get(key=numbers.receipt_counter_key(project.pk)).value
        used = [int(n[-6:]) for n in Payment.objects.filter(project=project).values_list("receipt_number", flat=True)]
        assert max(used) <= last  # new receipts continue after the demo's (paid repairs took the rest)
    methods = Counter(payments.values_list("method", flat=True))
    assert methods["wechat"] + methods["alipay"] > methods["cash"] > 0
    assert payments.filter(channel="app").exists() and payments.filter(channel="desk").exists()
    assert not payments.filter(paid_at__date__gt=TODAY).exists()
    assert LedgerEntry.objects.filter(kind="prepay").exists()
    assert LedgerEntry.objects.filter(kind="prepay_draw").exists()  # billing runs drew later bills from them
    # Most homes are up to date; a tail owes six months or more.
    owing = Account.objects.filter(owed_fen__gt=0)
    assert owing.count() < Account.objects.count() * 0.35
    assert Account.objects.filter(oldest_due__lte=date(2026, 5, 20)).exists()
    # Recent handovers are prorated: their first bill is a fraction of a month.
    assert Bill.objects.filter(description__contains="/").exists()
    assert "收缴率 2026-10" in demo and "fees took" in demo


def readings_dunning_and_the_finance_login(client):
    # the demo's own readings, not the opening readings taken at the handovers of issue 14's building
    readings = MeterReading.objects.filter(room__handover_buyer__isnull=True)
    assert readings.count() == 12 and readings.filter(alarm=True).count() == 1
    assert len({r.room.building_id for r in readings.select_related("room")}) == 1

    steward = StaffProfile.objects.get(user__username="steward_cuihu").user
    assert DunningAction.objects.filter(step_kind="steward_call", done_at__isnull=True, actor=steward).exists()
    assert DunningAction.objects.filter(step_kind="app_reminder").exists()
    assert DunningAction.objects.filter(step_kind="sms").exists()
    assert Account.objects.filter(promise_date__gt=TODAY).exists()
    disputed = Account.objects.get(dispute_open=True)
    assert disputed.owed_fen > 0 and "投诉" in disputed.dispute_note
    # Nothing was sent to a disputed account after the dispute was opened.
    dispute_at = DunningAction.objects.get(room_id=disputed.room_id, outcome="dispute").at
    assert not DunningAction.objects.filter(room_id=disputed.room_id, at__gt=dispute_at).exists()
    # Steps are sent once per arrears episode.
    steps = DunningAction.objects.exclude(step_code="").values_list("room_id", "step_code", "episode_due")
    assert len(steps) == len(set(steps))
    assert DunningAction.objects.aggregate(last=Max("at"))["last"].date() <= TODAY

    finance = StaffProfile.objects.select_related("branch").get(user__username="finance_east")
    assert finance.role == "finance" and finance.branch.code == "east"
    assert any(login.username == "finance_east" for login in demo_logins())
    assert password_login(client, "finance_east", DEMO_PASSWORD)


def collection_rate_is_summed_per_project():
    line = collection_lines(list(Project.objects.order_by("pk")), date(2026, 10, 1))[0]
    assert line.startswith("  收缴率 2026-10: ") and "翠湖花园" in line
    rate = float(line.split(": ")[1].split("%")[0])
    assert 70 < rate < 100
