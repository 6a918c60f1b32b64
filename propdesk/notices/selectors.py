"""Reads of notices. Staff read through their data scope (``Notice.objects.restrict``) with the audience and read
count of each notice computed in SQL (one correlated subquery each, so a page of notices is a fixed number of
queries). Residents read from their current homes: the notices whose targets name a home's project (the whole
project), building or unit, in effect now and not withdrawn, pinned first, then newest."""

from datetime import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from propdesk.customers.choices import PhoneKind
from propdesk.customers.models import Occupancy, Phone, Resident
from propdesk.org.models import Building, Unit

from .models import Notice, NoticeRead, NoticeTarget


def _on(now: datetime):
    return timezone.localtime(now).date()


# --- audience: the residents living in a notice's scope today ------------------------------------------------------

def _covers_occupancy(notice_ref) -> Exists:
    """An Occupancy (the query this is used in) lies in the scope of the notice ``notice_ref`` (an id or OuterRef)."""
    return Exists(NoticeTarget.objects.filter(notice_id=notice_ref).filter(
        Q(building__isnull=True, unit__isnull=True, project_id=OuterRef("project_id"))
        | Q(building_id=OuterRef("room__building_id")) | Q(unit_id=OuterRef("room__unit_id"))))


def audience_occupancies(*, notice: Notice, now: datetime):
    """The current occupancies (owner, tenant, family alike) of the rooms in the notice's scope."""
    return Occupancy.objects.current(_on(now)).filter(project_id=notice.project_id).filter(
        _covers_occupancy(notice.pk))


def audience_user_ids(*, notice: Notice, now: datetime) -> list[int]:
    """The resident users (those with a login) living in the notice's scope."""
    residents = audience_occupancies(notice=notice, now=now).values("resident_id")
    return list(Resident.objects.filter(pk__in=residents, user__isnull=False)
                .values_list("user_id", flat=True).order_by("user_id").distinct())


def audience_mobiles(*, notice: Notice, now: datetime) -> list[str]:
    """One mobile per resident in the notice's scope (their primary one first), each number once (a household sharing
    a phone gets one message)."""
    residents = audience_occupancies(notice=notice, now=now).values("resident_id")
    rows = (Phone.objects.filter(resident_id__in=residents, kind=PhoneKind.MOBILE, number__startswith="1")
            .order_by("resident_id", "-is_primary", "id").values_list("resident_id", "number"))
    seen_residents, numbers = set(), {}
    for resident_id, number in rows:
        if resident_id not in seen_residents:
            seen_residents.add(resident_id)
            numbers.setdefault(number, None)
    return list(numbers)


