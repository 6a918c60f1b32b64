import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.servicedesk.rules.transitions import (
    DEPARTMENT_HEAD,
    TRANSITIONS,
    RequestState,
    TransitionRefused,
    WorkOrderAction,
    WorkOrderState,
    available_actions,
    check,
    request_state_from,
)

S = WorkOrderState
A = WorkOrderAction

# The table as the issue states it, written out independently of the module: (state, action) → (target, who,
# needs a reason). "D" dispatcher, "As" assignee, "M" department member (grab), "Mg" manager.
EXPECTED = {
    (S.PENDING, A.DISPATCH): (S.DISPATCHED, {"D"}, False),
    (S.PENDING, A.POOL): (S.POOLED, {"D"}, False),
    (S.POOLED, A.GRAB): (S.ACCEPTED, {"M"}, False),
    (S.POOLED, A.DISPATCH): (S.DISPATCHED, {"D"}, False),
    (S.DISPATCHED, A.ACCEPT): (S.ACCEPTED, {"As"}, False),
    (S.DISPATCHED, A.REJECT): (S.PENDING, {"As"}, True),
    (S.ACCEPTED, A.REJECT): (S.PENDING, {"As"}, True),
    (S.ACCEPTED, A.ARRIVE): (S.ON_SITE, {"As"}, False),
    (S.ACCEPTED, A.HOLD): (S.ON_HOLD, {"As", "D"}, True),
    (S.ON_SITE, A.HOLD): (S.ON_HOLD, {"As", "D"}, True),
    (S.ON_HOLD, A.RESUME): (S.ACCEPTED, {"As", "D"}, False),
    (S.ACCEPTED, A.COMPLETE): (S.COMPLETED, {"As"}, False),
    (S.ON_SITE, A.COMPLETE): (S.COMPLETED, {"As"}, False),
    (S.DISPATCHED, A.REASSIGN): (S.DISPATCHED, {"D"}, True),
    (S.ACCEPTED, A.REASSIGN): (S.DISPATCHED, {"D"}, True),
    (S.ON_SITE, A.REASSIGN): (S.DISPATCHED, {"D"}, True),
    (S.ON_HOLD, A.REASSIGN): (S.DISPATCHED, {"D"}, True),
    (S.PENDING, A.CANCEL): (S.CANCELLED, {"D"}, True),
    (S.POOLED, A.CANCEL): (S.CANCELLED, {"D"}, True),
    (S.DISPATCHED, A.CANCEL): (S.CANCELLED, {"D"}, True),
    (S.ACCEPTED, A.CANCEL): (S.CANCELLED, {"D"}, True),
    (S.ON_SITE, A.CANCEL): (S.CANCELLED, {"D"}, True),
    (S.ON_HOLD, A.CANCEL): (S.CANCELLED, {"D"}, True),
    (S.COMPLETED, A.REOPEN): (S.DISPATCHED, {"D", "Mg"}, True),
}

# Actors, each with the relations a reader expects it to have: (roles, is_assignee, is_department_member, relations).
ACTORS = {
    "agent": ({"agent"}, False, False, {"D"}),
    "steward": ({"steward"}, False, False, set()),
    "technician, not his order": ({"technician"}, False, False, set()),
    "technician of the department": ({"technician"}, False, True, {"M"}),
    "assigned technician": ({"technician"}, True, True, {"As", "M"}),
    "assigned cleaner": ({"dept_staff"}, True, False, {"As"}),
    "cleaning staff of the department": ({"dept_staff"}, False, True, {"M"}),
    "department head": ({"technician", DEPARTMENT_HEAD}, False, True, {"D", "M"}),
    "project manager": ({"project_manager"}, False, False, {"D", "Mg"}),
    "branch leader": ({"branch_leader"}, False, False, {"D", "Mg"}),
    "quality": ({"quality"}, False, False, {"Mg"}),
    "admin": ({"admin"}, False, False, {"D", "Mg"}),
    "agent flagged as department member": ({"agent"}, False, True, {"D"}),
    "resident": ({"resident"}, False, False, set()),
    "nobody": (set(), False, False, set()),
}

ROLE_CODES = ["agent", "steward", "technician", "dept_staff", "project_manager", "branch_leader", "quality", "admin",
              DEPARTMENT_HEAD, "resident"]


def _check(state, action, actor, reason="because"):
    roles, is_assignee, is_member, _ = ACTORS[actor]
    return check(state=state, action=action, actor_roles=frozenset(roles), is_assignee=is_assignee,
                 is_department_member=is_member, reason=reason)


