"""The project manager's dashboard shows what renovation, move-in and violations need right now (issue 14), each
figure opening the list behind it; the menu leads a PM and a steward to the three processes."""

from datetime import date, timedelta

import pytest

from propdesk.core.testing import sh
from propdesk.org.models import Room
from propdesk.renovation.models import Renovation

pytestmark = pytest.mark.django_db
NOW = sh(2026, 11, 23, 10, 0)


def waiting_renovation(world, *, days_ago: int) -> Renovation:
    room = Room.objects.get(project=world.project_a, code="3-2-1802")
    applied = NOW - timedelta(days=days_ago)
    return Renovation.objects.create(
        project=world.project_a, building_id=room.building_id, room=room, number=f"ZXA{days_ago:03d}",
        channel="app", applicant_name="周美玲", applicant_phone="13812345678", contractor_name="上海美家装饰",
        contractor_contact="孙立新", contractor_phone="13611112222", planned_start=date(2026, 12, 1),
        planned_end=date(2026, 12, 31), created_at=applied, created_by=world.users["agent_a"])


def test_the_pm_sees_renovations_waiting_with_an_alert_and_a_link(login, world):
    waiting_renovation(world, days_ago=5)  # waiting longer than three days
    page = login(world.users["pm_a"]).get("/reports/")
    assert page.status_code == 200
    figures = {f["key"]: f for f in page.context["processes"]}
    assert figures["renovations_waiting"]["value"] == 1 and figures["renovations_waiting"]["alert"]
    body = page.content.decode()
    assert 'id="process-cards"' in body and "装修 · 交房 · 违章" in body
    assert 'href="/renovation/?status=submitted"' in body
    assert list(figures) == ["renovations_waiting", "renovations_in_progress", "renovation_inspections_due",
                             "renovation_inspections_overdue", "renovation_rectifications_overdue",
                             "renovation_refunds_pending", "handovers_today", "handover_bookings_week",
                             "handover_defects_open", "handover_defects_overdue", "violations_open",
                             "violations_overdue", "violations_referred"]
    assert not any(f["alert"] for key, f in figures.items() if key != "renovations_waiting")


def test_a_fresh_application_is_counted_without_an_alert(login, world):
    waiting_renovation(world, days_ago=1)
    figures = {f["key"]: f for f in login(world.users["pm_a"]).get("/reports/").context["processes"]}
    assert figures["renovations_waiting"]["value"] == 1 and not figures["renovations_waiting"]["alert"]


def test_the_menu_leads_to_the_three_processes_by_role(login, world):
    pm_menu = [i["name"] for i in login(world.users["pm_a"]).get("/reports/").context["nav_items"]]
    assert {"renovation:list", "movein:handover_list", "violations:violation_list"} <= set(pm_menu)
    steward = login(world.users["steward_a"]).get("/renovation/inspections/")
    items = {i["name"]: i for i in steward.context["nav_items"]}
    assert items["renovation:inspection_worklist"]["active"] and "violations:violation_new" in items
    assert "movein:slot_list" not in items
