"""The register pages: /reports/registers/<name>/ with the filter form, 50 rows a page (newest first), and the same
list as Excel with ``?format=xlsx`` (Capability.EXPORT). The columns, the filters and the queries are the
register's (selectors/registers.py), shared with the Excel export and the API.

Bad filters (a future or reversed period, a project outside the caller's scope, a value not among the choices)
re-render the form with the field's message and status 400; nothing is listed or exported."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.core.masking import mask_phone
from propdesk.core.pagination import CappedPaginator
from propdesk.core.scoping import scope_of
from propdesk.core.views_utils import capability_required
from propdesk.org.models import Branch, Department, Project
from propdesk.staff.models import StaffProfile
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..exports import place_name, register_export
from ..selectors.registers import PAGE_SIZE, REGISTERS, Register, RegisterFilters, register_filters

PERIOD_PARAMS = ("month", "quarter", "week", "from", "to")
PLACE_PARAMS = ("project", "branch", "department")


def display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return str(value)


def page_cells(register: Register, rows: list[dict]) -> list[dict]:
    """The page's rows as text (phones masked) with the links of the number columns."""
    out = []
    for row in rows:
        cells = []
        for column in register.columns:
            value = column.value(row)
            text = mask_phone(value) if column.phone and value else display(value)
            href = ""
            if column.link == "request" and text:
                href = reverse("servicedesk:request_detail", args=[row.get("request_id") or row["id"]])
            elif column.link == "workorder" and text:
                href = reverse("servicedesk:workorder_detail", args=[row["id"]])
            cells.append({"key": column.key, "text": text, "href": href})
        out.append({"id": row["id"], "cells": cells, "reopened": bool(row.get("reopen_count"))})
    return out


def _digits(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 18 else None


def assignee_choices(user, projects: list[Project], project_id: int | None) -> list[tuple[str, str]]:
    """The people an order in scope can be assigned to: the department staff (technicians, department staff) of
    the projects in scope (or of the project chosen), and of their branches' shared departments — read from the
    staff profiles, a dozen rows, not from every work order. A department-scoped reader sees their department."""
    scope = scope_of(user)
    profiles = StaffProfile.objects.filter(department__isnull=False)
    if scope.department_id:
        profiles = profiles.filter(department_id=scope.department_id)
    elif not scope.everything or project_id is not None:
        chosen = [p for p in projects if project_id is None or p.pk == project_id]
        profiles = profiles.filter(Q(project_id__in=[p.pk for p in chosen])
                                   | Q(project__isnull=True, branch_id__in={p.branch_id for p in chosen}))
    return [(str(person["user_id"]), person["display_name"] or person["user__username"])
            for person in profiles.values("user_id", "display_name", "user__username").order_by("user__username")]


def form_context(request, register: Register) -> dict:
    """What the filter form offers: the projects, branches and departments in the caller's scope, the register's own
    choices (for work orders, the people who hold orders in scope; for requests and complaints, the buildings and
    common areas in scope), with what was sent."""
    user, sent = request.user, request.GET
    projects = list(Project.objects.restrict(user).order_by("branch_id", "code"))
    branches = list(Branch.objects.restrict(user).distinct().order_by("code"))
    # distinct(): a project-scoped restrict() joins branch → projects for branch departments and repeats rows.
    departments = Department.objects.restrict(user).filter(project__isnull=False).distinct()
    project_id = _digits(sent.get("project", "").strip())
    if project_id is not None:
        departments = departments.filter(project_id=project_id)
    fields = []
    for spec in register.fields:
        choices = [(value, str(label)) for value, label in spec.choices]
        if spec.name == "assignee":
            choices = assignee_choices(user, projects, project_id)
        elif spec.model is not None:  # buildings, common areas: of the project chosen, else of every project in scope
            places = spec.model.objects.restrict(user).select_related("project")
            if project_id is not None:
                places = places.filter(project_id=project_id)
            named = project_id is None and len(projects) > 1
            choices = [(str(place.pk), f"{place.project.name} · {place}" if named else str(place))
                       for place in places.order_by("project__branch_id", "project__code", *spec.model._meta.ordering)]
        fields.append({"name": spec.name, "label": spec.label, "choices": choices, "any": not spec.default,
                       "value": sent.get(spec.name, "").strip() or spec.default})
    return {
        "register": register, "projects": projects, "branches": branches if len(branches) > 1 else [],
        "departments": list(departments.order_by("project__code", "kind", "id")), "fields": fields,
        "sent": {name: sent.get(name, "").strip() for name in (*PERIOD_PARAMS, *PLACE_PARAMS)},
        "can_export": user_can(user, Capability.EXPORT),
    }


@capability_required(Capability.VIEW_REGISTERS)
def register_page(request, name: str):
    register = REGISTERS[name]
    wanted = request.GET.get("format", "").strip()
    try:
        filters = register_filters(register, request.user, request.GET)
        if wanted not in ("", "html", "xlsx"):
            raise ApplicationError(_("Please correct the marked fields."),
                                   {"fields": {"format": [_("Choose html or xlsx.")]}})
    except ApplicationError as error:
        context = form_context(request, register)
        for spec in context["fields"]:
            spec["errors"] = error.field_errors.get(spec["name"], [])
        return render(request, "reports/registers/register.html",
                      {**context, "error": error, "field_errors": error.field_errors}, status=400)
    if wanted == "xlsx":
        if not user_can(request.user, Capability.EXPORT):
            raise PermissionDenied
        return register_export(request, register=register, filters=filters)
    return _page(request, register, filters, form_context(request, register))


def _page(request, register: Register, filters: RegisterFilters, context: dict):
    page = CappedPaginator(register.queryset(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = register.page_rows(request.user, page.object_list, first=page.start_index())
    query = filters.query()
    if not any(context["sent"][name] for name in PERIOD_PARAMS):  # the default period, shown in the form
        context["sent"] = {**context["sent"], **filters.report.period.query()}
    return render(request, "reports/registers/register.html", {
        **context, "filters": filters, "period": filters.report.period, "page": page,
        "place": place_name(request.user, filters),
        "rows": page_cells(register, rows),
        "query": urlencode(query), "export_query": urlencode({**query, "format": "xlsx"}),
        "headers": [column.header for column in register.columns],
    })