def test_table_is_exactly_the_issue_table():
    assert set(TRANSITIONS) == set(EXPECTED)
    for pair, (target, _, needs_reason) in EXPECTED.items():
        assert TRANSITIONS[pair].target == target, pair
        assert TRANSITIONS[pair].needs_reason == needs_reason, pair


@pytest.mark.parametrize(("state", "action"), list(itertools.product(S, A)), ids=lambda v: v.value)
@pytest.mark.parametrize("actor", list(ACTORS))
def test_every_state_action_pair_for_every_actor(state, action, actor):
    expected = EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(TransitionRefused) as refused:
            _check(state, action, actor)
        assert refused.value.code == "not_allowed_in_state"
        return
    target, who, _ = expected
    if ACTORS[actor][3] & who:
        assert _check(state, action, actor) == target
    else:
        with pytest.raises(TransitionRefused) as refused:
            _check(state, action, actor)
        assert refused.value.code == "not_permitted"


@pytest.mark.parametrize(("state", "action"), [pair for pair, (_, _, needs) in EXPECTED.items() if needs],
                         ids=lambda v: v.value)
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_reason_required(state, action, reason):
    with pytest.raises(TransitionRefused) as refused:
        check(state=state, action=action, actor_roles=frozenset({"admin"}), is_assignee=True,
              is_department_member=True, reason=reason)
    assert refused.value.code == "reason_required"
    assert check(state=state, action=action, actor_roles=frozenset({"admin"}), is_assignee=True,
                 is_department_member=True, reason="resident not at home") == EXPECTED[(state, action)][0]


@pytest.mark.parametrize(("state", "action"), [pair for pair, (_, _, needs) in EXPECTED.items() if not needs],
                         ids=lambda v: v.value)
def test_no_reason_needed_elsewhere(state, action):
    assert check(state=state, action=action, actor_roles=frozenset({"admin", "technician"}), is_assignee=True,
                 is_department_member=True) == EXPECTED[(state, action)][0]


def test_state_is_checked_before_permission_and_permission_before_reason():
    with pytest.raises(TransitionRefused) as refused:
        _check(S.CANCELLED, A.CANCEL, "resident", reason="")
    assert refused.value.code == "not_allowed_in_state"
    with pytest.raises(TransitionRefused) as refused:
        _check(S.PENDING, A.CANCEL, "resident", reason="")
    assert refused.value.code == "not_permitted"


def test_grab_only_by_members_of_the_department_of_a_pooled_order():
    assert _check(S.POOLED, A.GRAB, "technician of the department") == S.ACCEPTED
    assert _check(S.POOLED, A.GRAB, "cleaning staff of the department") == S.ACCEPTED
    for outsider in ("technician, not his order", "agent", "agent flagged as department member", "project manager"):
        with pytest.raises(TransitionRefused) as refused:
            _check(S.POOLED, A.GRAB, outsider)
        assert refused.value.code == "not_permitted", outsider
    for state in set(S) - {S.POOLED}:
        with pytest.raises(TransitionRefused) as refused:
            _check(state, A.GRAB, "technician of the department")
        assert refused.value.code == "not_allowed_in_state", state


def test_final_states():
    assert [action for (state, action) in TRANSITIONS if state == S.COMPLETED] == [A.REOPEN]
    assert [action for (state, action) in TRANSITIONS if state == S.CANCELLED] == []


def test_rejected_order_is_pending_again_and_can_be_dispatched():
    state = _check(S.DISPATCHED, A.REJECT, "assigned technician", reason="not my trade")
    assert state == S.PENDING
    assert _check(state, A.DISPATCH, "agent") == S.DISPATCHED


def test_every_live_state_can_be_cancelled():
    for state in set(S) - {S.COMPLETED, S.CANCELLED}:
        assert _check(state, A.CANCEL, "agent") == S.CANCELLED


def test_a_typical_repair_from_intake_to_completion():
    steps = [(A.DISPATCH, "agent"), (A.ACCEPT, "assigned technician"), (A.ARRIVE, "assigned technician"),
             (A.HOLD, "assigned technician"), (A.RESUME, "assigned technician"), (A.ARRIVE, "assigned technician"),
             (A.COMPLETE, "assigned technician")]
    state = S.PENDING
    for action, actor in steps:
        state = _check(state, action, actor, reason="waiting for parts")
    assert state == S.COMPLETED


