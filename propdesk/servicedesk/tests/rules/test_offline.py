"""What changed between the order a phone saw offline and the order now (rules/offline.py)."""

from propdesk.servicedesk.rules.offline import Change, Seen, changes


def test_nothing_changed_is_no_change():
    assert changes(seen=Seen("accepted", 7), status="accepted", assignee_id=7) == []


def test_the_end_of_the_work_is_named_before_who_had_it():
    assert changes(seen=Seen("dispatched", 7), status="cancelled", assignee_id=None) == [
        Change.CANCELLED, Change.UNASSIGNED]
    assert changes(seen=Seen("on_site", 7), status="completed", assignee_id=8) == [
        Change.COMPLETED, Change.REASSIGNED]


def test_a_colleague_grabbing_the_pooled_order_is_a_reassignment():
    assert changes(seen=Seen("pooled", None), status="accepted", assignee_id=8) == [
        Change.REASSIGNED, Change.STATUS]


def test_reassigned_in_the_same_state():
    assert changes(seen=Seen("dispatched", 7), status="dispatched", assignee_id=8) == [Change.REASSIGNED]


def test_another_state_of_the_same_person():
    assert changes(seen=Seen("accepted", 7), status="on_hold", assignee_id=7) == [Change.STATUS]
