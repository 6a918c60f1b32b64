"""When a resident's next home visit is due: the most frequent plan wins, never visited is due now, a complaint
since the last visit brings the visit forward; month arithmetic and quiet hours."""

from datetime import date, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from propdesk.stewardship.rules.visits import (
    PlanRule,
    add_months,
    in_quiet_hours,
    month_bounds,
    next_due,
    status,
    targets_of,
)

TODAY = date(2026, 11, 23)
DEFAULTS = [PlanRule("elderly_alone", "monthly"), PlanRule("vip", "quarterly"),
            PlanRule("frequent_complainant", "after_complaint", 3), PlanRule("former_committee", "quarterly")]


def test_targets_from_flags_and_segment():
    assert targets_of(segment="retirees", flags={"is_vip", "is_elderly_alone"}) == {
        "vip", "elderly_alone", "segment:retirees"}
    assert targets_of(segment="", flags=set()) == set()


def test_never_visited_is_due_today():
    due = next_due(plans=DEFAULTS, targets={"vip"}, last_visit=None, first_complaint_since=None, today=TODAY)
    assert due.due_on == TODAY and due.frequency == "quarterly"


def test_the_most_frequent_plan_wins():
    due = next_due(plans=DEFAULTS, targets={"vip", "elderly_alone"}, last_visit=date(2026, 10, 31),
                   first_complaint_since=None, today=TODAY)
    assert (due.due_on, due.target) == (date(2026, 11, 30), "elderly_alone")


def test_a_complaint_brings_the_visit_forward_and_only_after_complaint_plans_wait_for_one():
    targets = {"frequent_complainant", "vip"}
    due = next_due(plans=DEFAULTS, targets=targets, last_visit=date(2026, 10, 1),
                   first_complaint_since=date(2026, 11, 10), today=TODAY)
    assert (due.due_on, due.target) == (date(2026, 11, 13), "frequent_complainant")
    assert next_due(plans=DEFAULTS, targets={"frequent_complainant"}, last_visit=None,
                    first_complaint_since=None, today=TODAY) is None


def test_no_plan_applies():
    assert next_due(plans=DEFAULTS, targets={"segment:retirees"}, last_visit=None, first_complaint_since=None,
                    today=TODAY) is None


def test_month_ends_and_status():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert month_bounds(TODAY) == (date(2026, 11, 1), date(2026, 11, 30))
    assert [status(TODAY - timedelta(days=1), TODAY), status(TODAY, TODAY), status(TODAY + timedelta(1), TODAY)] == [
        "overdue", "due", "upcoming"]


def test_quiet_hours_span_midnight():
    assert in_quiet_hours(time(22, 0), time(21, 0), time(8, 0))
    assert in_quiet_hours(time(7, 59), time(21, 0), time(8, 0))
    assert not in_quiet_hours(time(8, 0), time(21, 0), time(8, 0))
    assert not in_quiet_hours(time(12, 0), time(12, 0), time(12, 0))
    assert in_quiet_hours(time(13, 0), time(12, 0), time(14, 0))


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
frequencies = st.sampled_from(["monthly", "quarterly", "half_yearly", "yearly"])


@given(day=days, months=st.integers(min_value=-24, max_value=120))
def test_add_months_lands_in_the_right_month_never_later_in_it(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day and (moved.day == day.day or moved.day >= 28)


@given(last=days, today=days, chosen=st.lists(frequencies, min_size=1, max_size=4),
       complaint=st.one_of(st.none(), days), after=st.integers(min_value=1, max_value=30))
def test_due_is_the_earliest_of_the_plans_and_never_before_the_last_visit(last, today, chosen, complaint, after):
    plans = [PlanRule(f"t{i}", f) for i, f in enumerate(chosen)] + [PlanRule("fc", "after_complaint", after)]
    targets = {p.target for p in plans}
    due = next_due(plans=plans, targets=targets, last_visit=last, first_complaint_since=complaint, today=today)
    each = [next_due(plans=[p], targets=targets, last_visit=last, first_complaint_since=complaint, today=today)
            for p in plans]
    assert due.due_on == min(d.due_on for d in each if d is not None)
    assert due.due_on > last or (complaint is not None and due.due_on <= complaint + timedelta(days=after))
    assert due.due_on <= add_months(last, 12)
    # adding a more frequent plan never makes the visit later
    more = next_due(plans=[*plans, PlanRule("m", "monthly")], targets=targets | {"m"}, last_visit=last,
                    first_complaint_since=complaint, today=today)
    assert more.due_on <= due.due_on and more.due_on <= add_months(last, 1)
