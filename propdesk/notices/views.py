"""Notice pages. Staff (customer service, project managers, leaders, admins — PUBLISH_NOTICES): the list in their
scope, a new notice with the scope picker, one notice with its audience, read count and withdraw. Residents: the
notices of their current homes, phone-first; opening one marks it read. Staff have no resident pages (404, as the
portal's), residents and technicians no staff pages (403)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, apply_to_form, message_text
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.org.models import Project
from propdesk.staff.permissions import user_role
from propdesk.staff.rules.roles import Capability

from . import selectors
from .choices import NoticeKind, NoticeState
from .forms import NoticeForm
from .picker import picker_context
from .services import notice_mark_read, notice_publish, notice_withdraw

PAGE_SIZE = 30
publisher_required = capability_required(Capability.PUBLISH_NOTICES)


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


@publisher_required
def notice_list(request):
    now = timezone.now()
    projects = Project.objects.restrict(request.user).order_by("code")
    filters = {"state": request.GET.get("state") or "active", "kind": request.GET.get("kind", "")}
    if filters["kind"] not in NoticeKind.values:
        filters["kind"] = ""
    project_id = _int(request.GET.get("project"))
    if project_id:
        filters["project_id"] = project_id
    page = Paginator(selectors.notice_list(user=request.user, now=now, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    labels = dict(NoticeState.choices)
    for notice in page.object_list:
        notice.state = notice.state_at(now)
        notice.state_label = labels[notice.state]
    states = [*NoticeState.choices, ("all", _("all"))]
    return render(request, "notices/notice_list.html", {
        "page": page, "filters": filters, "projects": projects, "states": states, "kinds": NoticeKind.choices})


@publisher_required
def notice_new(request):
    projects = Project.objects.restrict(request.user).order_by("code")
    form = NoticeForm(request.POST or None, projects=projects,
                      initial={"project": _int(request.GET.get("project")) or (projects[0].pk if projects else None)})
    if request.method == "POST" and form.is_valid():
        try:
            notice = notice_publish(project=form.cleaned_data["project"], data=form.to_input(), actor=request.user,
                                    idempotency_key=form.cleaned_data["form_token"])
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            if notice.sms_queued:
                messages.success(request, _("Notice published; %(count)d SMS queued.") % {"count": notice.sms_queued})
            else:
                messages.success(request, _("Notice published."))
            return redirect("notices:detail", pk=notice.pk)
    project = _chosen_project(form, projects)
    data = form.data if form.is_bound else form.initial
    getlist = data.getlist if hasattr(data, "getlist") else (lambda name: data.get(name) or [])
    return render(request, "notices/notice_new.html", {
        "form": form, **picker_context(project=project, scope=data.get("scope", ""), buildings=getlist("buildings"),
                                       units=getlist("units"), errors=form.errors)})


def _chosen_project(form, projects):
    raw = form.data.get("project") if form.is_bound else form.initial.get("project")
    pk = _int(raw)
    return projects.filter(pk=pk).first() if pk else None


@publisher_required
def scope_picker(request):
    """The picker for another project (htmx swaps it in when the project changes)."""
    with scoped_404():
        project = Project.objects.restrict(request.user).get(pk=_int(request.GET.get("project")) or 0)
    return render(request, "notices/_scope_picker.html",
                  picker_context(project=project, scope=request.GET.get("scope") or "buildings"))


@publisher_required
def notice_detail(request, pk):
    now = timezone.now()
    with scoped_404():
        notice = selectors.notice_detail(user=request.user, notice_id=pk, now=now)
    state = notice.state_at(now)
    incident = getattr(notice, "incident", None)  # an incident's outage notice (servicedesk links it)
    return render(request, "notices/notice_detail.html", {
        "notice": notice, "state": state, "state_label": dict(NoticeState.choices)[state], "incident": incident})


@require_POST
@publisher_required
def notice_withdraw_view(request, pk):
    now = timezone.now()
    with scoped_404():
        notice = selectors.notice_detail(user=request.user, notice_id=pk, now=now)
    try:
        notice_withdraw(notice=notice, actor=request.user, now=now)
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("Notice withdrawn."))
    return redirect("notices:detail", pk=notice.pk)


# --- residents -----------------------------------------------------------------------------------------------------

def resident_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if user_role(request.user) != "resident":
            raise Http404("not a resident")
        return view(request, *args, **kwargs)

    return wrapper


@resident_required
def my_notices(request):
    now = timezone.now()
    homes = list(selectors.resident_homes(user=request.user, now=now))
    notices = selectors.resident_notices(user=request.user, homes=homes, now=now)
    page = Paginator(notices, 20).get_page(request.GET.get("page"))
    return render(request, "notices/my_notices.html", {"page": page, "has_home": bool(homes)})


@resident_required
def my_notice(request, pk):
    now = timezone.now()
    with scoped_404():
        notice = selectors.resident_notice(user=request.user, notice_id=pk, now=now)
    notice_mark_read(notice=notice, user=request.user, now=now)
    return render(request, "notices/my_notice.html", {"notice": notice})
