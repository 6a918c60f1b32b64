"""Dispatch suggestions (issue 13, staffdesk): GET /api/desk/requests/{id}/assignee-suggestions?department=….

The people of one department of the request's project, best first: on duty now, then with the skill and the valid
certificate the request's words call for (staff/rules/skills.py), then fewest open work orders; each with the reason
in words. DISPATCH; another scope's request is a 404, a department of another project a 400 on ``department``.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from propdesk.core.errors import ApplicationError
from propdesk.core.views_utils import scoped_404
from propdesk.org.api import require
from propdesk.org.models import Department
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..selectors.suggestions import assignee_suggestions, need_of

router = Router(tags=["desk"])


class AssigneeSuggestionOut(Schema):
    user_id: int
    display_name: str
    department_id: int
    on_duty: bool = Field(..., description="On the roster now (duty.RosterEntry).")
    open_orders: int = Field(..., description="Work orders assigned to the person and not yet done.")
    has_skill: bool = Field(..., description="Has every skill the request needs (true when it needs none).")
    has_certificate: bool = Field(..., description="Holds every certificate it needs, valid today.")
    reason: str = Field(..., description="Why, in words: 值班中 · 持电工证 · 3 单在办.")
    recommended: bool


class AssigneeSuggestionsOut(Schema):
    request_id: int
    department_id: int
    needed_skills: list[str] = Field(..., description="Skills read from the request's words (staff skill codes).")
    needed_certificates: list[str]
    people: list[AssigneeSuggestionOut]


class AssigneeSuggestionQuery(Schema):
    department: int = Field(..., ge=1, le=2**63 - 1, description="A department of the request's project.")


@router.get("/requests/{int:request_id}/assignee-suggestions", response=AssigneeSuggestionsOut,
            summary="Whom to dispatch a request's work to in one department, best first (DISPATCH)")
def assignee_suggestions_api(request, request_id: int, filters: Query[AssigneeSuggestionQuery]):
    require(request, Capability.DISPATCH)
    with scoped_404():
        sr = selectors.request_detail(user=request.user, request_id=request_id)
    department = Department.objects.filter(pk=filters.department, project=sr.project_id).first()
    if department is None:
        raise ApplicationError(_("Please correct the marked fields."),
                               {"fields": {"department": [_("Choose a department of this project.")]}})
    now = timezone.now()
    need = need_of(sr)
    return {"request_id": sr.pk, "department_id": department.pk, "needed_skills": sorted(need.skills),
            "needed_certificates": sorted(need.certificates),
            "people": assignee_suggestions(request=sr, department_id=department.pk, now=now,
                                           today=timezone.localdate(now))}
