"""Fees pages: dunning. The steward's arrears worklist, one home's dunning history with the contact and dispute
forms, the printable 催缴通知书 (printing it records the letter step), and finance's ladder editor."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from propdesk.core.errors import ApplicationError, message_text
from propdesk.core.pagination import CappedPaginator
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.org.models import Building
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import ContactChannel, ContactOutcome, DunningStepKind
from ..rules.arrears import BUCKETS
from ..rules.money import chinese_capitals, fen_to_yuan
from ..selectors import dunning as selectors
from ..services.amounts import fen_from_input
from ..services.contacts import contact_record, dispute_close, dispute_open
from ..services.dunning import StepInput, ladder_save, letter_printed

PAGE_SIZE = 30
chaser_required = capability_required(Capability.CHASE_FEES)
finance_required = capability_required(Capability.MANAGE_BILLING)


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _today():
    return timezone.localdate()


def arrears_filters(data) -> selectors.ArrearsFilters:
    """The worklist's filters from a query string (the page and the API share them)."""
    sort = data.get("sort") or "amount"
    bucket = data.get("bucket") or ""
    return selectors.ArrearsFilters(
        building_id=_int(data.get("building")), bucket=bucket if bucket in BUCKETS else "",
        calls_open=str(data.get("calls") or "").lower() in ("1", "on", "true"),
        sort=sort if sort in selectors.SORTS else "amount", project_id=_int(data.get("project")))


@chaser_required
def arrears(request):
    on = _today()
    filters = arrears_filters(request.GET)
    page = CappedPaginator(selectors.arrears_list(user=request.user, filters=filters, on=on), PAGE_SIZE).get_page(
        request.GET.get("page"))
    kinds = _kind_labels()
    for account in page.object_list:
        account.months = selectors.months_overdue(account, on)
        account.owed_yuan = fen_to_yuan(account.owed_fen)
        account.last_step_label = kinds.get(account.last_step_kind or "", "")
    projects = list(selectors.ladder_projects(user=request.user))
    buildings = Building.objects.filter(project__in=[p.pk for p in projects]).select_related("project").order_by(
        "project_id", "sort", "number")
    query = {"sort": filters.sort, "bucket": filters.bucket, "building": filters.building_id or "",
             "calls": "1" if filters.calls_open else "", "project": filters.project_id or ""}
    return render(request, "fees/dunning/arrears.html", {
        "page": page, "filters": query, "buckets": BUCKETS, "buildings": buildings, "projects": projects,
        "can_edit_ladder": user_can(request.user, Capability.MANAGE_BILLING)})


def _kind_labels() -> dict[str, str]:
    """Labels of what a history row records: the ladder's step kinds and the dispute rows."""
    from ..services.contacts import DISPUTE_CLOSED, DISPUTE_OPENED

    return {**{value: str(label) for value, label in DunningStepKind.choices},
            DISPUTE_OPENED: _("dispute opened"), DISPUTE_CLOSED: _("dispute closed")}


@dataclass
class _FormState:
    errors: dict
    data: dict


@require_http_methods(["GET", "POST"])
@chaser_required
def arrears_home(request, room_id):
    with scoped_404():
        room = selectors.arrears_room(user=request.user, room_id=room_id)
    contact = _FormState({}, {})
    dispute = _FormState({}, {})
    if request.method == "POST":
        action = request.POST.get("action")
        note = request.POST.get("note", "")
        try:
            if action == "contact":
                contact.data = request.POST
                raw = (request.POST.get("promise_date") or "").strip()
                promise = parse_date(raw) if raw else None
                if raw and promise is None:
                    raise ApplicationError(_("Please correct the marked fields."),
                                           {"fields": {"promise_date": [pgettext("dunning", "Enter a date.")]}})
                contact_record(room=room, actor=request.user, channel=request.POST.get("channel", ""),
                               outcome=request.POST.get("outcome", ""), promise_date=promise, note=note)
                messages.success(request, _("Contact recorded."))
            elif action in ("dispute_open", "dispute_close"):
                dispute.data = request.POST
                (dispute_open if action == "dispute_open" else dispute_close)(room=room, actor=request.user,
                                                                              note=note)
                messages.success(request, _("Dispute opened: dunning is paused.") if action == "dispute_open"
                                 else _("Dispute closed: dunning goes on."))
            else:
                raise ApplicationError(pgettext("dunning", "Unknown action."))
        except ApplicationError as error:
            target = contact if action == "contact" else dispute
            target.errors = error.field_errors
            messages.error(request, message_text(error))
        except ValueError:
            contact.errors = {"promise_date": [pgettext("dunning", "Enter a date.")]}
            messages.error(request, _("Please correct the marked fields."))
        else:
            return redirect("fees:arrears_home", room_id=room.pk)
    on = _today()
    account = selectors.account_of(room)
    kinds = _kind_labels()
    history = list(selectors.dunning_history(room=room))
    for row in history:
        row.label = kinds.get(row.step_kind) or str(row.get_channel_display() or pgettext("dunning", "contact"))
        row.owed_yuan = fen_to_yuan(row.owed_fen)
    bills = list(selectors.open_bills(room=room))
    for bill in bills:
        bill.open_yuan = fen_to_yuan(bill.open_fen)
    return render(request, "fees/dunning/arrears_home.html", {
        "room": room, "account": account, "months": selectors.months_overdue(account, on) if account else 0,
        "owed_yuan": fen_to_yuan(account.owed_fen if account else 0),
        "history": history, "bills": bills,
        "occupants": selectors.occupants(room=room, on=on), "complaints": selectors.open_complaints(room=room),
        "channels": ContactChannel.choices, "outcomes": ContactOutcome.choices,
        "contact": contact, "dispute": dispute, "today": on}, status=400 if contact.errors or dispute.errors else 200)


