"""The policy in force for a project: deadline targets, escalation ladders and the working calendar, read from the
company's ServicePolicy and the project's WorkingHours over the handbook defaults, and the statutory holidays an admin
entered for years the calendar package does not know (HolidayYear)."""

from dataclasses import dataclass, replace

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


def policy_for(project: Project) -> ProjectPolicy:
    company_policy = ServicePolicy.objects.filter(company_id=project.company_id).first()
    hours = WorkingHours.objects.filter(project=project).first()
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
