"""A round on the phone: start it within its window (± tolerance), submit each checkpoint once with its checklist
(a not-fine item becomes a request through findings.finding_to_request, with its photos, dispatched by the project's
rules), finish it. The round row is locked for every write, so a checkpoint submitted twice at once is recorded once
and the second is refused."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.notify.services import notify_users
from propdesk.servicedesk.services.attachments import photos_prepare
from propdesk.staff.permissions import user_role

from ...models import PatrolCheckpoint, PatrolFinding, PatrolRound, PatrolVisit
from ...models.patrols import PatrolRoundStatus
from ...rules import patrols as rules
from ..findings import finding_to_request

S = PatrolRoundStatus


@dataclass
class ItemResult:
    fine: bool
    note: str = ""
    photos: list = field(default_factory=list)  # uploads (or prepared Photo objects)


def may_patrol(user, round_: PatrolRound) -> bool:
    """The plan's person, or (a plan given to a role) anyone of that role on the project's staff."""
    plan = round_.plan
    if plan.assignee_id:
        return plan.assignee_id == user.pk
    profile = getattr(user, "staff_profile", None)
    return bool(profile and profile.is_active and profile.project_id == round_.project_id
                and user_role(user) == plan.assignee_role)


def _locked(round_id: int) -> PatrolRound:
    return PatrolRound.objects.select_for_update(of=("self",)).select_related("plan", "project").get(pk=round_id)


def _mine(round_: PatrolRound, actor) -> None:
    if round_.status != S.IN_PROGRESS:
        raise ApplicationError(_("This round is not in progress."), status_code=409)
    if round_.started_by_id != actor.pk:
        raise ApplicationError(_("Another patroller started this round."), status_code=403)


@transaction.atomic
def round_start(*, round_id: int, actor, now: datetime) -> PatrolRound:
    round_ = _locked(round_id)
    if not may_patrol(actor, round_):
        raise ApplicationError(_("This round is assigned to someone else."), status_code=403)
    if round_.status != S.DUE:
        raise ApplicationError(_("This round has already been started."), status_code=409)
    if not rules.may_start(window_start=round_.window_start, window_end=round_.window_end, at=now):
        raise ApplicationError(_("This round can be started only within its window (±15 minutes)."),
                               status_code=409)
    round_.status, round_.started_at, round_.started_by = S.IN_PROGRESS, now, actor
    round_.checkpoints_total = round_.plan.checkpoints.count()
    round_.save(update_fields=["status", "started_at", "started_by", "checkpoints_total"])
    return round_


def _checked(checkpoint: PatrolCheckpoint, results: list[ItemResult]) -> tuple[dict, list]:
    """The field errors and the prepared photos of each item."""
    errors: dict[str, list[str]] = {}
    prepared = []
    if len(results) != len(checkpoint.items):
        raise ApplicationError(_("Please mark every item fine or not fine."),
                               {"fields": {"items": [_("Please mark every item fine or not fine.")]}})
    for index, (item, result) in enumerate(zip(checkpoint.items, results, strict=True)):
        photos = []
        if not result.fine:
            if item.get("note_required") and not result.note.strip():
                errors[f"note_{index}"] = [_("Describe what is not fine.")]
            if item.get("photo_required") and not result.photos:
                errors[f"photo_{index}"] = [_("Take a photo of what is not fine.")]
            photos, problems = photos_prepare(list(result.photos))
            if problems:
                errors[f"photo_{index}"] = problems
        if len(result.note) > 300:
            errors[f"note_{index}"] = [_("At most 300 characters.")]
        prepared.append(photos)
    return errors, prepared


@transaction.atomic
def checkpoint_submit(*, round_id: int, checkpoint_id: int, actor, results: list[ItemResult],
                      now: datetime) -> PatrolVisit:
    round_ = _locked(round_id)
    _mine(round_, actor)
    checkpoint = PatrolCheckpoint.objects.filter(pk=checkpoint_id, project_id=round_.project_id).first()
    if checkpoint is None or checkpoint.plan_id != round_.plan_id:
        raise ApplicationError(_("This checkpoint is not on this round's plan."), status_code=409)
    if not rules.may_start(window_start=round_.window_start, window_end=round_.window_end, at=now):
        raise ApplicationError(_("This round's window is over: checkpoints can no longer be recorded."),
                               status_code=409)
    if PatrolVisit.objects.filter(round=round_, checkpoint=checkpoint).exists():
        raise ApplicationError(_("This checkpoint has already been recorded in this round."), status_code=409)
    errors, photos = _checked(checkpoint, results)
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    visit = PatrolVisit.objects.create(
        round=round_, checkpoint=checkpoint, project_id=round_.project_id, visited_at=now, visited_by=actor,
        results=[{"fine": r.fine, "note": r.note.strip()} for r in results],
        all_fine=all(r.fine for r in results))
    found = 0
    for index, (item, result) in enumerate(zip(checkpoint.items, results, strict=True)):
        if result.fine:
            continue
        request = finding_to_request(
            actor=actor, project=round_.project, now=now, channel="patrol",
            description=_("Patrol %(plan)s, %(checkpoint)s: %(item)s not fine. %(note)s") % {
                "plan": round_.plan.name, "checkpoint": checkpoint.name, "item": item["text"],
                "note": result.note.strip()},
            common_area_id=checkpoint.common_area_id, location_note=checkpoint.place[:100],
            photos=photos[index])
        PatrolFinding.objects.create(visit=visit, project_id=round_.project_id, item_index=index,
                                     item_text=item["text"], note=result.note.strip()[:300], request=request)
        found += 1
    PatrolRound.objects.filter(pk=round_.pk).update(checkpoints_done=F("checkpoints_done") + 1,
                                                    findings=F("findings") + found)
    return visit


def round_url(round_: PatrolRound) -> str:
    return reverse("stewardship:patrol_round", args=[round_.pk])


def tell_supervisor(round_: PatrolRound, *, what: str, now: datetime) -> None:
    """Once a round: the supervisor hears of a missed, late, overdue or incomplete round."""
    supervisor = round_.plan.supervisor
    titles = {
        "missed": _("Patrol missed: %(plan)s %(window)s"),
        "late": _("Patrol finished late: %(plan)s %(window)s"),
        "overdue": _("Patrol not finished in its window: %(plan)s %(window)s"),
        "skipped": _("Patrol finished with checkpoints skipped: %(plan)s %(window)s"),
    }
    window = f"{round_.day:%m-%d} #{round_.window_index + 1}"
    if supervisor is not None:
        notify_users(users=[supervisor], event=f"patrol_round:{round_.pk}:supervisor", kind="patrol",
                     title=titles[what] % {"plan": round_.plan.name, "window": window},
                     body=_("%(done)s of %(total)s checkpoints, %(found)s findings.") % {
                         "done": round_.checkpoints_done, "total": round_.checkpoints_total,
                         "found": round_.findings},
                     url=round_url(round_))
    PatrolRound.objects.filter(pk=round_.pk).update(supervisor_told_at=now)


@transaction.atomic
def round_finish(*, round_id: int, actor, now: datetime) -> PatrolRound:
    round_ = _locked(round_id)
    _mine(round_, actor)
    round_.status = rules.finish_status(window_end=round_.window_end, finished_at=now)
    round_.finished_at = now
    round_.save(update_fields=["status", "finished_at"])
    if round_.supervisor_told_at is None:
        if round_.status == S.LATE:
            tell_supervisor(round_, what="late", now=now)
        elif round_.checkpoints_done < round_.checkpoints_total:
            tell_supervisor(round_, what="skipped", now=now)
        else:
            PatrolRound.objects.filter(pk=round_.pk).update(supervisor_told_at=now)
    return round_
