"""The import page: upload the room list or the owner list of a project from Excel.

Rooms are imported here; residents by ``propdesk.customers.views.imports``, which renders the same page. A small
file is imported inside the request; a larger one becomes an import job that a worker runs while its page shows
how far it got (``import_job``). Every upload is first checked from the zip's directory (``workbook_check``): an
upload that would unpack to more than an import reads is a field error before anything is parsed.
"""

from io import BytesIO

from django import forms
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from propdesk.core.imports import IMPORTERS, ImportFailed, workbook_check
from propdesk.core.views_utils import capability_required, client_ip, scoped_404
from propdesk.staff.rules.roles import Capability

from ..models import Project
from ..selectors import import_job_get, import_jobs_recent
from ..services.import_jobs import import_job_create, runs_in_background
from ..services.imports import COLUMNS as ROOM_COLUMNS
from ..services.imports import rooms_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ERRORS_SHOWN = 500


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
        self.workbook_size = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.workbook_size = workbook_check(upload)
        except ImportFailed as error:
            raise forms.ValidationError(error.message, code="workbook") from None
        return upload

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
        "failure_errors": failure.errors[:MAX_ERRORS_SHOWN] if failure else [],
        "room_columns": ROOM_COLUMNS,
        "recent_jobs": import_jobs_recent(user=request.user),
    })


def import_submit(request, kind: str):
    """An upload of either form: a small file is imported now, a larger one queued as a job."""
    forms_by_kind = import_forms(request, kind=kind)
    form = forms_by_kind[kind]
    failure = None
    if form.is_valid():
        project = form.project_in_scope(request.user)
        upload = form.cleaned_data["file"]
        if runs_in_background(form.workbook_size):
            job = import_job_create(kind=kind, project=project, file=upload, actor=request.user,
                                    ip=client_ip(request))
            return redirect("org:import_job", pk=job.pk)
        importer = IMPORTERS[kind]
        try:
            result = importer.run(project=project, file=upload, actor=request.user, ip=client_ip(request))
        except ImportFailed as error:
            failure = error
        else:
            return import_done(request, project, importer.message(project, result.counts))
    return render_import_page(request, forms_by_kind, kind=kind, failure=failure)


def import_done(request, project: Project, message: str):
    messages.success(request, message)
    return redirect("org:project_detail", pk=project.pk)


@capability_required(Capability.IMPORT)
def import_page(request):
    if request.method == "POST":
        return import_submit(request, "rooms")
    return render_import_page(request, import_forms(request))


@require_safe
@capability_required(Capability.IMPORT)
def import_job(request, pk):
    """How far an import job got, and its result; the page polls itself (htmx) until the job is finished."""
    with scoped_404():
        job = import_job_get(user=request.user, job_id=pk)
    context = {"job": job, "errors_shown": job.errors[:MAX_ERRORS_SHOWN]}
    if request.htmx:
        return render(request, "org/_import_job_status.html", context)
    return render(request, "org/import_job.html", context)


@capability_required(Capability.IMPORT)
def rooms_template_download(request):
    return xlsx_download(rooms_template(), "房屋导入模板.xlsx")


def xlsx_download(content: bytes, filename: str) -> FileResponse:
    return FileResponse(BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX)
