"""Open handover defects for the developer (/movein/defects/): per building, room part and age, and the list; a CSV
export. VIEW_HANDOVERS sees its scope; the developer's after-sales user (dept_staff of the project's developer
department) sees the defects routed to their department."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..selectors import handovers as selectors
from .common import PAGE_SIZE, int_or_none


def may_see_defects(user) -> bool:
    return user_can(user, Capability.VIEW_HANDOVERS) or selectors.developer_department_id(user) is not None


def _cell(value) -> str:
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@login_required
def defect_report(request):
    if not may_see_defects(request.user):
        raise PermissionDenied
    now = timezone.now()
    project_id = int_or_none(request.GET.get("project"))
    building_id = int_or_none(request.GET.get("building"))
    rows = selectors.open_defects(user=request.user, project_id=project_id, building_id=building_id)
    if request.GET.get("overdue") == "1":
        rows = rows.filter(fix_by__lt=now)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="handover-defects.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_("Project"), _("Building"), _("Home"), _("Room part"), _("Defect"), _("Request"),
                         _("Found on"), _("Fix by"), _("Overdue")])
        for d in rows[:10000]:
            writer.writerow([_cell(v) for v in (
                d.project.name, d.building.number, d.handover.room.code, d.area, d.note, d.request.number,
                timezone.localtime(d.found_at).date(), timezone.localtime(d.fix_by).date(),
                _("yes") if d.fix_by < now else "")])
        return response
    report = selectors.defect_report(user=request.user, now=now, project_id=project_id)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "movein/defects.html", {"report": report, "page": page, "now": now,
                                                   "query": request.GET.urlencode()})
