"""The arrears worklist, a home's dunning page, the letter and the ladder, as stewards and finance use them."""

from datetime import date

import pytest
from django.urls import reverse

from propdesk.core.testing import make_resident
from propdesk.fees.models import Account, DunningAction, DunningStep
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.dunning import dunning_sweep
from propdesk.org.models import Room
from propdesk.servicedesk.models import ServiceRequest

from .helpers import NOW, owing

pytestmark = pytest.mark.django_db


def rooms_listed(response) -> list[str]:
    return [account.room.code for account in response.context["page"].object_list]


def test_the_worklist_sorts_by_amount_or_age_and_filters(world, client):
    big = owing(world, "3-2-1802", months=("2026-10", "2026-11"))
    Room.objects.filter(project=world.project_a, code="5-1-301").update(area=60, status="occupied")  # 吴强 rents it
    old = owing(world, "5-1-301", months=("2026-07",))
    owing(world, "3-1-101", months=("2026-11",), project=world.project_b)  # another project, same branch
    client.force_login(world.users["steward_a"])
    url = reverse("fees:arrears")
    by_amount = client.get(url)
    assert by_amount.status_code == 200
    assert rooms_listed(by_amount) == ["3-2-1802", "5-1-301"]  # project A only: the steward's scope
    assert rooms_listed(client.get(url, {"sort": "age"})) == ["5-1-301", "3-2-1802"]
    assert rooms_listed(client.get(url, {"bucket": "3-6"})) == ["5-1-301"]
    assert rooms_listed(client.get(url, {"bucket": "0-3"})) == ["3-2-1802"]
    assert rooms_listed(client.get(url, {"building": big.building_id})) == ["3-2-1802"]
    dunning_sweep(now=NOW)
    assert rooms_listed(client.get(url, {"calls": "1"})) == ["5-1-301"]  # 131 days: the call task is open
    page = client.get(url).content.decode()
    assert "吴强" in page and "周美玲" in page  # the occupant of each home
    assert old.code in page
    client.force_login(world.users["finance_east"])
    assert sorted(rooms_listed(client.get(url))) == ["3-1-101", "3-2-1802", "5-1-301"]  # the branch


def test_the_worklist_shows_open_complaints_and_disputes(world, client):
    room = owing(world)
    agent = world.users["agent_a"]
    for status in ("open", "closed"):
        ServiceRequest.objects.create(project=world.project_a, number=f"TS{status}", channel="phone", kind="complaint",
                                      status=status, contact_name="周美玲", room=room, description="噪音",
                                      received_at=NOW, created_by=agent)
    Account.objects.filter(room=room).update(dispute_open=True, dispute_note="投诉未解决")
    client.force_login(world.users["steward_a"])
    response = client.get(reverse("fees:arrears"))
    account = response.context["page"].object_list[0]
    assert account.open_complaints == 1 and account.dispute_open
    assert "dispute" in response.content.decode()


