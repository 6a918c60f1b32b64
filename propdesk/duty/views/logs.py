"""Work logs and duty logs 工作日志 / 值班记录, handover 交接班, the supervisor's comments 批示.

- ``/duty/logs/today/`` (WRITE_LOGS): my work log of today and my shifts' duty logs, on the phone.
- ``/duty/logs/`` (VIEW_LOGS): the logs of the project, filtered by person, department, kind, day, unsigned.
- ``/duty/logs/<id>/``: a log with its items and comments; the author edits and submits a draft, the next shift
  acknowledges, a supervisor comments and signs. Another scope's log is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, message_text
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import LogKind, LogStatus, RosterEntry, ShiftKind
from ..selectors import logs as selectors
from ..services import logs as services

viewer_required = capability_required(Capability.VIEW_LOGS)
writer_required = capability_required(Capability.WRITE_LOGS)
BLANK_ROWS = 3


@writer_required
def today(request):
    day = timezone.localdate()
    entries = list(RosterEntry.objects.restrict(request.user).filter(user=request.user, day=day)
                   .select_related("shift", "department").order_by("starts_at"))
    shifts = ShiftKind.objects.restrict(request.user).filter(is_active=True).select_related("department")
    department_id = getattr(getattr(request.user, "staff_profile", None), "department_id", None)
    if department_id:
        shifts = shifts.filter(department_id=department_id)
    return render(request, "duty/logs/today.html", {
        "day": day, "work_log": selectors.my_work_log(user=request.user, day=day),
        "duty_logs": selectors.my_duty_logs(user=request.user, day=day), "entries": entries,
        "shifts": list(shifts), "errors": {}})


@require_POST
@writer_required
def start(request):
    """Open (or find) the log to write: ``kind=work`` today's work log; ``kind=duty`` with ``roster_entry`` or with
    ``shift`` and ``day``."""
    now = timezone.now()
    try:
        if request.POST.get("kind") == LogKind.DUTY:
            entry = shift = None
            with scoped_404():
                if request.POST.get("roster_entry", "").isdigit():
                    entry = RosterEntry.objects.restrict(request.user).get(pk=int(request.POST["roster_entry"]))
                elif request.POST.get("shift", "").isdigit():
                    shift = ShiftKind.objects.restrict(request.user).get(pk=int(request.POST["shift"]))
            day = parse_date(request.POST.get("day") or "") if request.POST.get("day") else None
            log = services.duty_log_start(actor=request.user, now=now, roster_entry=entry, shift=shift,
                                          day=day or timezone.localdate(now))
        else:
            log = services.work_log_start(actor=request.user, day=timezone.localdate(now), now=now)
    except (ApplicationError, ValueError) as error:
        messages.error(request, message_text(error) if isinstance(error, ApplicationError) else _("Not a date."))
        return redirect("duty:log_today")
    return redirect("duty:log_detail", pk=log.pk)


@viewer_required
def log_list(request):
    get = request.GET
    filters = {"kind": get.get("kind") if get.get("kind") in LogKind.values else None,
               "unsigned": get.get("unsigned") == "1"}
    for name in ("author", "department", "project"):
        value = get.get(name, "")
        filters[f"{name}_id"] = int(value) if value.isdigit() and len(value) < 12 else None
    day = get.get("day") or ""
    try:
        filters["day"] = parse_date(day) if day else None
    except ValueError:
        filters["day"] = None
    logs = list(selectors.log_list(user=request.user, filters=filters)[:100])
    return render(request, "duty/logs/list.html", {
        "logs": logs, "filters": filters, "kinds": LogKind.choices, "day": filters["day"] or "",
        "people": selectors.people_with_logs(user=request.user),
        "departments": selectors.departments_with_logs(user=request.user)})


def _log(request, pk):
    with scoped_404():
        return selectors.log_detail(user=request.user, log_id=pk)


def _rows(log):
    rows = [{"id": i.pk, "text": i.text, "request_number": i.request_number, "done": i.done,
             "started_on": i.started_on, "carried": i.carried} for i in log.items.all()]
    return rows + [{"id": None, "text": "", "request_number": "", "done": False} for _ in range(BLANK_ROWS)]


def _posted_items(post) -> list[dict]:
    items = []
    for index in range(int(post.get("rows") or 0) if str(post.get("rows") or "").isdigit() else 0):
        if index >= services.MAX_ITEMS + BLANK_ROWS:
            break
        item_id = post.get(f"item_id_{index}", "")
        items.append({"id": int(item_id) if item_id.isdigit() and len(item_id) < 12 else None,
                      "text": post.get(f"item_text_{index}", ""),
                      "request_number": post.get(f"item_request_{index}", ""),
                      "done": post.get(f"item_done_{index}") == "1"})
    return items


@viewer_required
def log_detail(request, pk):
    log = _log(request, pk)
    errors = {}
    if request.method == "POST":  # the author saves the draft (and submits with the second button)
        try:
            services.log_update(log=log, actor=request.user, body=request.POST.get("body", ""),
                                items=_posted_items(request.POST), now=timezone.now())
            if request.POST.get("then") == "submit":
                services.log_submit(log=log, actor=request.user, now=timezone.now())
        except ApplicationError as error:
            if error.status_code == 403:
                raise PermissionDenied from None
            errors = {"general": [str(error.message)], **error.field_errors}
        else:
            messages.success(request, _("Log submitted.") if request.POST.get("then") == "submit"
                             else _("Log saved."))
            return redirect("duty:log_detail", pk=log.pk)
        log = _log(request, pk)
    previous, following = selectors.log_neighbours(log)
    user = request.user
    editable = log.status == LogStatus.DRAFT and log.author_id == user.pk
    return render(request, "duty/logs/detail.html", {
        "log": log, "previous": previous, "following": following, "errors": errors,
        "rows": _rows(log) if editable else None, "editable": editable,
        "body_value": request.POST.get("body", log.body) if errors else log.body,
        "can_acknowledge": (log.kind == LogKind.DUTY and log.status != LogStatus.DRAFT
                            and log.acknowledged_at is None and log.author_id != user.pk
                            and user_can(user, Capability.WRITE_LOGS)),
        "previous_unread": previous is not None and previous.acknowledged_at is None and log.kind == LogKind.DUTY,
        "can_comment": log.status != LogStatus.DRAFT and user_can(user, Capability.SIGN_LOGS),
        "can_sign": log.status == LogStatus.SUBMITTED and services.can_sign(user, log)})


def _act(request, pk, action, success):
    log = _log(request, pk)
    try:
        action(log)
    except ApplicationError as error:
        if error.status_code == 403:
            raise PermissionDenied from None
        messages.error(request, message_text(error))
    else:
        messages.success(request, success)
    return redirect("duty:log_detail", pk=log.pk)


@require_POST
@writer_required
def submit(request, pk):
    return _act(request, pk, lambda log: services.log_submit(log=log, actor=request.user, now=timezone.now()),
                _("Log submitted."))


@require_POST
@writer_required
def acknowledge(request, pk):
    return _act(request, pk, lambda log: services.log_acknowledge(log=log, actor=request.user, now=timezone.now()),
                _("Handover acknowledged."))


@require_POST
@capability_required(Capability.SIGN_LOGS)
def comment(request, pk):
    return _act(request, pk, lambda log: services.log_comment(
        log=log, actor=request.user, body=request.POST.get("body", "")[:2000], now=timezone.now()),
                _("Comment added."))


@require_POST
@capability_required(Capability.SIGN_LOGS)
def sign(request, pk):
    return _act(request, pk, lambda log: services.log_sign(log=log, actor=request.user, now=timezone.now()),
                _("Log signed."))




urlpatterns = [
    path("logs/", log_list, name="log_list"),
    path("logs/today/", today, name="log_today"),
    path("logs/start/", start, name="log_start"),
    path("logs/<int:pk>/", log_detail, name="log_detail"),
    path("logs/<int:pk>/submit/", submit, name="log_submit"),
    path("logs/<int:pk>/acknowledge/", acknowledge, name="log_acknowledge"),
    path("logs/<int:pk>/comment/", comment, name="log_comment"),
    path("logs/<int:pk>/sign/", sign, name="log_sign"),
]
