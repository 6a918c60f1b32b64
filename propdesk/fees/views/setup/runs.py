"""Billing runs: the list with a form to bill a month, and one run's progress, which the page refreshes by itself
(htmx polls the status fragment every 2 s while the run is queued or running, as the org import jobs do)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.staff.rules.roles import Capability

from ...choices import RunStatus
from ...selectors import setup as reads
from ...services.billing import billing_run_create
from .forms import RunForm

PAGE_SIZE = 30
finance = capability_required(Capability.MANAGE_BILLING)


@finance
def runs(request):
    projects = list(reads.projects_for(user=request.user))
    form = RunForm(request.POST or None, projects=projects,
                   initial={"period": timezone.localdate().strftime("%Y-%m"),
                            "project": projects[0].pk if projects else None})
    if request.method == "POST" and form.is_valid():
        project = next(p for p in projects if p.pk == form.cleaned_data["project"])
        try:
            run = billing_run_create(project=project, period_key=form.cleaned_data["period"], actor=request.user)
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Billing of %(project)s for %(period)s queued.")
                             % {"project": project.name, "period": run.period_key})
            return redirect("fees:run", pk=run.pk)
    project_id = request.GET.get("project")
    chosen = int(project_id) if str(project_id or "").isdigit() and len(project_id) <= 18 else None
    page = Paginator(reads.runs_list(user=request.user, project_id=chosen), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "fees/setup/runs.html", {"form": form, "page": page, "projects": projects,
                                                    "chosen": chosen, "filters": {"project": chosen or ""}})


@finance
def run(request, pk):
    with scoped_404():
        billing_run = reads.run_get(user=request.user, run_id=pk)
    context = {"run": billing_run, "finished": billing_run.status in (RunStatus.DONE, RunStatus.FAILED),
               "yuan": f"{billing_run.amount_fen / 100:,.2f}"}
    if request.htmx:
        return render(request, "fees/setup/_run_status.html", context)
    return render(request, "fees/setup/run.html", context)