def test_the_worklist_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries):
    owing(world, "3-2-1802")
    client.force_login(world.users["steward_a"])
    url = reverse("fees:arrears")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    bills_generate(project=world.project_a, period_key="2026-10", now=NOW)  # every home of A owes now
    for number, code in enumerate(("3-1-201", "3-1-301", "5-1-101")):
        make_resident(world.project_a, f"住户{number}", f"1390000{number:04d}", world.room(world.project_a, code))
    dunning_sweep(now=NOW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 30


def test_outsiders_and_other_roles(world, client):
    room = owing(world)
    url = reverse("fees:arrears_home", args=[room.pk])
    client.force_login(world.users["agent_b"])
    assert client.get(reverse("fees:arrears")).status_code == 403  # agents do not chase fees
    client.force_login(world.users["technician_a"])
    assert client.get(url).status_code == 403
    other = owing(world, "3-1-101", months=("2026-11",), project=world.project_b)
    client.force_login(world.users["steward_a"])
    assert client.get(reverse("fees:arrears_home", args=[other.pk])).status_code == 404
    assert client.get(reverse("fees:letter", args=[other.pk])).status_code == 404
    assert client.post(reverse("fees:letter", args=[other.pk])).status_code == 404
    assert client.get(url).status_code == 200
    client.force_login(world.users["resident_a"])
    assert client.get(url).status_code == 403


def test_a_steward_records_a_contact_and_a_dispute(world, client):
    room = owing(world, months=("2026-09", "2026-10", "2026-11"))
    dunning_sweep(now=NOW)
    client.force_login(world.users["steward_a"])
    url = reverse("fees:arrears_home", args=[room.pk])
    bad = client.post(url, {"action": "contact", "channel": "phone", "outcome": "promised", "promise_date": ""})
    assert bad.status_code == 400 and "promise_date" in bad.context["contact"].errors
    assert client.post(url, {"action": "contact", "channel": "phone", "outcome": "promised",
                             "promise_date": "2026-02-30"}).status_code == 400
    done = client.post(url, {"action": "contact", "channel": "visit", "outcome": "promised",
                             "promise_date": "2026-12-05", "note": "上门沟通，月初缴清"})
    assert done.status_code == 302
    account = Account.objects.get(room=room)
    assert account.promise_date == date(2026, 12, 5)
    assert not DunningAction.objects.filter(room=room, step_kind="steward_call", done_at__isnull=True).exists()
    assert client.post(url, {"action": "dispute_open", "note": ""}).status_code == 400
    assert client.post(url, {"action": "dispute_open", "note": "对面积有异议"}).status_code == 302
    page = client.get(url).content.decode()
    assert "对面积有异议" in page and "上门沟通，月初缴清" in page and 'id="dispute-flag"' in page
    assert client.post(url, {"action": "dispute_close", "note": "已复核"}).status_code == 302
    assert not Account.objects.get(room=room).dispute_open


def test_the_letter_lists_the_bills_with_capitals_and_records_printing(world, client):
    room = owing(world)
    client.force_login(world.users["steward_a"])
    url = reverse("fees:letter", args=[room.pk])
    response = client.get(url)
    page = response.content.decode()
    owed = Account.objects.get(room=room).owed_fen
    assert response.status_code == 200
    assert f"¥{owed / 100:.2f}" in page and "元" in page and "2026-10" in page and "翠湖花园" in page
    from propdesk.fees.rules.money import chinese_capitals
    assert chinese_capitals(owed) in page
    assert not DunningAction.objects.filter(room=room, step_kind="printed_notice").exists()
    assert client.post(url).status_code == 302
    assert DunningAction.objects.get(room=room, step_kind="printed_notice").done_at is not None
    nothing = client.post(reverse("fees:letter", args=[world.room(world.project_a, "3-1-101").pk]))
    assert nothing.status_code == 302  # a message: nothing owed, nothing recorded
    assert DunningAction.objects.filter(step_kind="printed_notice").count() == 1


def test_finance_edits_the_ladder_page(world, client):
    owing(world)
    url = reverse("fees:ladder")
    client.force_login(world.users["steward_a"])
    assert client.get(url).status_code == 403
    client.force_login(world.users["finance_east"])
    page = client.get(url, {"project": world.project_a.pk})
    assert page.status_code == 200 and "sms_30d" in page.content.decode()
    assert client.get(url, {"project": world.project_c.pk}).status_code == 404  # the west branch
    rows = page.context["rows"]
    data = {"project": world.project_a.pk, "rows": len(rows)}
    for index, row in enumerate(rows):
        data.update({f"code_{index}": row["code"], f"kind_{index}": row["kind"] or "sms",
                     f"after_days_{index}": row["after_days"], f"after_months_{index}": row["after_months"],
                     f"min_owed_{index}": row["min_owed"]})
        if row["active"]:
            data[f"active_{index}"] = "1"
    data.update({f"code_{len(rows) - 2}": "sms_90d", f"after_days_{len(rows) - 2}": "90",
                 f"min_owed_{len(rows) - 2}": "500"})
    assert client.post(url, data).status_code == 302
    step = DunningStep.objects.get(project=world.project_a, code="sms_90d")
    assert (step.kind, step.after_days, step.min_owed_fen, step.active) == ("sms", 90, 50000, True)
    data[f"after_days_{len(rows) - 2}"] = "-3"
    bad = client.post(url, data)
    assert bad.status_code == 400 and bad.context["errors"]
