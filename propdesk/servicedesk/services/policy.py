"""The policy in force for a project: deadline targets, escalation ladders and the working calendar, read from the
company's ServicePolicy and the project's WorkingHours over the handbook defaults, and the statutory holidays an admin
entered for years the calendar package does not know (HolidayYear).

Every create reads the policy, so the two rows are kept in Django's cache (Redis when scaled out) like the holiday
schedule, dropped whenever a ServicePolicy or WorkingHours row is saved or deleted (again after the commit, so that
no process caches the old row in between); the timeout bounds staleness where the cache is per process."""

from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from propdesk.org.models import Project

from ..models import ServicePolicy, WorkingHours
from ..rules import escalation, sla
from ..rules.calendar import WorkingCalendar, from_config
from ..selectors.holidays import holiday_schedule


@dataclass(frozen=True)
class ProjectPolicy:
    targets: dict[str, sla.Target]
    ladder: tuple[escalation.Rung, ...]
    accept_ladder: tuple[escalation.Rung, ...]
    calendar: WorkingCalendar

    def target_for(self, *, kind: str, severity: str | None, urgent: bool) -> sla.Target:
        return self.targets[sla.rule_key(kind, severity=severity or None, urgent=urgent)]


CACHE_SECONDS = 300
POLICY_KEY = "servicedesk:policy:company:{}:v1"
HOURS_KEY = "servicedesk:policy:hours:{}:v1"
_NONE = "none"  # cached "no row": the defaults apply
_generation = [0]  # part of every key: forget_cached_policies() starts afresh in this process


def forget_cached_policies() -> None:
    """Read every policy from the database again in this process (tests: rolled-back rows send no signal)."""
    _generation[0] += 1


def _cached(key: str, read):
    key = f"{key}:{_generation[0]}"
    found = cache.get(key)
    if found is None:
        found = read()
        cache.set(key, _NONE if found is None else found, CACHE_SECONDS)
    return None if found == _NONE else found


def policy_for(project: Project) -> ProjectPolicy:
    company_policy = _cached(POLICY_KEY.format(project.company_id),
                             lambda: ServicePolicy.objects.filter(company_id=project.company_id).first())
    hours = _cached(HOURS_KEY.format(project.pk), lambda: WorkingHours.objects.filter(project=project).first())
    calendar_config = {"tz": project.timezone or "Asia/Shanghai"}
    if hours and hours.slots:
        calendar_config["slots"] = hours.slots
    if company_policy:
        calendar_config["extra_holidays"] = company_policy.extra_holidays or []
        calendar_config["extra_workdays"] = company_policy.extra_workdays or []
    return ProjectPolicy(
        targets=sla.policy_from_config(company_policy.targets if company_policy else None),
        ladder=escalation.ladder_from_config(company_policy.ladder) if company_policy and company_policy.ladder
        else escalation.DEFAULT_LADDER,
        accept_ladder=escalation.ladder_from_config(company_policy.accept_ladder)
        if company_policy and company_policy.accept_ladder else escalation.DEFAULT_ACCEPT_LADDER,
        calendar=replace(from_config(calendar_config), schedule=holiday_schedule()),
    )


def _drop(key: str) -> None:
    key = f"{key}:{_generation[0]}"
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


@receiver([post_save, post_delete], sender=ServicePolicy)
def _drop_cached_policy(instance, **kwargs) -> None:
    _drop(POLICY_KEY.format(instance.company_id))


@receiver([post_save, post_delete], sender=WorkingHours)
def _drop_cached_hours(instance, **kwargs) -> None:
    _drop(HOURS_KEY.format(instance.project_id))
