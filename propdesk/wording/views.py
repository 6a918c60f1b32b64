"""The quality department's page: forbidden and cold phrases in sent texts per person, phrase and month
(VIEW_REPORTS, in the user's scope)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from propdesk.core.views_utils import capability_required
from propdesk.org.models import Project
from propdesk.staff.rules.roles import Capability

from .models import FindingKind
from .selectors import wording_report

MONTH_CHOICES = (3, 6, 12)


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


@require_safe
@capability_required(Capability.VIEW_REPORTS)
def report(request):
    projects = list(Project.objects.restrict(request.user).order_by("name"))
    project_id = _int(request.GET.get("project"))
    if project_id not in {p.pk for p in projects}:
        project_id = None
    months = _int(request.GET.get("months"))
    if months not in MONTH_CHOICES:
        months = 6
    data = wording_report(user=request.user, today=timezone.localdate(), project_id=project_id, months=months)
    labels = dict(FindingKind.choices)
    for phrase in data["phrases"]:
        phrase["kind_label"] = labels.get(phrase["kind"], "")
    return render(request, "wording/report.html", {"report": data, "projects": projects, "project_id": project_id,
                                                   "months": months, "month_choices": MONTH_CHOICES})
