from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from propdesk.duty.rules import logs as rules


def test_chain_keys_separate_people_and_departments():
    assert rules.chain_key(kind="work", project_id=1, author_id=7) == "work:7"
    assert rules.chain_key(kind="duty", project_id=1, department_id=3) == "duty:1:3"
    assert rules.chain_key(kind="duty", project_id=1) == "duty:1:mgr"


def test_status_table():
    assert rules.allowed("draft", "edit") and rules.allowed("draft", "submit")
    assert not rules.allowed("submitted", "edit") and rules.allowed("submitted", "sign")
    assert not rules.allowed("signed", "edit") and not rules.allowed("signed", "sign")
    assert not rules.allowed("draft", "sign") and not rules.allowed("draft", "acknowledge")


def test_who_signs():
    sign = rules.may_sign
    assert sign(signer_role="project_manager", signer_id=1, author_id=2, kind="duty", author_role="technician")
    assert sign(signer_role="agent", signer_id=1, author_id=2, kind="work", author_role="steward")
    assert not sign(signer_role="agent", signer_id=1, author_id=2, kind="work", author_role="agent")
    assert not sign(signer_role="agent", signer_id=1, author_id=2, kind="duty", author_role="steward")
    assert not sign(signer_role="project_manager", signer_id=2, author_id=2, kind="work", author_role="project_manager")
    assert not sign(signer_role="steward", signer_id=1, author_id=2, kind="work", author_role="steward")


items = st.lists(st.builds(rules.OpenItem, id=st.integers(1, 10**6), text=st.text(max_size=5),
                           request_number=st.just(""), started_on=st.dates(), done=st.booleans()), max_size=20)


@given(items)
def test_carry_over_keeps_the_open_items_in_order_with_their_start(previous):
    carried = rules.items_to_carry(previous)
    assert carried == [item for item in previous if not item.done]
    assert all(not item.done for item in carried)


@given(st.dates(), st.dates())
def test_days_open_is_never_negative(started, today):
    assert rules.days_open(started, today) >= 0
    assert rules.days_open(date(2026, 11, 20), date(2026, 11, 23)) == 3