def test_unknown_action_and_string_values():
    with pytest.raises(TransitionRefused) as refused:
        check(state="pending", action="teleport", actor_roles=frozenset({"admin"}), is_assignee=False,
              is_department_member=False)
    assert refused.value.code == "not_allowed_in_state"
    assert check(state="pending", action="dispatch", actor_roles=frozenset({"agent"}), is_assignee=False,
                 is_department_member=False) == S.DISPATCHED


def test_refusal_carries_a_translatable_message():
    with pytest.raises(TransitionRefused) as refused:
        _check(S.ON_HOLD, A.COMPLETE, "assigned technician")
    assert refused.value.template == "A work order that is %(state)s cannot be given the action '%(action)s'."
    assert refused.value.params == {"state": "on_hold", "action": "complete"}
    assert str(refused.value) == refused.value.message == "A work order that is on_hold cannot be given the action " \
                                                          "'complete'."


def test_labels_and_styles():
    for transition in TRANSITIONS.values():
        assert transition.label and transition.label[0].isupper()
        assert transition.style in ("primary", "secondary", "danger")
    assert TRANSITIONS[(S.PENDING, A.CANCEL)].style == "danger"
    assert TRANSITIONS[(S.DISPATCHED, A.ACCEPT)].style == "primary"


def test_available_actions_for_the_assigned_technician_on_site():
    actions = [action for action, _ in available_actions(state=S.ON_SITE, actor_roles=frozenset({"technician"}),
                                                         is_assignee=True, is_department_member=True)]
    assert actions == [A.COMPLETE, A.HOLD]


def test_available_actions_order_is_primary_first_danger_last():
    actions = available_actions(state=S.ACCEPTED, actor_roles=frozenset({"admin"}), is_assignee=True,
                                is_department_member=True)
    ranks = [{"primary": 0, "secondary": 1, "danger": 2}[t.style] for _, t in actions]
    assert ranks == sorted(ranks)
    assert [a for a, _ in actions] == [A.ARRIVE, A.COMPLETE, A.HOLD, A.REASSIGN, A.REJECT, A.CANCEL]


@given(state=st.sampled_from(list(S)), roles=st.frozensets(st.sampled_from(ROLE_CODES)),
       is_assignee=st.booleans(), is_member=st.booleans())
def test_available_actions_agree_with_check(state, roles, is_assignee, is_member):
    offered = {action: transition for action, transition in available_actions(
        state=state, actor_roles=roles, is_assignee=is_assignee, is_department_member=is_member)}
    for action in A:
        try:
            target = check(state=state, action=action, actor_roles=roles, is_assignee=is_assignee,
                           is_department_member=is_member, reason="a reason")
        except TransitionRefused:
            assert action not in offered
        else:
            assert offered[action].target == target


@pytest.mark.parametrize(("states", "replied", "cancelled", "expected"), [
    ([], False, False, RequestState.OPEN),  # just recorded
    ([], True, False, RequestState.CLOSED),  # inquiry answered on the phone
    ([S.PENDING], False, False, RequestState.OPEN),
    ([S.POOLED, S.PENDING], True, False, RequestState.OPEN),  # an interim reply closes nothing
    ([S.DISPATCHED], False, False, RequestState.IN_PROGRESS),
    ([S.ON_HOLD], False, False, RequestState.IN_PROGRESS),
    ([S.COMPLETED, S.PENDING], False, False, RequestState.IN_PROGRESS),  # one department done, one to go
    ([S.COMPLETED, S.ON_SITE], True, False, RequestState.IN_PROGRESS),
    ([S.COMPLETED], False, False, RequestState.RESOLVED),
    ([S.COMPLETED, S.CANCELLED], False, False, RequestState.RESOLVED),
    ([S.COMPLETED], True, False, RequestState.CLOSED),
    ([S.COMPLETED, S.CANCELLED, S.COMPLETED], True, False, RequestState.CLOSED),
    ([S.CANCELLED], False, False, RequestState.OPEN),  # the only order withdrawn: back to dispatch
    ([S.CANCELLED, S.ACCEPTED], False, False, RequestState.IN_PROGRESS),
    ([S.CANCELLED], True, False, RequestState.CLOSED),  # withdrawn and answered: nothing was needed
    ([S.ACCEPTED], False, True, RequestState.CANCELLED),
    ([S.COMPLETED], True, True, RequestState.CANCELLED),
])
def test_request_state_from(states, replied, cancelled, expected):
    assert request_state_from(states, replied=replied, cancelled=cancelled) == expected
