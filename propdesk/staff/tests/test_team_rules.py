"""Pure rules of staffdesk: what a request needs, certificate states, the ranking of people, mobiles."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.staff.rules.skills import (
    Candidate,
    CertificateKind,
    CertificateState,
    Need,
    Skill,
    certificate_state,
    counts,
    needed_for,
    rank,
)
from propdesk.staff.rules.team import InvalidMobile, givable_roles, normalize_mobile, temporary_password


@pytest.mark.parametrize(("text", "skills", "certificates"), [
    ("卫生间漏水，楼下天花板在滴", {Skill.PLUMBING_ELECTRICAL}, set()),
    ("马桶堵塞", {Skill.PLUMBING_ELECTRICAL}, set()),
    ("厨房插座没电，一用就跳闸", {Skill.PLUMBING_ELECTRICAL}, {CertificateKind.ELECTRICIAN}),
    ("客厅空调不制冷", {Skill.AIR_CONDITIONING}, set()),
    ("3号楼电梯困人", {Skill.LIFT}, {CertificateKind.LIFT}),
    ("楼道烟感一直响", {Skill.FIRE}, {CertificateKind.FIRE_OPERATOR}),
    ("空调外机漏水", {Skill.AIR_CONDITIONING, Skill.PLUMBING_ELECTRICAL}, set()),
    ("邻居装修噪音太大", set(), set()),
    ("", set(), set()),
])
def test_needed_for_reads_the_words(text, skills, certificates):
    assert needed_for(text) == Need(frozenset(skills), frozenset(certificates))


def test_certificate_states_around_the_dates():
    today = date(2026, 11, 23)
    assert certificate_state(today, today) == CertificateState.EXPIRING  # valid through the printed date
    assert certificate_state(today - timedelta(days=1), today) == CertificateState.EXPIRED
    assert certificate_state(today + timedelta(days=29), today) == CertificateState.EXPIRING
    assert certificate_state(today + timedelta(days=30), today) == CertificateState.VALID
    assert not counts(today - timedelta(days=1), today) and counts(today, today)


@given(st.dates(), st.dates())
def test_expired_exactly_when_past(valid_until, today):
    assert (certificate_state(valid_until, today) == CertificateState.EXPIRED) == (valid_until < today)


candidates = st.builds(
    Candidate, user_id=st.integers(1, 10_000), name=st.sampled_from(["刘师傅", "王师傅", "张工", "李工"]),
    on_duty=st.booleans(), skills=st.frozensets(st.sampled_from(list(Skill))),
    certificates=st.frozensets(st.sampled_from(list(CertificateKind))), open_orders=st.integers(0, 50))
needs = st.builds(Need, st.frozensets(st.sampled_from(list(Skill)), max_size=2),
                  st.frozensets(st.sampled_from(list(CertificateKind)), max_size=1))


@given(st.lists(candidates, max_size=12, unique_by=lambda c: c.user_id), needs)
def test_rank_puts_on_duty_first_then_skilled_then_least_loaded(people, need):
    ranked = rank(people, need)
    assert sorted(c.user_id for c in ranked) == sorted(c.user_id for c in people)  # nobody lost or added
    on_duty = [c.on_duty for c in ranked]
    assert on_duty == sorted(on_duty, reverse=True)
    for first, second in zip(ranked, ranked[1:], strict=False):
        if first.on_duty == second.on_duty:
            first_skilled = need.skills <= first.skills
            second_skilled = need.skills <= second.skills
            assert first_skilled or not second_skilled
            if first_skilled == second_skilled and ((need.certificates <= first.certificates)
                                                    == (need.certificates <= second.certificates)):
                assert first.open_orders <= second.open_orders


def test_rank_example():
    need = needed_for("插座跳闸")
    busy_electrician = Candidate(1, "王师傅", True, frozenset({"plumbing_electrical"}), frozenset({"electrician"}), 3)
    idle_no_licence = Candidate(2, "张工", True, frozenset({"plumbing_electrical"}), frozenset(), 0)
    off_duty = Candidate(3, "李工", False, frozenset({"plumbing_electrical"}), frozenset({"electrician"}), 0)
    assert [c.user_id for c in rank([off_duty, idle_no_licence, busy_electrician], need)] == [1, 2, 3]


@pytest.mark.parametrize(("raw", "expected"), [("138 1234 5678", "13812345678"), ("+86 13812345678", "13812345678"),
                                               ("138-1234-5678", "13812345678"), ("", "")])
def test_normalize_mobile(raw, expected):
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "021-62345678", "1381234567x", "23812345678"])
def test_normalize_mobile_refuses(raw):
    with pytest.raises(InvalidMobile):
        normalize_mobile(raw)


def test_roles_a_manager_may_give():
    assert givable_roles("project_manager") == ("agent", "steward", "technician", "dept_staff")
    assert "project_manager" in givable_roles("admin")
    assert givable_roles("agent") == ()


def test_temporary_password_is_readable():
    password = temporary_password()
    assert len(password) == 14 and password.count("-") == 2
    assert not set(password) & set("0O1lI")
