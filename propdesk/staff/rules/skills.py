"""Skills, certificates and what a request needs: pure data and functions, no Django.

A staff member has skills from a fixed list and certificates with a number and a date they are valid until. An
expired certificate is shown as expired and counts for nothing. The skill a request needs is read from the words of
its description; dispatch suggestions rank people by it (on duty first, then skilled, then fewest open orders).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Skill(StrEnum):
    PLUMBING_ELECTRICAL = "plumbing_electrical"  # 水电
    AIR_CONDITIONING = "air_conditioning"  # 空调
    LIFT = "lift"  # 电梯
    LOW_VOLTAGE = "low_voltage"  # 弱电 (intercom, cameras, access control)
    FIRE = "fire"  # 消防
    LANDSCAPING = "landscaping"  # 绿化
    CLEANING = "cleaning"  # 保洁
    CARPENTRY = "carpentry"  # 木工 / 门窗
    WELDING = "welding"  # 焊接


class CertificateKind(StrEnum):
    ELECTRICIAN = "electrician"  # 电工证 (low voltage)
    HIGH_VOLTAGE = "high_voltage"  # 高压电工证
    LIFT = "lift"  # 特种设备作业证 (电梯)
    FIRE_OPERATOR = "fire_operator"  # 消防设施操作员证
    WELDER = "welder"  # 焊工证
    WORK_AT_HEIGHT = "work_at_height"  # 高处作业证
    REFRIGERATION = "refrigeration"  # 制冷与空调作业证


class CertificateState(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"  # valid, but for less than EXPIRY_WARNING_DAYS more
    EXPIRED = "expired"


EXPIRY_WARNING_DAYS = 30


def certificate_state(valid_until: date, today: date) -> CertificateState:
    """Valid through ``valid_until`` (the date printed on it); from the day after it is expired."""
    if valid_until < today:
        return CertificateState.EXPIRED
    if valid_until < today + timedelta(days=EXPIRY_WARNING_DAYS):
        return CertificateState.EXPIRING
    return CertificateState.VALID


def counts(valid_until: date, today: date) -> bool:
    return certificate_state(valid_until, today) != CertificateState.EXPIRED


@dataclass(frozen=True)
class Need:
    skills: frozenset[Skill] = frozenset()
    certificates: frozenset[CertificateKind] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.skills or self.certificates)


S, K = Skill, CertificateKind
# Words of a description and what they need, checked in order; every rule that matches adds to the need.
WORD_RULES: tuple[tuple[tuple[str, ...], frozenset[Skill], frozenset[CertificateKind]], ...] = (
    (("漏水", "渗水", "水管", "爆管", "马桶", "下水", "堵塞", "水龙头", "水压", "停水", "地漏"),
     frozenset({S.PLUMBING_ELECTRICAL}), frozenset()),
    (("跳闸", "电路", "插座", "停电", "漏电", "短路", "电闸", "开关", "灯不亮", "电表"),
     frozenset({S.PLUMBING_ELECTRICAL}), frozenset({K.ELECTRICIAN})),
    (("高压", "配电房", "变压器"), frozenset({S.PLUMBING_ELECTRICAL}), frozenset({K.HIGH_VOLTAGE})),
    (("空调", "冷气", "暖气", "新风"), frozenset({S.AIR_CONDITIONING}), frozenset()),
    (("电梯", "困梯", "关人"), frozenset({S.LIFT}), frozenset({K.LIFT})),
    (("门禁", "对讲", "监控", "摄像", "道闸", "网络", "可视"), frozenset({S.LOW_VOLTAGE}), frozenset()),
    (("消防", "烟感", "喷淋", "灭火器", "消火栓", "火警"), frozenset({S.FIRE}), frozenset({K.FIRE_OPERATOR})),
    (("绿化", "草坪", "树木", "修剪", "花草"), frozenset({S.LANDSCAPING}), frozenset()),
    (("保洁", "垃圾", "清扫", "打扫", "清洁"), frozenset({S.CLEANING}), frozenset()),  # not 卫生: 卫生间
    (("门窗", "柜门", "门锁", "合页"), frozenset({S.CARPENTRY}), frozenset()),
    (("焊接", "铁艺", "栏杆断"), frozenset({S.WELDING}), frozenset({K.WELDER})),
)


def needed_for(text: str) -> Need:
    """What a request described as ``text`` needs: the skills and certificates of every rule whose word occurs."""
    text = text or ""
    skills: set[Skill] = set()
    certificates: set[CertificateKind] = set()
    for words, rule_skills, rule_certificates in WORD_RULES:
        if any(word in text for word in words):
            skills |= rule_skills
            certificates |= rule_certificates
    return Need(frozenset(skills), frozenset(certificates))


@dataclass(frozen=True)
class Candidate:
    """One person who could take the order, with what the ranking reads."""

    user_id: int
    name: str
    on_duty: bool
    skills: frozenset[str]
    certificates: frozenset[str]  # kinds of the certificates that count today
    open_orders: int


def matches(candidate: Candidate, need: Need) -> tuple[bool, bool]:
    """(has every needed skill, holds every needed certificate); both True when nothing is needed."""
    return need.skills <= candidate.skills, need.certificates <= candidate.certificates


def rank(candidates, need: Need) -> list[Candidate]:
    """On duty now first; then those with the needed skills, then the certificates; then fewest open work orders;
    then by name (a stable order for equal people)."""

    def key(c: Candidate):
        has_skill, has_certificate = matches(c, need)
        return (not c.on_duty, not has_skill, not has_certificate, c.open_orders, c.name, c.user_id)

    return sorted(candidates, key=key)
