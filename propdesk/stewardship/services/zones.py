"""Zones 责任区 and first contact 首次联系: reassign buildings to a steward in one step, open a contact task when a
resident moves in or their building changes hands, record the contact, send late tasks to the project manager.
Each write is one transaction; bad input raises ApplicationError and writes nothing."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.customers.models import Occupancy
from propdesk.org.models import Building, Project
from propdesk.staff.models import StaffProfile
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import ContactTask, ZoneAssignment
from ..models.contacts import CONTACT_DAYS, ContactMethod, ContactReason, ContactStatus
from ..selectors.zones import project_stewards, steward_name

MAX_BUILDINGS = 500
SWEEP_BATCH = 500


def _ids(values, name: str, errors: dict, message: str) -> list[int]:
    ids = []
    for value in values or []:
        text = str(getattr(value, "pk", value)).strip()
        if not text.isdigit() or len(text) > 18:
            errors[name] = [message]
            return []
        ids.append(int(text))
    return sorted(set(ids))


@transaction.atomic
def zone_assign(*, project: Project, buildings, steward, actor, now: datetime) -> dict:
    """Give ``buildings`` (ids or Building objects of ``project``) to ``steward`` (a user or id: an active steward of
    ``project``). A building that changes hands gets a first-contact task for each current resident of its homes
    (unless the new steward already has one open for them); the old steward's open tasks for those homes are handed
    over. Returns {"changed": [building ids], "tasks_created": n}."""
    if not user_can(actor, Capability.MANAGE_ZONES):
        raise PermissionDenied(_("Your role may not reassign zones."))
    errors: dict[str, list[str]] = {}
    message = _("Choose buildings of this project.")
    building_ids = _ids(buildings if isinstance(buildings, list | tuple | set) else [buildings], "buildings",
                        errors, message)
    if not building_ids and "buildings" not in errors:
        errors["buildings"] = [_("Tick at least one building.")]
    if len(building_ids) > MAX_BUILDINGS:
        errors["buildings"] = [message]
    found = list(Building.objects.restrict(actor).filter(project=project, pk__in=building_ids).order_by("pk"))
    if building_ids and len(found) != len(building_ids):
        errors["buildings"] = [message]
    steward_id = str(getattr(steward, "pk", steward) or "").strip()
    steward_user = (project_stewards(project.pk).filter(pk=int(steward_id)).first()
                    if steward_id.isdigit() and len(steward_id) <= 18 else None)
    if steward_user is None:
        errors["steward"] = [_("Choose a steward of this project.")]
    if errors:  # an id of another project's building or steward reads like any wrong id: 422, nothing written
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors}, status_code=422)

    current = {zone.building_id: zone for zone in
               ZoneAssignment.objects.select_for_update().filter(building_id__in=building_ids)}
    changed = [b.pk for b in found if b.pk not in current or current[b.pk].steward_id != steward_user.pk]
    for building in found:
        zone = current.get(building.pk)
        if zone is None:
            ZoneAssignment.objects.create(project=project, building=building, steward=steward_user,
                                          assigned_at=now, assigned_by=actor)
        elif zone.steward_id != steward_user.pk:
            zone.steward = steward_user
            zone.assigned_at, zone.assigned_by = now, actor
            zone.save(update_fields=["steward", "assigned_at", "assigned_by"])
    created = 0
    if changed:
        # The old steward's open first contacts in these buildings pass to the new one's reassignment tasks.
        (ContactTask.objects.filter(room__building_id__in=changed, status=ContactStatus.OPEN)
         .exclude(steward=steward_user).update(status=ContactStatus.SUPERSEDED, done_at=now))
        created = _tasks_for_buildings(project=project, building_ids=changed, steward=steward_user, now=now)
    return {"changed": changed, "tasks_created": created}


def _tasks_for_buildings(*, project, building_ids, steward, now) -> int:
    """One reassignment task per current resident of the homes of ``building_ids`` (the first home found names it),
    none for a resident the steward already has an open task for."""
    already = set(ContactTask.objects.filter(steward=steward, status=ContactStatus.OPEN,
                                             resident__occupancies__room__building_id__in=building_ids)
                  .values_list("resident_id", flat=True))
    rooms: dict[int, int] = {}
    for resident_id, room_id in (Occupancy.objects.current(on=now.date()).filter(room__building_id__in=building_ids)
                                 .order_by("room_id", "id").values_list("resident_id", "room_id")):
        if resident_id not in already:
            rooms.setdefault(resident_id, room_id)
    tasks = [ContactTask(project=project, resident_id=resident_id, room_id=room_id, steward=steward,
                         reason=ContactReason.REASSIGNED, created_at=now, due_at=now + timedelta(days=CONTACT_DAYS))
             for resident_id, room_id in rooms.items()]
    ContactTask.objects.bulk_create(tasks, batch_size=1000)
    return len(tasks)


def contact_task_for_occupancy(*, occupancy, now: datetime) -> ContactTask | None:
    """The customers hook: a new occupancy gives the steward of its building a first-contact task due in 7 days.
    Nothing when the building has no steward, the occupancy is already over, or the steward has an open task for
    the resident."""
    if occupancy.end_date and occupancy.end_date < now.date():
        return None
    zone = ZoneAssignment.objects.filter(building_id=occupancy.room.building_id).only("steward_id").first()
    if zone is None:
        return None
    if ContactTask.objects.filter(resident_id=occupancy.resident_id, steward_id=zone.steward_id,
                                  status=ContactStatus.OPEN).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: a task created at the same instant elsewhere leaves the caller whole
            return ContactTask.objects.create(project_id=occupancy.project_id, resident_id=occupancy.resident_id,
                                              room_id=occupancy.room_id, steward_id=zone.steward_id,
                                              reason=ContactReason.MOVED_IN, created_at=now,
                                              due_at=now + timedelta(days=CONTACT_DAYS))
    except IntegrityError:  # the open task exists (contact_task_one_open)
        return None


@transaction.atomic
def contact_record(*, task: ContactTask, actor, method: str, note: str, now: datetime) -> ContactTask:
    """Record the first contact (by phone, in person or on WeChat, with a note): the task is done. Only the task's
    steward or a manager of zones may; a task already done is refused."""
    if task.steward_id != actor.pk and not user_can(actor, Capability.MANAGE_ZONES):
        raise PermissionDenied(_("Only the resident's steward records this contact."))
    errors: dict[str, list[str]] = {}
    if method not in ContactMethod.values:
        errors["method"] = [_("Choose how you contacted the resident.")]
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Write down what you talked about.")]
    elif len(note) > 1000:
        errors["note"] = [_("A note has at most 1000 characters.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    task = ContactTask.objects.select_for_update().get(pk=task.pk)
    if task.status != ContactStatus.OPEN:
        raise ApplicationError(_("This contact is already recorded."), status_code=409)
    task.status, task.method, task.note = ContactStatus.DONE, method, note
    task.done_at, task.done_by = now, actor
    task.save(update_fields=["status", "method", "note", "done_at", "done_by"])
    return task


def contacts_escalate_late(*, now: datetime) -> int:
    """The hourly sweep: open tasks past due and not yet sent go to their project's managers, one message per
    project and sweep, and are marked sent so that nobody is told twice. Returns the number of tasks sent."""
    from propdesk.notify.services import notify_users

    sent = 0
    while True:
        with transaction.atomic():
            batch = list(ContactTask.objects.select_for_update(skip_locked=True, of=("self",))
                         .filter(status=ContactStatus.OPEN, escalated_at__isnull=True, due_at__lt=now)
                         .select_related("resident", "room", "steward__staff_profile")
                         .order_by("due_at", "id")[:SWEEP_BATCH])
            if not batch:
                return sent
            by_project: dict[int, list[ContactTask]] = {}
            for task in batch:
                by_project.setdefault(task.project_id, []).append(task)
            managers: dict[int, list] = {}
            for profile in (StaffProfile.objects.filter(project_id__in=list(by_project), role="project_manager",
                                                        is_active=True, user__is_active=True)
                            .select_related("user")):
                managers.setdefault(profile.project_id, []).append(profile.user)
            for project_id, tasks in by_project.items():
                lines = [f"{t.room.code} {t.resident.name} — {steward_name(t.steward)}, "
                         f"{_('due')} {t.due_at:%Y-%m-%d}" for t in tasks[:20]]
                if len(tasks) > 20:
                    lines.append(_("and %(count)d more") % {"count": len(tasks) - 20})
                notify_users(users=managers.get(project_id, []), kind="contact_late",
                             event=f"zones_contact_late:{project_id}:{tasks[0].pk}:{tasks[-1].pk}:{len(tasks)}",
                             title=_("%(count)d first contacts are late") % {"count": len(tasks)},
                             body="\n".join(lines), url=reverse("stewardship:zones") + "#late")
            ContactTask.objects.filter(pk__in=[t.pk for t in batch]).update(escalated_at=now)
            sent += len(batch)
