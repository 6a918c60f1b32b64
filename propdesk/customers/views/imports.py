"""Residents upload of the import page (``org:import``): the form posts here; a failure is shown on the same page,
a large file goes to an import job as rooms do (``propdesk.org.views.imports.import_submit``)."""

from django.shortcuts import redirect

from propdesk.core.views_utils import capability_required
from propdesk.org.views.imports import import_submit, xlsx_download
from propdesk.staff.rules.roles import Capability

from ..services.imports import residents_template


@capability_required(Capability.IMPORT)
def residents_import_view(request):
    if request.method != "POST":
        return redirect("org:import")
    return import_submit(request, "residents")


@capability_required(Capability.IMPORT)
def residents_template_download(request):
    return xlsx_download(residents_template(), "业主导入模板.xlsx")
