"""Rounds on the phone: my rounds today → start → the checkpoint list; a scanned QR code (or a typed code) opens
that checkpoint's checklist within the round; submit it; finish the round. Another scope's round or checkpoint is a
404; a refusal (outside the window, another plan, twice) is a message and nothing written."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, message_text
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ...models import PatrolCheckpoint
from ...models.patrols import PatrolRoundStatus
from ...rules.patrols import may_start
from ...selectors import patrols as selectors
from ...services.patrols.rounds import ItemResult, checkpoint_submit, may_patrol, round_finish, round_start

patroller_required = capability_required(Capability.PATROL)
READERS = (Capability.PATROL, Capability.MANAGE_PATROLS, Capability.VIEW_REPORTS)


def reader_required(view):
    """Patrollers, planners and report readers (a supervisor opens the round from a notification)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not any(user_can(request.user, c) for c in READERS):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapper


@reader_required
def today(request):
    day = timezone.localdate()
    return render(request, "stewardship/patrols/today.html", {
        "day": day, "rounds": selectors.my_rounds(user=request.user, day=day),
        "can_plan": user_can(request.user, Capability.MANAGE_PATROLS),
        "can_report": user_can(request.user, Capability.VIEW_REPORTS)})


def _round(request, pk):
    with scoped_404():
        return selectors.round_detail(user=request.user, round_id=pk)


@reader_required
def round_detail(request, pk):
    round_ = _round(request, pk)
    mine = round_.status == PatrolRoundStatus.IN_PROGRESS and round_.started_by_id == request.user.pk
    return render(request, "stewardship/patrols/round.html", {
        "round": round_, "mine": mine,
        "can_start": round_.status == PatrolRoundStatus.DUE and may_patrol(request.user, round_)})


def _act(request, action, pk, done: str):
    try:
        action(round_id=pk, actor=request.user, now=timezone.now())
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, done)
    return redirect("stewardship:patrol_round", pk=pk)


@require_POST
@patroller_required
def round_start_view(request, pk):
    _round(request, pk)
    return _act(request, round_start, pk, _("Round started: scan the first checkpoint."))


@require_POST
@patroller_required
def round_finish_view(request, pk):
    _round(request, pk)
    return _act(request, round_finish, pk, _("Round finished."))


@require_POST
@patroller_required
def round_code(request, pk):
    """A code typed or pasted for a phone without a camera app: the checkpoint of this round's plan."""
    round_ = _round(request, pk)
    code = (request.POST.get("code") or "").strip().rstrip("/").rsplit("/", 1)[-1][:32]
    checkpoint = PatrolCheckpoint.objects.restrict(request.user).filter(token=code).first() if code else None
    if checkpoint is None:
        messages.error(request, _("No checkpoint has this code."))
    elif checkpoint.plan_id != round_.plan_id:
        messages.error(request, _("This checkpoint belongs to another plan (%(plan)s).") % {
            "plan": checkpoint.plan.name})
    else:
        return redirect("stewardship:patrol_checkpoint", pk=pk, checkpoint_id=checkpoint.pk)
    return redirect("stewardship:patrol_round", pk=pk)


@patroller_required
def scan(request, token):
    """What a phone's camera opens from a QR code: the checkpoint within the user's round in progress."""
    with scoped_404():
        checkpoint = selectors.checkpoint_by_token(user=request.user, token=token)
    round_ = selectors.open_round_for(user=request.user, checkpoint=checkpoint)
    if round_ is None:
        messages.error(request, _("Start the round of “%(plan)s” before scanning its checkpoints.") % {
            "plan": checkpoint.plan.name})
        return redirect("stewardship:patrol_today")
    if round_.plan_id != checkpoint.plan_id:
        messages.error(request, _("This checkpoint belongs to another plan (%(plan)s).") % {
            "plan": checkpoint.plan.name})
        return redirect("stewardship:patrol_round", pk=round_.pk)
    if not may_start(window_start=round_.window_start, window_end=round_.window_end, at=timezone.now()):
        messages.error(request, _("This round's window is over: checkpoints can no longer be recorded."))
        return redirect("stewardship:patrol_round", pk=round_.pk)
    return redirect("stewardship:patrol_checkpoint", pk=round_.pk, checkpoint_id=checkpoint.pk)


def _results(request, checkpoint) -> tuple[list[ItemResult], dict]:
    results, missing = [], {}
    for index in range(len(checkpoint.items)):
        value = request.POST.get(f"fine_{index}")
        if value not in ("1", "0"):
            missing[f"fine_{index}"] = [_("Mark this item fine or not fine.")]
        results.append(ItemResult(fine=value != "0", note=(request.POST.get(f"note_{index}") or "")[:400],
                                  photos=request.FILES.getlist(f"photo_{index}")))
    return results, missing


@patroller_required
def checkpoint(request, pk, checkpoint_id):
    round_ = _round(request, pk)
    point = next((p for p in round_.points if p.pk == checkpoint_id), None)
    if point is None:
        with scoped_404():
            PatrolCheckpoint.objects.restrict(request.user).get(pk=checkpoint_id)
        messages.error(request, _("This checkpoint is not on this round's plan."))
        return redirect("stewardship:patrol_round", pk=pk)
    errors = {}
    if request.method == "POST":
        results, errors = _results(request, point)
        if not errors:
            try:
                checkpoint_submit(round_id=pk, checkpoint_id=point.pk, actor=request.user, results=results,
                                  now=timezone.now())
            except ApplicationError as error:
                errors = error.field_errors
                if not errors:
                    messages.error(request, message_text(error))
                    return redirect("stewardship:patrol_round", pk=pk)
            else:
                messages.success(request, _("%(name)s recorded.") % {"name": point.name})
                return redirect("stewardship:patrol_round", pk=pk)
    items = [{"index": i, "text": item["text"], "photo_required": item.get("photo_required"),
              "note_required": item.get("note_required"), "value": request.POST.get(f"fine_{i}", ""),
              "note": request.POST.get(f"note_{i}", ""), "errors": errors.get(f"fine_{i}", [])
              + errors.get(f"note_{i}", []) + errors.get(f"photo_{i}", [])}
             for i, item in enumerate(point.items)]
    status = 400 if errors else 200
    return render(request, "stewardship/patrols/checkpoint.html", {
        "round": round_, "point": point, "items": items, "has_errors": bool(errors),
        "general_errors": errors.get("items", []),
        "mine": round_.status == PatrolRoundStatus.IN_PROGRESS and round_.started_by_id == request.user.pk},
        status=status)
