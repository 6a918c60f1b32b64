"""Rosters 排班: shift kinds, putting people on shifts, copying last week, the coverage sweep a week ahead.

The caller has already found the project, shift or entry through the user's scope (a 404 otherwise); these
functions check the input and write all or nothing. A person's shifts never overlap: the check runs under a lock on
the person's user row, so two schedulers putting the same person on two overlapping shifts at the same moment
cannot both pass."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.notify.services import notify_users
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department, Project
from propdesk.staff.models import Role

from ..models import RosterEntry, ShiftKind
from ..rules.rosters import overlaps, shift_instants, week_start
from ..selectors.rosters import MANAGER_ROLES, gaps_ahead, person_label

User = get_user_model()
MAX_PEOPLE = 50
ROSTER_DAYS_AHEAD = 8  # today and the 7 days after


def _fail(field: str, message: str, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, {"code": code, "fields": {field: [message]}})


def _zone(project: Project) -> ZoneInfo:
    return ZoneInfo(project.timezone or "Asia/Shanghai")


# -- shift kinds ---------------------------------------------------------------------------------------------------

def _clean_shift(*, project: Project, department: Department | None, name: str, starts, ends, min_people,
                 exclude_pk=None) -> dict:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the shift a name, e.g. 早班 or 夜班.")]
    elif len(name) > 30:
        errors["name"] = [_("At most 30 characters.")]
    if department is not None and department.project_id != project.pk:
        errors["department"] = [_("Choose a department of this project.")]
    if not isinstance(starts, time):
        errors["starts"] = [_("Enter a time such as 08:00.")]
    if not isinstance(ends, time):
        errors["ends"] = [_("Enter a time such as 16:00 (00:00 for midnight).")]
    try:
        min_people = int(min_people)
    except (TypeError, ValueError):
        min_people = -1
    if not 1 <= min_people <= MAX_PEOPLE:
        errors["min_people"] = [_("Between 1 and %(n)s people.") % {"n": MAX_PEOPLE}]
    if "name" not in errors and ShiftKind.objects.filter(project=project, department=department, name=name) \
            .exclude(pk=exclude_pk).exists():
        errors["name"] = [_("This department already has a shift of that name.")]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], {"fields": errors})
    # wall times of the project's zone: an offset sent with them ("08:00Z") is dropped, not converted
    return {"name": name, "starts": starts.replace(second=0, microsecond=0, tzinfo=None),
            "ends": ends.replace(second=0, microsecond=0, tzinfo=None), "min_people": min_people}


@transaction.atomic
def shift_kind_create(*, actor, project: Project, department: Department | None, name: str, starts: time,
                      ends: time, min_people: int = 1) -> ShiftKind:
    """A shift of a department of ``project`` (None: the project's duty managers 值班经理). ``ends`` at or before
    ``starts`` runs into the next day."""
    data = _clean_shift(project=project, department=department, name=name, starts=starts, ends=ends,
                        min_people=min_people)
    try:
        with transaction.atomic():
            return ShiftKind.objects.create(project=project, department=department, **data)
    except IntegrityError:  # the same name saved a moment ago by someone else
        raise _fail("name", _("This department already has a shift of that name.")) from None


@transaction.atomic
def shift_kind_update(*, actor, shift: ShiftKind, name: str, starts: time, ends: time, min_people: int,
                      is_active: bool = True) -> ShiftKind:
    """Change a shift. Entries already scheduled keep their times; new ones take the new times."""
    shift = ShiftKind.objects.select_for_update().get(pk=shift.pk)
    data = _clean_shift(project=shift.project, department=shift.department, name=name, starts=starts, ends=ends,
                        min_people=min_people, exclude_pk=shift.pk)
    for key, value in data.items():
        setattr(shift, key, value)
    shift.is_active = bool(is_active)
    shift.save(update_fields=[*data, "is_active"])
    return shift


@transaction.atomic
def shift_kind_delete(*, actor, shift: ShiftKind) -> bool:
    """Delete a shift nobody was ever scheduled on; one with entries is only retired (kept for the record).
    Returns True when deleted."""
    shift = ShiftKind.objects.select_for_update().get(pk=shift.pk)
    if shift.entries.exists():
        shift.is_active = False
        shift.save(update_fields=["is_active"])
        return False
    shift.delete()
    return True


# -- the roster ----------------------------------------------------------------------------------------------------

def _eligible(person, shift: ShiftKind) -> bool:
    profile = getattr(person, "staff_profile", None)
    if profile is None:
        return False
    if shift.department_id is not None:
        if profile.department_id == shift.department_id:
            return True
        # the customer service center's shifts are worked by the project's agents, who have no department
        return (shift.department.kind == DepartmentKind.CUSTOMER_SERVICE and profile.project_id == shift.project_id
                and profile.role == Role.AGENT)
    return profile.project_id == shift.project_id and profile.role in MANAGER_ROLES


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


@transaction.atomic
def roster_assign(*, actor, shift: ShiftKind, day, user_id, note: str = "",
                  now: datetime | None = None) -> RosterEntry:
    """Put a person on ``shift`` on local ``day``. Refused, with the field's message and nothing written: a person
    outside the department (for duty managers: not a manager, agent or steward of the project), an inactive person,
    a retired shift, a day more than a year away, the same shift twice, a shift overlapping another of theirs."""
    now = now or timezone.now()
    the_day = _day(day)
    if the_day is None:
        raise _fail("day", _("Enter a day such as 2026-11-23."))
    today = now.astimezone(_zone(shift.project)).date()
    if abs((the_day - today).days) > 366:
        raise _fail("day", _("Schedule within a year of today."))
    if not shift.is_active:
        raise _fail("shift", _("This shift is retired: schedule people on an active one."))
    text = str(user_id or "").strip()
    # The person's row is locked first: every assignment of this person waits here, so the overlap check below
    # sees the entries the others committed.
    person = (User.objects.select_for_update(of=("self",)).select_related("staff_profile")
              .filter(pk=int(text)).first() if text.isdigit() and len(text) <= 18 else None)
    if person is None or not _eligible(person, shift):
        message = (_("Choose someone of this department.") if shift.department_id else
                   _("Choose a manager, agent or steward of this project."))
        raise _fail("user", message, "not_eligible")
    if not person.is_active or not person.staff_profile.is_active:
        raise _fail("user", _("%(name)s is not active.") % {"name": person_label(person)}, "inactive")
    starts_at, ends_at = shift_instants(the_day, shift.starts, shift.ends, _zone(shift.project))
    if RosterEntry.objects.filter(shift=shift, day=the_day, user=person).exists():
        raise _fail("user", _("%(name)s is already on this shift that day.") % {"name": person_label(person)},
                    "duplicate")
    clash = (RosterEntry.objects.filter(user=person, starts_at__lt=ends_at, ends_at__gt=starts_at)
             .select_related("shift").order_by("starts_at").first())
    if clash is not None and overlaps(clash.starts_at, clash.ends_at, starts_at, ends_at):
        tz = _zone(shift.project)
        raise _fail("user", _("%(name)s already works %(shift)s on %(day)s (%(start)s–%(end)s): shifts of one "
                              "person may not overlap.") % {
            "name": person_label(person), "shift": clash.shift.name, "day": f"{clash.day:%Y-%m-%d}",
            "start": f"{clash.starts_at.astimezone(tz):%H:%M}", "end": f"{clash.ends_at.astimezone(tz):%H:%M}"},
            "overlap")
    return RosterEntry.objects.create(project=shift.project, department=shift.department, shift=shift, user=person,
                                      day=the_day, starts_at=starts_at, ends_at=ends_at, note=(note or "")[:200],
                                      created_by=actor)


@transaction.atomic
def roster_remove(*, actor, entry: RosterEntry) -> None:
    RosterEntry.objects.filter(pk=entry.pk).delete()


def roster_copy_week(*, actor, project: Project, department: Department | None, monday: date,
                     now: datetime | None = None) -> tuple[int, list[str]]:
    """Copy the week before ``monday``'s week into it, shift by shift and weekday by weekday. Each entry is
    assigned as by hand, in its own transaction: one that would be refused (the person left, is already on, or
    overlaps) is skipped and named. Returns (copied, the reasons skipped)."""
    monday = week_start(monday)
    previous = monday - timedelta(days=7)
    rows = (RosterEntry.objects.filter(project=project, day__gte=previous, day__lt=monday,
                                       shift__is_active=True)
            .select_related("shift", "shift__project", "shift__department", "user", "user__staff_profile")
            .order_by("day", "starts_at"))
    rows = rows.filter(department__isnull=True) if department is None else rows.filter(department=department)
    copied, skipped = 0, []
    for entry in rows:
        try:
            roster_assign(actor=actor, shift=entry.shift, day=entry.day + timedelta(days=7), user_id=entry.user_id,
                          note=entry.note, now=now)
            copied += 1
        except ApplicationError as error:
            if error.extra.get("code") != "duplicate":
                skipped.append(f"{entry.day + timedelta(days=7):%m-%d} {entry.shift.name}: "
                               f"{error.field_errors.get('user', [error.message])[0]}")
    return copied, skipped


# -- coverage a week ahead -----------------------------------------------------------------------------------------

def _project_managers(project_id: int):
    return list(User.objects.filter(is_active=True, staff_profile__is_active=True,
                                    staff_profile__role=Role.PROJECT_MANAGER, staff_profile__project_id=project_id))


def coverage_sweep(*, now: datetime | None = None, days: int = ROSTER_DAYS_AHEAD) -> int:
    """Daily: for each project, each active shift of today and the 7 days after (``days`` days from the project's
    today) with fewer
    people than it needs; its project managers are told once per shift and day (the notification's event is the
    dedupe key, so the next day's sweep does not repeat it). Returns the number of shift-days short."""
    now = now or timezone.now()
    projects = Project.objects.filter(pk__in=ShiftKind.objects.filter(is_active=True).values("project_id"))
    gaps = gaps_ahead(projects=projects, at=now, days=days)
    managers: dict[int, list] = {}
    for shift, day, have in gaps:
        if shift.project_id not in managers:
            managers[shift.project_id] = _project_managers(shift.project_id)
        who = shift.department.name if shift.department_id else _("Duty manager")
        url = reverse("duty:roster") + (f"?project={shift.project_id}&department="
                                        f"{shift.department_id or 'managers'}&week={day:%Y-%m-%d}")
        notify_users(users=managers[shift.project_id], kind="roster_gap", url=url,
                     event=f"roster_gap:{shift.pk}:{day:%Y-%m-%d}",
                     title=_("Nobody on duty: %(who)s %(shift)s on %(day)s") % {
                         "who": who, "shift": shift.name, "day": f"{day:%Y-%m-%d}"},
                     body=_("%(have)s of %(need)s people scheduled (%(project)s).") % {
                         "have": have, "need": shift.min_people, "project": shift.project.name})
    return len(gaps)

