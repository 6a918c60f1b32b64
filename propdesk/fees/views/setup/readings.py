"""Meter readings on a phone (抄表): pick building, floor, water or power and the month; each home of the floor has
its last reading and an input, saved per row (htmx swaps the row; without JavaScript the page reloads). A reading
far above the usual shows its alarm in the row with a second button "确认读数无误". Finance bills the readings of a
month and imports readings and opening balances from Excel."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from propdesk.core.errors import ApplicationError, message_text
from propdesk.core.imports import ImportFailed
from propdesk.core.views_utils import capability_required, client_ip, scoped_404
from propdesk.org.views.imports import xlsx_download
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ...choices import FeeKind
from ...models import FeeItem, MeterReading
from ...selectors import setup as reads
from ...services.fee_imports import openings_import, openings_template, readings_import, readings_template
from ...services.readings import reading_confirm, reading_record, readings_bill
from .forms import ImportForm

readers = capability_required(Capability.ENTER_READINGS)
finance = capability_required(Capability.MANAGE_BILLING)
MAX_ERRORS_SHOWN = 500


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _choices(request, data):
    """Project, building, floor, item and period from the query (or the posted form), defaults filled in."""
    project = reads.project_chosen(user=request.user, project_id=data.get("project"))
    if project is None:
        return {"project": None}
    buildings = list(reads.buildings_of(project=project))
    building = next((b for b in buildings if b.pk == _int(data.get("building"))), buildings[0] if buildings else None)
    items = reads.items_of_kind(project=project, kinds=[FeeKind.METERED])
    item = next((i for i in items if i.pk == _int(data.get("item"))), items[0] if items else None)
    floor = data.get("floor", "")
    floor = int(floor) if str(floor).lstrip("-").isdigit() and len(str(floor)) <= 4 else None
    period = str(data.get("period") or "")[:7] or timezone.localdate().strftime("%Y-%m")
    floors = sorted(set(building.rooms.values_list("floor", flat=True))) if building else []
    if floor not in floors:
        floor = floors[0] if floors else None
    return {"project": project, "buildings": buildings, "building": building, "items": items, "item": item,
            "floor": floor, "floors": floors, "period": period, "projects": reads.projects_for(user=request.user)}


def _query(ctx) -> str:
    return urlencode({"project": ctx["project"].pk, "building": ctx["building"].pk if ctx["building"] else "",
                      "floor": "" if ctx["floor"] is None else ctx["floor"],
                      "item": ctx["item"].pk if ctx["item"] else "", "period": ctx["period"]})


def _rows(request, ctx, room_id=None):
    if not (ctx.get("building") and ctx.get("item")):
        return []
    rooms = reads.floor_rooms(user=request.user, building=ctx["building"], floor=ctx["floor"], item=ctx["item"],
                              period_key=ctx["period"])
    if room_id is not None:
        rooms = rooms.filter(pk=room_id)
    rooms = list(rooms)
    readings = reads.readings_of(rooms=rooms)
    return [{"room": room, "reading": readings.get(room.pk)} for room in rooms]


@readers
def readings(request):
    if request.method == "POST":
        return reading_save(request)
    ctx = _choices(request, request.GET)
    if ctx["project"] is None:
        raise Http404("no project in scope")
    return render(request, "fees/setup/readings.html", {
        **ctx, "rows": _rows(request, ctx), "query": _query(ctx),
        "can_bill": user_can(request.user, Capability.MANAGE_BILLING)})


def reading_save(request):
    ctx = _choices(request, request.POST)
    if ctx["project"] is None or ctx["item"] is None:
        raise Http404("no metered item in scope")
    with scoped_404():
        room = reads.room_get(user=request.user, room_id=_int(request.POST.get("room")) or 0)
    if room.project_id != ctx["project"].pk:
        raise Http404("room of another project")
    error = unusual = None
    try:
        if request.POST.get("confirm_existing"):
            with scoped_404():
                existing = MeterReading.objects.get(room=room, item=ctx["item"], period_key=ctx["period"])
            reading_confirm(reading=existing, actor=request.user)
        else:
            final = request.POST.get("replaced_final", "").strip()
            start = request.POST.get("replaced_start", "").strip()
            reading_record(room=room, item=ctx["item"], period_key=ctx["period"], reading=request.POST.get("reading"),
                           actor=request.user, replaced=(final, start) if final or start else None,
                           confirm_unusual=request.POST.get("confirm") == "1")
    except ApplicationError as failure:
        error, unusual = message_text(failure) if not failure.field_errors else "；".join(
            m for ms in failure.field_errors.values() for m in ms), failure.extra.get("unusual")
    if request.htmx:
        rows = _rows(request, ctx, room_id=room.pk)
        row = rows[0] if rows else {"room": room, "reading": None}
        return render(request, "fees/setup/_reading_row.html", {
            **ctx, "row": row, "error": error, "unusual": unusual, "typed": request.POST.get("reading", ""),
            "saved": error is None}, status=200)
    if error:
        messages.error(request, f"{room.code}: {error}")
    else:
        messages.success(request, _("%(room)s: reading saved.") % {"room": room.code})
    return redirect(f"{reverse('fees:readings')}?{_query(ctx)}")


@require_POST
@finance
def readings_bill_view(request):
    ctx = _choices(request, request.POST)
    if ctx["project"] is None or ctx["item"] is None:
        raise Http404("no metered item in scope")
    try:
        result = readings_bill(project=ctx["project"], item=ctx["item"], period_key=ctx["period"],
                               actor=request.user)
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        text = _("%(count)s bills issued, %(amount)s yuan.") % {
            "count": result.created, "amount": f"{result.amount_fen / 100:,.2f}"}
        if result.waiting:
            text += " " + _("%(count)s unusual readings wait for confirmation.") % {"count": result.waiting}
        if result.no_rate:
            text += " " + _("%(count)s homes have no price in force.") % {"count": result.no_rate}
        messages.success(request, text)
    return redirect(f"{reverse('fees:readings')}?{_query(ctx)}")


@finance
def imports(request):
    projects = list(reads.projects_for(user=request.user))
    kind = request.POST.get("kind") if request.method == "POST" else None
    forms_by_kind = {name: ImportForm(request.POST if kind == name else None, request.FILES if kind == name else None,
                                      projects=projects, prefix=name)
                     for name in ("readings", "openings")}
    failure = None
    if kind in forms_by_kind and forms_by_kind[kind].is_valid():
        form = forms_by_kind[kind]
        data = form.cleaned_data
        project = next((p for p in projects if p.pk == data["project"]), None)
        if project is None:
            raise Http404("project out of scope")
        try:
            if kind == "readings":
                item = FeeItem.objects.filter(project=project, kind=FeeKind.METERED, code=data["item"]).first()
                if item is None:
                    raise ImportFailed(_("Choose a metered item of this project."))
                result = readings_import(project=project, item=item, period_key=data["period"], file=data["file"],
                                         actor=request.user, ip=client_ip(request))
                message = _("%(readings)s readings imported; %(unusual)s unusual ones wait for confirmation.") % (
                    result.counts)
            else:
                result = openings_import(project=project, file=data["file"], actor=request.user,
                                         ip=client_ip(request))
                message = _("Opening balances of %(homes)s homes imported: %(bills)s bills, %(owed)s yuan owed, "
                            "%(prepaid)s yuan prepaid.") % {
                    **result.counts, "owed": f"{result.counts['owed_fen'] / 100:,.2f}",
                    "prepaid": f"{result.counts['prepaid_fen'] / 100:,.2f}"}
        except ImportFailed as error:
            failure = error
        else:
            messages.success(request, message)
            return redirect("fees:imports")
    metered = FeeItem.objects.filter(project__in=projects, kind=FeeKind.METERED).values_list("code", "name")
    return render(request, "fees/setup/imports.html", {
        "forms": forms_by_kind, "kind": kind, "failure": failure,
        "failure_errors": failure.errors[:MAX_ERRORS_SHOWN] if failure else [],
        "metered": sorted(set(metered))}, status=200)


@require_safe
@finance
def import_template(request, kind):
    if kind == "readings":
        return xlsx_download(readings_template(), "抄表导入模板.xlsx")
    if kind == "openings":
        return xlsx_download(openings_template(), "期初余额导入模板.xlsx")
    raise Http404("no such template")


