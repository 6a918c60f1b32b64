"""roster_assign and friends: instants from the shift on the day, and every refusal with its field message and
nothing written; copying last week; the coverage sweep telling the project managers once per shift-day."""

from datetime import date, time, timedelta

import pytest

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import make_user, sh
from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.duty.selectors.rosters import MANAGERS, on_duty_user_ids
from propdesk.duty.services.rosters import (
    coverage_sweep,
    roster_assign,
    roster_copy_week,
    shift_kind_create,
    shift_kind_delete,
)
from propdesk.notify.models import Notification
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department

from .helpers import engineer, engineering, shifts

pytestmark = pytest.mark.django_db
NOW = sh(2026, 11, 23, 10, 0)
MONDAY = date(2026, 11, 23)


def refused(field, **kwargs) -> str:
    """The refusal's code (its message is on ``field``); nothing written."""
    before = RosterEntry.objects.count()
    with pytest.raises(ApplicationError) as caught:
        roster_assign(now=NOW, **kwargs)
    assert RosterEntry.objects.count() == before
    assert caught.value.field_errors[field][0]
    return caught.value.extra["code"]


def test_a_night_shift_is_stored_from_its_evening_to_the_next_morning(world):
    s = shifts(world)
    entry = roster_assign(actor=world.users["pm_a"], shift=s["night"], day=MONDAY,
                          user_id=world.users["technician_a"].pk, now=NOW)
    assert (entry.starts_at, entry.ends_at) == (sh(2026, 11, 23, 20, 0), sh(2026, 11, 24, 8, 0))
    assert entry.department == engineering(world) and entry.created_by == world.users["pm_a"]
    assert on_duty_user_ids(project_id=world.project_a.pk, at=sh(2026, 11, 24, 3, 0),
                            department_id=engineering(world).pk) == {world.users["technician_a"].pk}
    assert on_duty_user_ids(project_id=world.project_a.pk, at=sh(2026, 11, 24, 8, 0)) == set()


def test_refusals_name_the_field_and_write_nothing(world):
    s = shifts(world)
    pm, tech = world.users["pm_a"], world.users["technician_a"]
    assert "not_eligible" == refused("user", actor=pm, shift=s["night"], day=MONDAY, user_id=world.users["agent_a"].pk)
    other = make_user("tech_b", role="technician", project=world.project_b,
                      department=Department.objects.get(project=world.project_b, kind=DepartmentKind.ENGINEERING))
    assert refused("user", actor=pm, shift=s["night"], day=MONDAY, user_id=other.pk)
    assert refused("user", actor=pm, shift=s["night"], day=MONDAY, user_id="abc")
    assert refused("user", actor=pm, shift=s["night"], day=MONDAY, user_id=10**17)
    gone = engineer(world, "tech_gone", "离职的师傅")
    gone.is_active = False
    gone.save()
    assert "inactive" == refused("user", actor=pm, shift=s["night"], day=MONDAY, user_id=gone.pk)
    # duty managers: a manager, agent or steward of the project; not a technician
    assert refused("user", actor=pm, shift=s["manager"], day=MONDAY, user_id=tech.pk)
    roster_assign(actor=pm, shift=s["manager"], day=MONDAY, user_id=world.users["agent_a"].pk, now=NOW)
    # a duplicate, then an overlap (night shift Monday vs day shift Tuesday starting 08:00 is fine; 白班 Monday
    # 08:00–20:00 and a shift 19:00 overlap)
    roster_assign(actor=pm, shift=s["night"], day=MONDAY, user_id=tech.pk, now=NOW)
    assert "duplicate" == refused("user", actor=pm, shift=s["night"], day=MONDAY, user_id=tech.pk)
    roster_assign(actor=pm, shift=s["day"], day=MONDAY + timedelta(days=1), user_id=tech.pk, now=NOW)  # 08:00 next
    late = ShiftKind.objects.create(project=world.project_a, department=engineering(world), name="加班",
                                    starts=time(19), ends=time(23))
    assert refused("user", actor=pm, shift=late, day=MONDAY, user_id=tech.pk) == "overlap"
    with pytest.raises(ApplicationError) as caught:
        roster_assign(actor=pm, shift=late, day=MONDAY, user_id=tech.pk, now=NOW)
    message = caught.value.field_errors["user"][0]
    assert "刘师傅" in message and "夜班" in message and "20:00–08:00" in message
    assert refused("day", actor=pm, shift=s["night"], day=date(2028, 1, 1), user_id=tech.pk)
    s["day"].is_active = False
    s["day"].save()
    assert refused("shift", actor=pm, shift=s["day"], day=MONDAY + timedelta(days=3), user_id=tech.pk)


