"""Whom to dispatch to (issue 13, staffdesk): the people of a department ranked for one request — on duty now first,
then those with the skill and certificate the description calls for, then fewest open work orders — each with the
reason in words ("值班中 · 持电工证 · 3 单在办"). A fixed number of queries whatever the department's size: the
people with their skills and certificates (3), who is on duty (1), the open orders of all of them (1).

Also the workload the staff pages read through ``staff.hooks`` (registered in ServicedeskConfig.ready)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from propdesk.duty.selectors.rosters import on_duty_user_ids
from propdesk.staff.hooks import Workload
from propdesk.staff.models import CertificateKindChoice, SkillChoice, StaffProfile
from propdesk.staff.rules.skills import Candidate, Need, counts, matches, needed_for, rank
from propdesk.staff.selectors.team import candidates as department_people
from propdesk.staff.selectors.team import profiles_with_skills

from ..models import WorkOrder
from . import LIVE_WO


def open_order_counts(user_ids) -> dict[int, int]:
    """Live work orders (pending to on hold) assigned to each of ``user_ids``: one grouped query."""
    rows = (WorkOrder.objects.filter(assignee_id__in=list(user_ids), status__in=LIVE_WO)
            .values("assignee_id").annotate(n=Count("id")).values_list("assignee_id", "n"))
    return dict(rows)


def staff_workload(*, project_id: int, user_ids, now: datetime) -> dict[int, Workload]:
    """staff.hooks provider: on duty now in the project, and open work orders (two queries)."""
    user_ids = list(user_ids)
    on_duty = on_duty_user_ids(project_id=project_id, at=now)
    open_counts = open_order_counts(user_ids)
    return {uid: Workload(on_duty=uid in on_duty, open_orders=open_counts.get(uid, 0)) for uid in user_ids}


@dataclass
class Suggestion:
    user_id: int
    display_name: str
    department_id: int
    on_duty: bool
    open_orders: int
    has_skill: bool
    has_certificate: bool
    reason: str
    recommended: bool = False  # the first of the list


def need_of(request) -> Need:
    """What the request's words call for (title and description)."""
    return needed_for(f"{getattr(request, 'title', '') or ''} {request.description or ''}")


def _reason(candidate: Candidate, need: Need) -> str:
    parts = []
    if candidate.on_duty:
        parts.append(_("on duty"))
    held_skills = [SkillChoice(s).label for s in sorted(need.skills & candidate.skills)]
    if held_skills:
        parts.append(_("skilled in %(skills)s") % {"skills": "、".join(str(s) for s in held_skills)})
    for kind in sorted(need.certificates):
        label = CertificateKindChoice(kind).label
        if kind in candidate.certificates:
            parts.append(_("holds %(certificate)s") % {"certificate": label})
        else:
            parts.append(_("no valid %(certificate)s") % {"certificate": label})
    parts.append(ngettext("%(count)s open order", "%(count)s open orders", candidate.open_orders)
                 % {"count": candidate.open_orders})
    return " · ".join(str(p) for p in parts)


def rank_people(profiles, *, project_id: int, need: Need, now: datetime, today: date) -> list[Suggestion]:
    """``profiles`` (skills and certificates prefetched) ranked for ``need``: two queries."""
    on_duty = on_duty_user_ids(project_id=project_id, at=now)
    return _ranked(profiles, need=need, on_duty=on_duty, open_counts=open_order_counts(p.user_id for p in profiles),
                   today=today)


def assignee_suggestions(*, request, department_id: int, now: datetime, today: date) -> list[Suggestion]:
    """The people of one department of the request's project, best first (five queries)."""
    profiles = department_people(project_id=request.project_id, department_id=department_id, today=today)
    return rank_people(profiles, project_id=request.project_id, need=need_of(request), now=now, today=today)


def suggestions_by_department(*, request, now: datetime, today: date) -> list[Suggestion]:
    """Every assignable person of the request's project, each department's people best first (the dispatch and
    reassign forms filter by the work order's department): five queries."""
    profiles = list(profiles_with_skills()
                    .filter(project_id=request.project_id, department__isnull=False, is_active=True,
                            user__is_active=True).order_by("department_id", "display_name", "id"))
    by_department: dict[int, list[StaffProfile]] = {}
    for p in profiles:
        by_department.setdefault(p.department_id, []).append(p)
    need = need_of(request)
    on_duty = on_duty_user_ids(project_id=request.project_id, at=now)
    open_counts = open_order_counts(p.user_id for p in profiles)
    out: list[Suggestion] = []
    for group in by_department.values():
        out.extend(_ranked(group, need=need, on_duty=on_duty, open_counts=open_counts, today=today))
    return out


def _ranked(profiles, *, need, on_duty, open_counts, today) -> list[Suggestion]:
    people = {p.user_id: p for p in profiles}
    ranked = rank([Candidate(user_id=p.user_id, name=p.display_name, on_duty=p.user_id in on_duty,
                             skills=frozenset(s.skill for s in p.skills.all()),
                             certificates=frozenset(c.kind for c in p.certificates.all()
                                                    if counts(c.valid_until, today)),
                             open_orders=open_counts.get(p.user_id, 0)) for p in profiles], need)
    out = []
    for index, c in enumerate(ranked):
        has_skill, has_certificate = matches(c, need)
        out.append(Suggestion(user_id=c.user_id, display_name=c.name, department_id=people[c.user_id].department_id,
                              on_duty=c.on_duty, open_orders=c.open_orders, has_skill=has_skill,
                              has_certificate=has_certificate, reason=_reason(c, need), recommended=index == 0))
    return out