@require_http_methods(["GET", "POST"])
@chaser_required
def letter(request, room_id):
    with scoped_404():
        room = selectors.arrears_room(user=request.user, room_id=room_id)
    if request.method == "POST":
        try:
            letter_printed(room=room, actor=request.user)
        except ApplicationError as error:
            messages.error(request, message_text(error))
        else:
            messages.success(request, _("The letter is recorded as printed."))
        return redirect("fees:letter", room_id=room.pk)
    on = _today()
    account = selectors.account_of(room)
    bills = list(selectors.open_bills(room=room))
    total = sum(bill.open_fen for bill in bills)
    occupant = selectors.occupants(room=room, on=on).first()
    return render(request, "fees/dunning/letter.html", {
        "room": room, "project": room.project, "company": room.project.company, "account": account,
        "bills": [(bill, fen_to_yuan(bill.open_fen)) for bill in bills], "total": fen_to_yuan(total),
        "total_words": chinese_capitals(total), "occupant": occupant.resident.name if occupant else "",
        "today": on, "deadline": selectors.letter_deadline(on)})


LADDER_ROWS_EXTRA = 2


def _ladder_rows(post) -> tuple[list[StepInput], dict]:
    steps, errors = [], {}
    count = min(_int(post.get("rows")) or 0, 40)
    for index in range(count):
        code = (post.get(f"code_{index}") or "").strip()
        if not code:
            continue
        number = len(steps)
        values = {}
        for name in ("after_days", "after_months"):
            raw = (post.get(f"{name}_{index}") or "0").strip()
            values[name] = int(raw) if raw.isdigit() and len(raw) <= 6 else -1
        try:
            minimum = fen_from_input(post.get(f"min_owed_{index}") or "0", field=f"steps.{number}.min_owed",
                                     allow_zero=True)
        except ApplicationError as error:
            errors.update(error.field_errors)
            minimum = 0
        steps.append(StepInput(code=code, kind=post.get(f"kind_{index}", ""), min_owed_fen=minimum,
                               active=bool(post.get(f"active_{index}")), **values))
    return steps, errors


@require_http_methods(["GET", "POST"])
@finance_required
def ladder(request):
    projects = list(selectors.ladder_projects(user=request.user))
    chosen = _int(request.POST.get("project") or request.GET.get("project"))
    project = next((p for p in projects if p.pk == chosen), None) or (projects[0] if projects and not chosen else None)
    if chosen is not None and project is None:
        raise Http404("no such project in scope")
    errors = {}
    if request.method == "POST" and project is not None:
        steps, errors = _ladder_rows(request.POST)
        if not errors:
            try:
                ladder_save(project=project, actor=request.user, steps=steps)
            except ApplicationError as error:
                errors = error.field_errors
            else:
                messages.success(request, _("The dunning ladder is saved."))
                return redirect(f"{request.path}?project={project.pk}")
        messages.error(request, _("Please correct the marked fields."))
    rows = []
    if project is not None:
        for row in selectors.ladder(project=project):
            rows.append({"code": row.code, "kind": row.kind, "after_days": row.after_days,
                         "after_months": row.after_months, "min_owed": fen_to_yuan(row.min_owed_fen),
                         "active": row.active})
    rows += [{"code": "", "kind": "", "after_days": 0, "after_months": 0, "min_owed": "0", "active": True}
             for _extra in range(LADDER_ROWS_EXTRA)]
    return render(request, "fees/dunning/ladder.html", {
        "projects": projects, "project": project, "rows": rows, "kinds": DunningStepKind.choices,
        "errors": _error_lines(errors)}, status=400 if errors else 200)


def _error_lines(errors: dict) -> list[str]:
    """Field errors of the ladder as lines naming the step ("steps.2.code" → "Step 3: …")."""
    lines = []
    for name, texts in errors.items():
        parts = name.split(".")
        numbered = len(parts) == 3 and parts[1].isdigit()
        label = pgettext("dunning", "Step %(n)d") % {"n": int(parts[1]) + 1} if numbered else ""
        lines += [f"{label}: {text}" if label else text for text in texts]
    return lines


urlpatterns = [
    path("fees/arrears/", arrears, name="arrears"),
    path("fees/arrears/<int:room_id>/", arrears_home, name="arrears_home"),
    path("fees/arrears/<int:room_id>/letter/", letter, name="letter"),
    path("fees/ladder/", ladder, name="ladder"),
]
