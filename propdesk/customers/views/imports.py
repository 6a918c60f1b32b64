"""Residents upload of the import page (``org:import``): the form posts here, and a failure is shown on
the same page."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _

from propdesk.core.imports import ImportFailed
from propdesk.core.views_utils import capability_required, client_ip
from propdesk.org.views.imports import import_done, import_forms, render_import_page, xlsx_download
from propdesk.staff.rules.roles import Capability

from ..services.imports import residents_import, residents_template


@capability_required(Capability.IMPORT)
def residents_import_view(request):
    if request.method != "POST":
        return redirect("org:import")
    forms_by_kind = import_forms(request, kind="residents")
    form = forms_by_kind["residents"]
    failure = None
    if form.is_valid():
        project = form.project_in_scope(request.user)
        try:
            result = residents_import(project=project, file=form.cleaned_data["file"], actor=request.user,
                                      ip=client_ip(request))
        except ImportFailed as error:
            failure = error
        else:
            counts = result.counts
            return import_done(request, project, _(
                "%(project)s: %(residents)s residents added, %(existing_residents)s already in the archive; "
                "%(occupancies)s room links, %(rooms_occupied)s rooms marked occupied."
            ) % {"project": project.name, **counts})
    return render_import_page(request, forms_by_kind, kind="residents", failure=failure)


@capability_required(Capability.IMPORT)
def residents_template_download(request):
    return xlsx_download(residents_template(), "业主导入模板.xlsx")