def _audience_count(now: datetime) -> Coalesce:
    on = _on(now)
    counted = (Occupancy.objects.current(on).filter(project_id=OuterRef("project_id"))
               .filter(_covers_occupancy(OuterRef(OuterRef("pk"))))
               .order_by().values("project_id").annotate(n=Count("resident_id", distinct=True)).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _app_users_count(now: datetime) -> Coalesce:
    on = _on(now)
    counted = (Occupancy.objects.current(on).filter(project_id=OuterRef("project_id"), resident__user__isnull=False)
               .filter(_covers_occupancy(OuterRef(OuterRef("pk"))))
               .order_by().values("project_id").annotate(n=Count("resident__user_id", distinct=True)).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _read_count() -> Coalesce:
    counted = (NoticeRead.objects.filter(notice_id=OuterRef("pk"), version=OuterRef("version"))
               .order_by().values("notice_id").annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- staff ---------------------------------------------------------------------------------------------------------

def state_q(state: str, now: datetime) -> Q:
    live = Q(withdrawn_at__isnull=True)
    return {
        "active": live & Q(valid_from__lte=now) & (Q(valid_until__isnull=True) | Q(valid_until__gt=now)),
        "scheduled": live & Q(valid_from__gt=now),
        "expired": live & Q(valid_until__lte=now),
        "withdrawn": Q(withdrawn_at__isnull=False),
    }.get(state, Q())


STATES = ("active", "scheduled", "expired", "withdrawn", "all")


def _targets_prefetch():
    return Prefetch("targets", queryset=NoticeTarget.objects.select_related("building", "unit__building")
                    .order_by("building__sort", "building__number", "unit__building__number", "unit__number", "id"))


def notice_list(*, user, now: datetime, filters: dict | None = None):
    """The notices in the staff member's scope, newest first, each with ``audience`` (residents in scope today) and
    ``read_count`` (residents with a login who read the current version)."""
    filters = filters or {}
    qs = (Notice.objects.restrict(user).select_related("project", "published_by__staff_profile")
          .prefetch_related(_targets_prefetch())
          .annotate(audience=_audience_count(now), read_count=_read_count()))
    if filters.get("project_id"):
        qs = qs.filter(project_id=filters["project_id"])
    if filters.get("state") in STATES:
        qs = qs.filter(state_q(filters["state"], now))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return qs.order_by("-published_at", "-id")


def notice_detail(*, user, notice_id: int, now: datetime) -> Notice:
    """One notice in scope with its audience, residents with the app and read count; another scope's raises
    DoesNotExist (404)."""
    return (Notice.objects.restrict(user)
            .select_related("project", "published_by__staff_profile", "withdrawn_by__staff_profile")
            .prefetch_related(_targets_prefetch())
            .annotate(audience=_audience_count(now), app_users=_app_users_count(now), read_count=_read_count())
            .get(pk=notice_id))


def picker_choices(*, project) -> list[Building]:
    """The project's buildings with their units, for the scope picker (two queries)."""
    return list(Building.objects.filter(project=project)
                .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("number", "id")))
                .order_by("sort", "number", "id"))


# --- residents -----------------------------------------------------------------------------------------------------

def resident_homes(*, user, now: datetime):
    """The rooms the signed-in resident lives in today (owner, tenant, family alike)."""
    return Occupancy.objects.filter(resident__user=user).current(_on(now)).select_related("room")


def _home_targets(homes) -> Q | None:
    rooms = [getattr(home, "room", home) for home in homes]
    if not rooms:
        return None
    return (Q(building__isnull=True, unit__isnull=True, project_id__in={r.project_id for r in rooms})
            | Q(building_id__in={r.building_id for r in rooms}) | Q(unit_id__in={r.unit_id for r in rooms}))


def resident_notices(*, user, homes, now: datetime, unread_only: bool = False, limit: int | None = None):
    """The notices for the resident's ``homes`` (Occupancy rows or rooms; pass their current ones): in effect at
    ``now``, not withdrawn, for the whole project, the building or the unit of one of them. Pinned first, then
    newest. Each has ``read`` (the resident has read its current version) and ``url`` (the resident's page)."""
    targets = _home_targets(homes)
    if targets is None:
        return Notice.objects.none()
    qs = (Notice.objects.filter(pk__in=NoticeTarget.objects.filter(targets).values("notice_id"))
          .filter(state_q("active", now))
          .annotate(read=Exists(NoticeRead.objects.filter(notice_id=OuterRef("pk"), user=user,
                                                          version=OuterRef("version"))))
          .order_by("-pinned", "-published_at", "-id"))
    if unread_only:
        qs = qs.filter(read=False)
    return qs[:limit] if limit is not None else qs


def resident_unread_count(*, user, homes, now: datetime) -> int:
    """How many of the resident's notices in effect they have not read (one query)."""
    return resident_notices(user=user, homes=homes, now=now, unread_only=True).count()


def resident_notice(*, user, notice_id: int, now: datetime) -> Notice:
    """One notice for one of the resident's current homes; any other (another home's, withdrawn, not in effect)
    raises DoesNotExist (404)."""
    homes = list(resident_homes(user=user, now=now))
    return resident_notices(user=user, homes=homes, now=now).select_related("project").get(pk=notice_id)
