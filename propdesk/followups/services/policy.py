from dataclasses import dataclass
from datetime import time

from ..models import FollowUpPolicy
from ..rules.schedule import DEFAULT_CALLING_WINDOW, VisitRule, rules_from_config


@dataclass(frozen=True)
class VisitPolicy:
    rules: dict[str, VisitRule]
    max_attempts: int
    on_dissatisfied: str
    calling_window: tuple[tuple[time, time], ...]


def visit_policy_for(company_id: int) -> VisitPolicy:
    policy = FollowUpPolicy.objects.filter(company_id=company_id).first()
    if policy is None:
        return VisitPolicy(rules_from_config(None), 3, FollowUpPolicy.OnDissatisfied.REOPEN, DEFAULT_CALLING_WINDOW)
    window = tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in policy.calling_window) \
        if policy.calling_window else DEFAULT_CALLING_WINDOW
    return VisitPolicy(rules_from_config(policy.rules), policy.max_attempts, policy.on_dissatisfied, window)