def test_shift_kinds_refuse_a_name_twice_and_another_projects_department(world):
    eng = engineering(world)
    shift_kind_create(actor=None, project=world.project_a, department=eng, name="早班", starts=time(8),
                      ends=time(16))
    with pytest.raises(ApplicationError) as caught:
        shift_kind_create(actor=None, project=world.project_a, department=eng, name="早班", starts=time(9),
                          ends=time(17))
    assert caught.value.field_errors["name"]
    other = Department.objects.get(project=world.project_b, kind=DepartmentKind.ENGINEERING)
    with pytest.raises(ApplicationError) as caught:
        shift_kind_create(actor=None, project=world.project_a, department=other, name="X", starts=time(8),
                          ends=time(16), min_people=0)
    assert set(caught.value.field_errors) == {"department", "min_people"}
    assert ShiftKind.objects.count() == 1


def test_a_shift_with_entries_is_retired_not_deleted(world):
    s = shifts(world)
    roster_assign(actor=None, shift=s["night"], day=MONDAY, user_id=world.users["technician_a"].pk, now=NOW)
    assert shift_kind_delete(actor=None, shift=s["night"]) is False
    s["night"].refresh_from_db()
    assert s["night"].is_active is False
    assert shift_kind_delete(actor=None, shift=s["day"]) is True


def test_copy_last_week_skips_whoever_cannot_be_scheduled(world):
    s = shifts(world)
    tech, other = world.users["technician_a"], engineer(world)
    last = MONDAY - timedelta(days=7)
    for offset in range(3):
        roster_assign(actor=None, shift=s["night"], day=last + timedelta(days=offset), user_id=tech.pk, now=NOW)
    roster_assign(actor=None, shift=s["day"], day=last, user_id=other.pk, now=NOW)
    # this week 周一 the second engineer already works the night shift: copying his day shift would not overlap;
    # but tech already has a day shift on Tuesday 08:00–20:00, overlapping nothing of the copied nights either
    roster_assign(actor=None, shift=s["day"], day=MONDAY + timedelta(days=2), user_id=tech.pk, now=NOW)
    late = ShiftKind.objects.create(project=world.project_a, department=engineering(world), name="加班",
                                    starts=time(19), ends=time(23))
    roster_assign(actor=None, shift=late, day=MONDAY + timedelta(days=1), user_id=tech.pk, now=NOW)
    copied, skipped = roster_copy_week(actor=None, project=world.project_a, department=engineering(world),
                                       monday=MONDAY + timedelta(days=3), now=NOW)
    assert copied == 3 and len(skipped) == 1 and "加班" in skipped[0]
    again = roster_copy_week(actor=None, project=world.project_a, department=engineering(world), monday=MONDAY,
                             now=NOW)
    assert again == (0, [skipped[0]])  # the copies are there already: nothing twice


def test_the_coverage_sweep_tells_the_project_managers_once_per_shift_day(world):
    s = shifts(world)
    s["manager"].is_active = False
    s["manager"].save()
    tech, other = world.users["technician_a"], engineer(world)
    for offset in range(8):
        day = MONDAY + timedelta(days=offset)
        roster_assign(actor=None, shift=s["day"], day=day, user_id=other.pk, now=NOW)
        if offset != 4:  # Friday night nobody
            roster_assign(actor=None, shift=s["night"], day=day, user_id=tech.pk, now=NOW)
    assert coverage_sweep(now=NOW) == 1
    assert coverage_sweep(now=NOW + timedelta(hours=1)) == 1
    told = Notification.objects.filter(kind="roster_gap")
    assert list(told.values_list("recipient__username", flat=True)) == ["pm_a"]
    note = told.get()
    assert "夜班" in note.title and "2026-11-27" in note.title and "department=" in note.url
    # the day after, Tuesday 12-01 comes into view: its two shifts are empty
    assert coverage_sweep(now=NOW + timedelta(days=1)) == 3
    assert told.count() == 3


def test_on_duty_managers_are_the_shifts_without_a_department(world):
    s = shifts(world)
    roster_assign(actor=None, shift=s["manager"], day=MONDAY, user_id=world.users["steward_a"].pk, now=NOW)
    assert on_duty_user_ids(project_id=world.project_a.pk, at=sh(2026, 11, 23, 23, 0),
                            department_id=MANAGERS) == {world.users["steward_a"].pk}
