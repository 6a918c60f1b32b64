"""The import page: upload the room list or the owner list of a project from Excel.

Rooms are imported here; residents by ``propdesk.customers.views.imports``, which renders the same page.
"""

from io import BytesIO

from django import forms
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from propdesk.core.imports import ImportFailed, ImportResult
from propdesk.core.views_utils import capability_required, client_ip, scoped_404
from propdesk.staff.rules.roles import Capability

from ..models import Project
from ..services.imports import COLUMNS as ROOM_COLUMNS
from ..services.imports import rooms_import, rooms_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    """The project is an id checked against the user's scope by the view (404 outside it), not a
    ModelChoiceField, so that a project out of scope is not merely an invalid choice."""

    project = forms.IntegerField(label=gettext_lazy("Project"), widget=forms.Select)
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].widget.choices = [(p.pk, p.name) for p in projects]
        if len(projects) == 1:
            self.fields["project"].initial = projects[0].pk

    def project_in_scope(self, user) -> Project:
        with scoped_404():
            return Project.objects.restrict(user).get(pk=self.cleaned_data["project"])


def import_forms(request, *, kind: str | None = None) -> dict:
    """Both upload forms of the page, the one just posted bound to the request."""
    projects = list(Project.objects.restrict(request.user).order_by("code"))
    return {
        name: ImportForm(request.POST if kind == name else None, request.FILES if kind == name else None,
                         projects=projects, prefix=name)
        for name in ("rooms", "residents")
    }


def render_import_page(request, forms_by_kind: dict, *, kind: str | None = None,
                       failure: ImportFailed | None = None):
    """The page with both uploads and, after a failed upload, the table of its bad rows."""
    return render(request, "org/import.html", {
        "forms": forms_by_kind,
        "kind": kind,
        "failure": failure,
        "room_columns": ROOM_COLUMNS,
    })


def import_done(request, project: Project, message: str):
    messages.success(request, message)
    return redirect("org:project_detail", pk=project.pk)


@capability_required(Capability.IMPORT)
def import_page(request):
    kind = "rooms" if request.method == "POST" else None
    forms_by_kind = import_forms(request, kind=kind)
    failure = None
    if kind and forms_by_kind[kind].is_valid():
        form = forms_by_kind[kind]
        project = form.project_in_scope(request.user)
        try:
            result = rooms_import(project=project, file=form.cleaned_data["file"], actor=request.user,
                                  ip=client_ip(request))
        except ImportFailed as error:
            failure = error
        else:
            return import_done(request, project, rooms_message(result, project))
    return render_import_page(request, forms_by_kind, kind=kind, failure=failure)


def rooms_message(result: ImportResult, project: Project) -> str:
    counts = result.counts
    return _("%(project)s: %(rooms)s rooms imported (%(buildings)s new buildings, %(units)s new units).") % {
        "project": project.name, **counts}


@capability_required(Capability.IMPORT)
def rooms_template_download(request):
    return xlsx_download(rooms_template(), "房屋导入模板.xlsx")


def xlsx_download(content: bytes, filename: str) -> FileResponse:
    return FileResponse(BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX)
